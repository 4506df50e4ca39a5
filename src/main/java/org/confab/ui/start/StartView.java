package org.confab.ui.start;

import java.util.List;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.confab.core.InviteLink;
import org.confab.ui.common.Fxml;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The start screen: logo, "Host a room", "Join a room", the rooms on the network (live, while the
 * screen is shown), recent rooms, theme toggle. Thin.
 */
public final class StartView {
    /** What the buttons do. */
    public interface Actions {
        void host();

        void join(InviteLink prefill);

        /**
         * A room on the network was picked: join it at once with the nickname last used (or the
         * default one), asking only what the join needs (the safety code of a new key, a password).
         *
         * @return true while that join runs with no window of its own (the row says "Joining…")
         */
        ObservableValue<Boolean> joinNow(InviteLink link);

        void toggleTheme();

        /** Opens Settings. */
        void settings();

        /** Opens "Why can't I see a room?" (the diagnostics). */
        default void diagnostics() {}
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
    private VBox networkBox;

    @FXML
    private VBox networkList;

    @FXML
    private HBox networkEmpty;

    @FXML
    private FontIcon networkEmptyIcon;

    @FXML
    private Label networkEmptyTitle;

    @FXML
    private Label networkEmptyText;

    @FXML
    private VBox recentBox;

    @FXML
    private VBox recentList;

    @FXML
    private Label versionLabel;

    @FXML
    private ImageView logo;

    @FXML
    private Label title;

    @FXML
    private Label subtitle;

    @FXML
    private HBox cards;

    private final Actions actions;
    private final Theme theme;
    private final Settings settings;
    private final NetworkRoomsViewModel network;
    /** True while the screen is in a showing window: the rooms on the network are listed only then. */
    private ObservableValue<Boolean> shown;

    private boolean closed;

    /**
     * @param network the rooms on the network; browsed while this screen is shown, stopped when it
     *     is replaced, its window hides or {@link #close} runs
     */
    public StartView(Actions actions, Theme theme, Settings settings, NetworkRoomsViewModel network) {
        this.actions = actions;
        this.theme = theme;
        this.settings = settings;
        this.network = network;
    }

    public StackPane load() {
        StackPane view = Fxml.load(this, "Start.fxml");
        // a short window: the logo steps aside so the cards and the lists fit; shorter still, the
        // title, the cards' sentences and the footer too (the window's title says Confab)
        root.heightProperty()
                .map(h -> h.doubleValue() >= 640 ? 2 : h.doubleValue() >= 580 ? 1 : 0)
                .subscribe(this::fit); // only when the height crosses a step, not on every pixel
        versionLabel.setText("Ctrl+N host  ·  Ctrl+J join  ·  Ctrl+, settings  ·  Ctrl+Shift+L light / dark");
        themeIcon.setIconLiteral(theme.isDark() ? "fth-sun" : "fth-moon");
        theme.darkProperty().addListener((o, was, dark) -> themeIcon.setIconLiteral(dark ? "fth-sun" : "fth-moon"));
        List<RecentRooms.Recent> recent = RecentRooms.list(settings);
        recentBox.setVisible(!recent.isEmpty());
        recentBox.setManaged(!recent.isEmpty());
        for (RecentRooms.Recent r : recent) {
            recentList.getChildren().add(recentRow(r));
        }
        new NetworkRoomsSection(
                network,
                networkList,
                networkEmpty,
                networkEmptyIcon,
                networkEmptyTitle,
                networkEmptyText,
                actions::joinNow);
        shown = root.sceneProperty()
                .flatMap(Scene::windowProperty)
                .flatMap(Window::showingProperty)
                .orElse(false);
        shown.subscribe(on -> {
            if (on && !closed) {
                network.start();
            } else {
                network.stop();
            }
        });
        return view;
    }

    /** Lays the screen out for a height step: 2 tall, 1 without the logo, 0 short (compact). */
    private void fit(int step) {
        boolean tall = step == 2;
        boolean roomy = step >= 1;
        show(logo, tall);
        show(title, roomy);
        show(subtitle, roomy);
        show(versionLabel, roomy); // the shortcuts are on the cards
        VBox.setMargin(cards, new Insets(roomy ? 36 : 0, 0, 0, 0));
        VBox.setMargin(networkBox, new Insets(roomy ? 30 : 16, 0, 0, 0));
        VBox.setMargin(recentBox, new Insets(roomy ? 22 : 12, 0, 0, 0));
        cards.lookupAll(".action-text").forEach(n -> show(n, roomy));
        root.getStyleClass().remove("compact");
        if (!roomy) {
            root.getStyleClass().add("compact"); // shorter cards without their sentences
        }
    }

    private static void show(Node n, boolean shown) {
        n.setVisible(shown);
        n.setManaged(shown);
    }

    /** Stops listing the rooms on the network (the window closes); the screen is not shown again. */
    public void close() {
        closed = true;
        network.stop();
    }

    /** The rooms on the network as this screen lists them. */
    public NetworkRoomsViewModel network() {
        return network;
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

    @FXML
    private void diagnostics() {
        actions.diagnostics();
    }
}
