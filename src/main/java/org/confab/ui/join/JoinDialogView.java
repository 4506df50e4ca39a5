package org.confab.ui.join;

import javafx.beans.binding.Bindings;
import javafx.concurrent.Worker;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.confab.net.JoinException;
import org.confab.ui.common.ErrorHandler;
import org.confab.ui.common.Field;
import org.confab.ui.common.FormSupport;
import org.confab.ui.common.Fxml;

/**
 * "Join a room": host (or host:port, or a link), port, nickname. Connecting runs in the
 * {@link JoinService}; a failure shows the {@link JoinException}'s sentence inline and focuses the
 * field to fix (for a taken nickname, with a suggestion already typed in).
 */
public final class JoinDialogView {
    /** Connects with the view model's target (the window prepares the room). */
    public interface Connector {
        void connect(JoinViewModel vm);
    }

    @FXML
    private VBox root;

    @FXML
    private TextField hostField;

    @FXML
    private TextField portField;

    @FXML
    private TextField nickField;

    @FXML
    private Label hostError;

    @FXML
    private Label nickError;

    @FXML
    private VBox passwordBox;

    @FXML
    private PasswordField passwordField;

    @FXML
    private Label passwordError;

    @FXML
    private HBox errorBox;

    @FXML
    private Label errorLabel;

    @FXML
    private ProgressIndicator spinner;

    @FXML
    private Label statusLabel;

    @FXML
    private Button cancelButton;

    @FXML
    private Button joinButton;

    private final JoinViewModel vm;
    private final JoinService service;
    private final Connector connector;
    private Stage stage;

    public JoinDialogView(JoinViewModel vm, JoinService service, Connector connector) {
        this.vm = vm;
        this.service = service;
        this.connector = connector;
    }

    public Parent load() {
        Parent view = Fxml.load(this, "JoinDialog.fxml");
        hostField.textProperty().bindBidirectional(vm.host().textProperty());
        portField.textProperty().bindBidirectional(vm.port().textProperty());
        nickField.textProperty().bindBidirectional(vm.nick().textProperty());
        // host and port share one error line under the row
        Field hostOrPort = vm.host();
        FormSupport.showProblem(hostField, hostError, hostOrPort);
        var portShown = vm.port().shownProblemProperty();
        hostError.textProperty().unbind();
        hostError
                .textProperty()
                .bind(Bindings.when(hostOrPort.shownProblemProperty().isNotEmpty())
                        .then(hostOrPort.shownProblemProperty())
                        .otherwise(portShown));
        hostError.visibleProperty().unbind();
        hostError.managedProperty().unbind();
        hostError.visibleProperty().bind(hostError.textProperty().isNotEmpty());
        hostError.managedProperty().bind(hostError.textProperty().isNotEmpty());
        portShown.addListener((o, was, now) -> {
            portField.pseudoClassStateChanged(PseudoClass.getPseudoClass("danger"), !now.isEmpty());
            FormSupport.refit(hostError);
        });
        FormSupport.showProblem(nickField, nickError, vm.nick());
        hostField.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                vm.normalize(); // "10.0.0.5:4800" pasted -> host 10.0.0.5, port 4800
            }
        });

        passwordField.textProperty().bindBidirectional(vm.passwordProperty());
        passwordBox.visibleProperty().bind(vm.passwordShownProperty());
        passwordBox.managedProperty().bind(vm.passwordShownProperty());
        vm.passwordShownProperty().addListener((o, was, now) -> FormSupport.refit(passwordBox));
        passwordError.textProperty().bind(vm.passwordErrorProperty());
        passwordError.visibleProperty().bind(vm.passwordErrorProperty().isNotEmpty());
        passwordError.managedProperty().bind(vm.passwordErrorProperty().isNotEmpty());
        vm.passwordErrorProperty().addListener((o, was, now) -> {
            passwordField.pseudoClassStateChanged(PseudoClass.getPseudoClass("danger"), !now.isEmpty());
            FormSupport.refit(passwordError);
        });

        errorLabel.textProperty().bind(vm.errorProperty());
        errorBox.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        errorBox.managedProperty().bind(vm.errorProperty().isNotEmpty());
        vm.errorProperty().addListener((o, was, now) -> FormSupport.refit(errorBox));

        var busy = Bindings.createBooleanBinding(
                () -> service.getState() == Worker.State.SCHEDULED || service.getState() == Worker.State.RUNNING,
                service.stateProperty());
        spinner.visibleProperty().bind(busy);
        spinner.managedProperty().bind(busy);
        joinButton.disableProperty().bind(busy);
        hostField.disableProperty().bind(busy);
        portField.disableProperty().bind(busy);
        nickField.disableProperty().bind(busy);
        passwordField.disableProperty().bind(busy);
        joinButton.textProperty().bind(Bindings.when(busy).then("Joining…").otherwise("Join"));
        statusLabel
                .textProperty()
                .bind(Bindings.when(busy).then(service.messageProperty()).otherwise(""));
        return view;
    }

    public void show(Stage stage) {
        this.stage = stage;
        stage.setOnHidden(e -> {
            if (service.isRunning()) {
                service.cancel();
            }
        });
        stage.setOnShown(e -> {
            if (hostField.getText().isBlank()) {
                hostField.requestFocus();
            } else if (nickField.getText().isBlank()) {
                nickField.requestFocus();
            } else {
                joinButton.requestFocus();
            }
        });
        stage.show();
    }

    /** Joined: the window opens the room; this dialog goes. */
    public void joined() {
        vm.remember();
        if (stage != null) {
            stage.close();
        }
    }

    /** Joining failed: the reason inline, focus where to fix it. */
    public void failed(Throwable error) {
        if (error instanceof JoinException je) {
            vm.failed(je.reason(), je.getMessage());
        } else {
            vm.failed(JoinException.Reason.LOST, error == null ? "Could not join." : ErrorHandler.friendly(error));
        }
        switch (vm.focusProperty().get()) {
            case HOST -> hostField.requestFocus();
            case PORT -> portField.requestFocus();
            case NICK -> {
                nickField.requestFocus();
                nickField.selectAll();
            }
            case PASSWORD -> {
                passwordField.requestFocus();
                passwordField.selectAll();
            }
            default -> joinButton.requestFocus();
        }
    }

    /** The person refused the room's key: say so; nothing was joined. */
    public void notTrusted(boolean changed) {
        vm.keyNotTrusted(changed);
        joinButton.requestFocus();
    }

    /** The dialog's window (owner of the trust questions), or null before it is shown. */
    public Stage stage() {
        return stage;
    }

    @FXML
    private void join() {
        vm.normalize();
        if (!vm.submit()) {
            switch (vm.focusProperty().get()) {
                case HOST -> hostField.requestFocus();
                case PORT -> portField.requestFocus();
                default -> nickField.requestFocus();
            }
            return;
        }
        connector.connect(vm);
    }

    @FXML
    private void cancel() {
        if (stage != null) {
            stage.close();
        }
    }
}
