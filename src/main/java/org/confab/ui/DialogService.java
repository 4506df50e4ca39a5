package org.confab.ui;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

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

    private Alert alert(Alert.AlertType type, String title, String text, String okText) {
        Alert a = new Alert(type);
        Window o = owner.get();
        if (o != null) {
            a.initOwner(o);
        }
        a.setTitle(title + " — Confab");
        a.setHeaderText(title);
        a.setContentText(text);
        a.getButtonTypes().setAll(new ButtonType(okText, ButtonBar.ButtonData.OK_DONE));
        theme.style(a.getDialogPane());
        a.getDialogPane().getStyleClass().add("confab-alert");
        a.getDialogPane().setMinWidth(420);
        Stage s = (Stage) a.getDialogPane().getScene().getWindow();
        Theme.icon(s);
        return a;
    }
}
