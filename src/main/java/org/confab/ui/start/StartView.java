package org.confab.ui.start;

import java.util.List;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.confab.core.InviteLink;
import org.confab.ui.common.Fxml;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.kordamp.ikonli.javafx.FontIcon;

/** The start screen: logo, "Host a room", "Join a room", recent rooms, theme toggle. Thin. */
public final class StartView {
    /** A room joined before: where and what it was called. */

    /** What the buttons do. */
    public interface Actions {
        void host();

        void join(InviteLink prefill);

        void toggleTheme();

        /** Opens Settings. */
        void settings();
    }

    @FXML
    private StackPane root;

    @FXML
    private Button hostCard;

    @FXML
    private Button joinCard;

    @FXML
    private Button themeToggle;

    @FXML
    private FontIcon themeIcon;

    @FXML
    private VBox recentBox;

    @FXML
    private VBox recentList;

    @FXML
    private Label versionLabel;

    @FXML
    private ImageView logo;

    private final Actions actions;
    private final Theme theme;
    private final Settings settings;

    public StartView(Actions actions, Theme theme, Settings settings) {
        this.actions = actions;
        this.theme = theme;
        this.settings = settings;
    }

    public StackPane load() {
        StackPane view = Fxml.load(this, "Start.fxml");
        // a short window: the logo steps aside so the cards and the recent rooms fit
        root.heightProperty().addListener((o, was, now) -> {
            boolean tall = now.doubleValue() >= 640;
            logo.setVisible(tall);
            logo.setManaged(tall);
        });
        versionLabel.setText("Ctrl+N host  ·  Ctrl+J join  ·  Ctrl+, settings  ·  Ctrl+Shift+L light / dark");
        themeIcon.setIconLiteral(theme.isDark() ? "fth-sun" : "fth-moon");
        theme.darkProperty().addListener((o, was, dark) -> themeIcon.setIconLiteral(dark ? "fth-sun" : "fth-moon"));
        List<RecentRooms.Recent> recent = RecentRooms.list(settings);
        recentBox.setVisible(!recent.isEmpty());
        recentBox.setManaged(!recent.isEmpty());
        for (RecentRooms.Recent r : recent) {
            recentList.getChildren().add(recentRow(r));
        }
        return view;
    }

    private Button recentRow(RecentRooms.Recent r) {
        Label name = new Label(r.roomName());
        name.getStyleClass().add("recent-name");
        Label address = new Label(r.link().address());
        address.getStyleClass().add("recent-address");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        FontIcon arrow = new FontIcon("fth-arrow-right");
        FontIcon hash = new FontIcon("fth-hash");
        HBox row = new HBox(10, hash, name, address, spacer, arrow);
        row.setAlignment(Pos.CENTER_LEFT);
        Button b = new Button(null, row);
        b.getStyleClass().addAll("recent-row", "flat");
        b.setMaxWidth(Double.MAX_VALUE);
        row.prefWidthProperty().bind(b.widthProperty().subtract(28));
        b.setOnAction(e -> actions.join(r.link()));
        return b;
    }

    @FXML
    private void host() {
        actions.host();
    }

    @FXML
    private void join() {
        actions.join(null);
    }

    @FXML
    private void toggleTheme() {
        actions.toggleTheme();
    }

    @FXML
    private void openSettings() {
        actions.settings();
    }
}
