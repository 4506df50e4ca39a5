package org.confab.ui.common;

import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

/** Shows a {@link Field}'s problem under its input, and marks the input (AtlantaFX :danger). */
public final class FormSupport {
    private static final PseudoClass DANGER = PseudoClass.getPseudoClass("danger");

    private FormSupport() {}

    public static void showProblem(TextField input, Label errorLabel, Field field) {
        errorLabel.textProperty().bind(field.shownProblemProperty());
        errorLabel.visibleProperty().bind(field.shownProblemProperty().isNotEmpty());
        errorLabel.managedProperty().bind(field.shownProblemProperty().isNotEmpty());
        field.shownProblemProperty().addListener((o, was, now) -> {
            input.pseudoClassStateChanged(DANGER, !now.isEmpty());
            if (was.isEmpty() != now.isEmpty()) {
                refit(errorLabel);
            }
        });
        input.pseudoClassStateChanged(
                DANGER, !field.shownProblemProperty().get().isEmpty());
    }

    /** Lets a dialog window grow or shrink to its content after a message appeared or went. */
    public static void refit(Node anyNode) {
        Platform.runLater(() -> {
            if (anyNode.getScene() != null && anyNode.getScene().getWindow() != null) {
                anyNode.getScene().getWindow().sizeToScene();
            }
        });
    }
}
