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

    Alert alert(Alert.AlertType type, String title, String text, String okText) {
        Alert a = new Alert(type);
        Window o = owner.get();
        if (o != null) {
            a.initOwner(o);
        }
        a.setTitle(title + " — Confab");
        a.setHeaderText(title);
        a.setContentText(text);
        a.getButtonTypes().setAll(new ButtonType(okText, ButtonBar.ButtonData.OK_DONE));
        org.kordamp.ikonli.javafx.FontIcon icon = new org.kordamp.ikonli.javafx.FontIcon(switch (type) {
            case ERROR -> "fth-alert-octagon";
            case WARNING, CONFIRMATION -> "fth-alert-triangle";
            default -> "fth-info";
        });
        javafx.scene.layout.StackPane badge = new javafx.scene.layout.StackPane(icon);
        badge.getStyleClass().addAll("alert-badge", type.name().toLowerCase(java.util.Locale.ROOT));
        a.setGraphic(badge);
        theme.style(a.getDialogPane());
        a.getDialogPane().getStyleClass().addAll("confab-alert", type.name().toLowerCase(java.util.Locale.ROOT));
        a.getDialogPane().setMinWidth(420);
        Stage s = (Stage) a.getDialogPane().getScene().getWindow();
        Theme.icon(s);
        return a;
    }
}
