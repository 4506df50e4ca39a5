package org.confab.ui.common;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.Fingerprint;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Every dialog of the app goes through here, so each has its owner, the app icon, the theme and
 * Esc to close. Messages are plain sentences; stack traces go to stderr, never into a dialog.
 */
public final class DialogService {
    private final Supplier<Window> owner;
    private final Theme theme;

    public DialogService(Supplier<Window> owner, Theme theme) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.theme = Objects.requireNonNull(theme, "theme");
    }

    /** A modal window (modal to its owner only, so other Confab windows keep working). */
    public Stage window(String title, Parent content) {
        Stage stage = new Stage();
        Window o = owner.get();
        if (o != null) {
            stage.initOwner(o);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.setTitle(title);
        stage.setResizable(false);
        Theme.icon(stage);
        Scene scene = new Scene(content);
        theme.style(scene);
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && !e.isConsumed()) {
                e.consume();
                stage.close();
            }
        });
        stage.setScene(scene);
        return stage;
    }

    /** An error, as one friendly sentence. */
    public void error(String title, String text) {
        alert(Alert.AlertType.ERROR, title, text, "OK").showAndWait();
    }

    /** Asks; true if the person chose {@code okText}. */
    public boolean confirm(String title, String text, String okText) {
        Alert a = alert(Alert.AlertType.CONFIRMATION, title, text, okText);
        a.getButtonTypes().add(new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE));
        Optional<ButtonType> r = a.showAndWait();
        return r.isPresent() && r.get().getButtonData() == ButtonBar.ButtonData.OK_DONE;
    }

    /**
     * First visit to an encrypted room: its safety code, large, and the question. The result is
     * the "Trust and join" button type only if the person chose it; Cancel is the default button.
     *
     * @param owner the window to sit over (the join dialog), or null for the main window
     */
    public Dialog<ButtonType> trustDialog(Window owner, String address, Fingerprint presented) {
        Dialog<ButtonType> d = securityDialog(owner, "First time joining " + address, "fth-shield", "trust");
        Label intro = new Label("Confab has not joined this room before. The room's safety code is:");
        intro.setWrapText(true);
        Label code = codeLabel(SafetyCodes.twoLines(presented), "trustCode", "large");
        Label explain = new Label(SafetyCodes.COMPARE);
        explain.setWrapText(true);
        explain.getStyleClass().add("trust-explain");
        Label otherwise =
                new Label("If they differ, someone may be intercepting the connection: cancel and tell the host.");
        otherwise.setWrapText(true);
        otherwise.getStyleClass().add("trust-note");
        VBox box = new VBox(12, intro, codeBox(code), explain, otherwise);
        box.setPrefWidth(440);
        d.getDialogPane().setContent(box);
        ButtonType trust = new ButtonType("Trust and join", ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        d.getDialogPane().getButtonTypes().setAll(trust, cancel);
        Button trustButton = (Button) d.getDialogPane().lookupButton(trust);
        trustButton.setId("trustButton");
        trustButton.setDefaultButton(false);
        Button cancelButton = (Button) d.getDialogPane().lookupButton(cancel);
        cancelButton.setId("trustCancel");
        cancelButton.setDefaultButton(true);
        d.setOnShown(e -> cancelButton.requestFocus());
        return d;
    }

    /**
     * A known room shows another key: a hard warning. "Don't join" is the default; "Trust new key"
     * needs the box "I checked the new code with the host" ticked first.
     */
    public Dialog<ButtonType> keyChangedDialog(Window owner, String address, Fingerprint before, Fingerprint now) {
        Dialog<ButtonType> d =
                securityDialog(owner, "Warning: this room's key has changed", "fth-alert-octagon", "key-changed");
        Label intro = new Label("The room at " + address + " shows a different key than the one you trusted before."
                + " This may mean:");
        intro.setWrapText(true);
        Label reasons =
                new Label("•  someone on the network is impersonating the room to read or change your messages, or\n"
                        + "•  the host reinstalled Confab or reset the room's key.");
        reasons.setWrapText(true);
        reasons.getStyleClass().add("key-changed-reasons");
        GridPane codes = new GridPane();
        codes.setHgap(14);
        codes.setVgap(6);
        Label beforeLabel = new Label("Before");
        beforeLabel.getStyleClass().add("field-label");
        Label nowLabel = new Label("Now");
        nowLabel.getStyleClass().add("field-label");
        codes.addRow(0, beforeLabel, codeLabel(SafetyCodes.oneLine(before), "oldCode", "old"));
        codes.addRow(1, nowLabel, codeLabel(SafetyCodes.oneLine(now), "newCode", "new"));
        codes.getStyleClass().add("code-compare");
        Label advice = new Label(
                "Don't join unless the host reads you the new code from their screen and it matches exactly.");
        advice.setWrapText(true);
        advice.getStyleClass().add("trust-explain");
        CheckBox checked = new CheckBox("I checked the new code with the host");
        checked.setId("keyCheckedBox");
        VBox box = new VBox(12, intro, reasons, codes, advice, checked);
        box.setPrefWidth(500);
        d.getDialogPane().setContent(box);
        ButtonType trustNew = new ButtonType("Trust new key", ButtonBar.ButtonData.LEFT);
        ButtonType dontJoin = new ButtonType("Don't join", ButtonBar.ButtonData.CANCEL_CLOSE);
        d.getDialogPane().getButtonTypes().setAll(trustNew, dontJoin);
        Button trustButton = (Button) d.getDialogPane().lookupButton(trustNew);
        trustButton.setId("trustNewButton");
        trustButton.getStyleClass().add("risky");
        trustButton.setDefaultButton(false);
        trustButton.disableProperty().bind(checked.selectedProperty().not());
        Button dontJoinButton = (Button) d.getDialogPane().lookupButton(dontJoin);
        dontJoinButton.setId("dontJoinButton");
        dontJoinButton.setDefaultButton(true);
        d.setOnShown(e -> dontJoinButton.requestFocus());
        return d;
    }

    private Dialog<ButtonType> securityDialog(Window owner, String header, String iconLiteral, String styleClass) {
        Dialog<ButtonType> d = new Dialog<>();
        Window o = owner != null ? owner : this.owner.get();
        if (o != null) {
            d.initOwner(o);
            d.initModality(Modality.WINDOW_MODAL);
        }
        d.setTitle(header + " — Confab");
        d.setHeaderText(header);
        FontIcon icon = new FontIcon(iconLiteral);
        StackPane badge = new StackPane(icon);
        badge.getStyleClass().addAll("alert-badge", styleClass);
        d.setGraphic(badge);
        theme.style(d.getDialogPane());
        d.getDialogPane().getStyleClass().addAll("confab-alert", "security-dialog", styleClass);
        Theme.icon((Stage) d.getDialogPane().getScene().getWindow());
        return d;
    }

    private static Label codeLabel(String text, String id, String styleClass) {
        Label l = new Label(text);
        l.setId(id);
        l.getStyleClass().addAll("safety-code", styleClass);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Node codeBox(Label code) {
        StackPane box = new StackPane(code);
        box.getStyleClass().add("safety-code-box");
        return box;
    }

    public Alert alert(Alert.AlertType type, String title, String text, String okText) {
        Alert a = new Alert(type);
        Window o = owner.get();
        if (o != null) {
            a.initOwner(o);
        }
        a.setTitle(title + " — Confab");
        a.setHeaderText(title);
        a.setContentText(text);
        a.getButtonTypes().setAll(new ButtonType(okText, ButtonBar.ButtonData.OK_DONE));
        FontIcon icon = new FontIcon(
                switch (type) {
                    case ERROR -> "fth-alert-octagon";
                    case WARNING, CONFIRMATION -> "fth-alert-triangle";
                    default -> "fth-info";
                });
        StackPane badge = new StackPane(icon);
        badge.getStyleClass().addAll("alert-badge", type.name().toLowerCase(Locale.ROOT));
        a.setGraphic(badge);
        theme.style(a.getDialogPane());
        a.getDialogPane().getStyleClass().addAll("confab-alert", type.name().toLowerCase(Locale.ROOT));
        a.getDialogPane().setMinWidth(420);
        Stage s = (Stage) a.getDialogPane().getScene().getWindow();
        Theme.icon(s);
        return a;
    }
}
