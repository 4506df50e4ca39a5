package org.confab.ui.host;

import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Worker;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.confab.ui.common.AddressRow;
import org.confab.ui.common.FormSupport;
import org.confab.ui.common.Fxml;
import org.confab.ui.common.NetworkAddresses;
import org.confab.ui.common.SafetyCodes;
import org.confab.ui.common.TextClipboard;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * "Host a room": the form, then, once the room listens, the addresses to give others. The
 * {@link HostService}'s state drives the button, the spinner and the status line.
 */
public final class HostDialogView {
    private final TextClipboard clipboard;

    @FXML
    private VBox root;

    @FXML
    private Label titleLabel;

    @FXML
    private Label subtitleLabel;

    @FXML
    private VBox formPage;

    @FXML
    private TextField roomField;

    @FXML
    private TextField nickField;

    @FXML
    private TextField portField;

    @FXML
    private Label roomError;

    @FXML
    private Label nickError;

    @FXML
    private Label portError;

    @FXML
    private VBox livePage;

    @FXML
    private Label liveLabel;

    @FXML
    private TextField inviteField;

    @FXML
    private VBox addressList;

    @FXML
    private HBox securityRow;

    @FXML
    private FontIcon securityIcon;

    @FXML
    private Label securityTitle;

    @FXML
    private Label safetyCode;

    @FXML
    private Label securityHint;

    @FXML
    private Label passwordBadge;

    @FXML
    private PasswordField passwordField;

    @FXML
    private CheckBox announceCheck;

    @FXML
    private Label announceHint;

    @FXML
    private CheckBox filesCheck;

    @FXML
    private HBox fileLimits;

    @FXML
    private TextField maxFileSizeField;

    @FXML
    private TextField fileQuotaField;

    @FXML
    private Label maxFileSizeError;

    @FXML
    private Label fileQuotaError;

    @FXML
    private Label filesHint;

    @FXML
    private FontIcon announceIcon;

    @FXML
    private Label announceNote;

    @FXML
    private Label loopbackNote;

    @FXML
    private ProgressIndicator spinner;

    @FXML
    private Label statusLabel;

    @FXML
    private Button cancelButton;

    @FXML
    private Button startButton;

    private final HostViewModel vm;
    private final HostService service;
    private final Runnable startHosting;
    private final Consumer<HostService.Hosted> enter;
    /** Why rooms are not announced (LAN discovery is off), or null. */
    private final String discoveryOff;

    private Stage stage;
    private HostService.Hosted hosted;
    private boolean entered;

    /**
     * @param startHosting configures and (re)starts the service (the window prepares the room)
     * @param enter        opens the room view for a running room
     * @param discoveryOff why rooms are not announced (LAN discovery is off), or null
     */
    public HostDialogView(
            HostViewModel vm,
            HostService service,
            Runnable startHosting,
            Consumer<HostService.Hosted> enter,
            TextClipboard clipboard,
            String discoveryOff) {
        this.vm = vm;
        this.clipboard = clipboard;
        this.service = service;
        this.startHosting = startHosting;
        this.enter = enter;
        this.discoveryOff = discoveryOff;
    }

    public Parent load() {
        Parent view = Fxml.load(this, "HostDialog.fxml");
        roomField.textProperty().bindBidirectional(vm.roomName().textProperty());
        nickField.textProperty().bindBidirectional(vm.nick().textProperty());
        portField.textProperty().bindBidirectional(vm.port().textProperty());
        FormSupport.showProblem(roomField, roomError, vm.roomName());
        FormSupport.showProblem(nickField, nickError, vm.nick());
        FormSupport.showProblem(portField, portError, vm.port());
        passwordField.textProperty().bindBidirectional(vm.passwordProperty());
        announceCheck.selectedProperty().bindBidirectional(vm.announceProperty());
        filesCheck.selectedProperty().bindBidirectional(vm.filesProperty());
        maxFileSizeField.textProperty().bindBidirectional(vm.maxFileSize().textProperty());
        fileQuotaField.textProperty().bindBidirectional(vm.fileQuota().textProperty());
        FormSupport.showProblem(maxFileSizeField, maxFileSizeError, vm.maxFileSize());
        FormSupport.showProblem(fileQuotaField, fileQuotaError, vm.fileQuota());
        fileLimits.disableProperty().bind(vm.filesProperty().not());
        filesHint
                .textProperty()
                .bind(Bindings.when(vm.filesProperty())
                        .then("Files are kept on this computer for members who join later."
                                + " K, M, G: powers of 1024.")
                        .otherwise("Members can send messages only; the file button is off for them."));
        String off = discoveryOff;
        if (off != null) {
            // the switch for this whole process (tests, CONFAB_DISCOVERY=off): nothing to choose
            announceCheck.setDisable(true);
            announceHint.setText(off + " The room is not announced; others join with the invite link.");
        }

        var busy = Bindings.createBooleanBinding(
                () -> service.getState() == Worker.State.SCHEDULED || service.getState() == Worker.State.RUNNING,
                service.stateProperty());
        spinner.visibleProperty().bind(busy);
        spinner.managedProperty().bind(busy);
        formPage.disableProperty().bind(busy);
        startButton.disableProperty().bind(busy);
        startButton
                .textProperty()
                .bind(Bindings.createStringBinding(
                        () -> switch (service.getState()) {
                            case SCHEDULED, RUNNING -> "Starting…";
                            case SUCCEEDED -> "Enter room";
                            case FAILED -> "Try again";
                            default -> "Start hosting";
                        },
                        service.stateProperty()));
        statusLabel
                .textProperty()
                .bind(Bindings.createStringBinding(
                        () -> switch (service.getState()) {
                            case SCHEDULED, RUNNING -> service.getMessage();
                            case SUCCEEDED -> ""; // the page above says where it runs
                            case FAILED -> "Could not start";
                            default -> "";
                        },
                        service.stateProperty(),
                        service.messageProperty()));
        statusLabel.getStyleClass().add("host-status");
        return view;
    }

    /** Shows the dialog as {@code stage} (from the DialogService). */
    public void show(Stage stage) {
        this.stage = stage;
        stage.setOnHidden(e -> closed());
        stage.setOnShown(e -> focusFirstEmpty());
        stage.show();
    }

    private void focusFirstEmpty() {
        if (roomField.getText().isBlank()) {
            roomField.requestFocus();
        } else if (nickField.getText().isBlank()) {
            nickField.requestFocus();
        } else {
            startButton.requestFocus();
        }
    }

    /** The service finished: show the addresses and let the person enter. */
    public void started(HostService.Hosted h) {
        hosted = h;
        vm.remember();
        titleLabel.setText("“" + h.host().roomName() + "” is open");
        subtitleLabel.setText(
                "Send others an invite link below. It carries the room's key, so they join without a question.");
        formPage.setVisible(false);
        formPage.setManaged(false);
        livePage.setVisible(true);
        livePage.setManaged(true);
        cancelButton.setVisible(false);
        cancelButton.setManaged(false);
        liveLabel.setText("Hosting on port " + h.self().port() + " as "
                + h.member().room().nick());
        addressList.getChildren().clear();
        int i = 0;
        boolean onlyLoopback = true;
        for (NetworkAddresses.Entry e : h.addresses()) {
            addressList
                    .getChildren()
                    .add(AddressRow.of(
                            e.link(), e.loopback() ? "this computer only" : e.interfaceName(), i++, clipboard));
            onlyLoopback &= e.loopback();
        }
        // the link the first Copy button copies, to read or select (the key is in it)
        inviteField.setText(
                h.addresses().isEmpty()
                        ? h.self().format()
                        : h.addresses().getFirst().link().format());
        inviteField.setTooltip(
                new Tooltip("The invite link: it names every address above, so it works from any of these networks."
                        + " Others open it, or paste it into Join"));
        boolean encrypted = h.fingerprint() != null;
        securityTitle.setText(encrypted ? "Encrypted · safety code" : "Not encrypted");
        securityIcon.setIconLiteral(encrypted ? "fth-shield" : "fth-alert-triangle");
        securityRow.getStyleClass().removeAll("encrypted", "insecure");
        securityRow.getStyleClass().add(encrypted ? "encrypted" : "insecure");
        safetyCode.setText(
                encrypted
                        ? SafetyCodes.oneLine(h.fingerprint())
                        : "Anyone on the network can read and change this chat.");
        safetyCode.getStyleClass().remove("safety-code");
        if (encrypted) {
            safetyCode.getStyleClass().add("safety-code");
        }
        securityHint.setText(
                encrypted
                        ? "Members who join without the link see this code once and compare it with yours."
                        : "Started with confab.insecure: no encryption, no room key.");
        passwordBadge.setVisible(h.passwordProtected());
        passwordBadge.setManaged(h.passwordProtected());
        announceIcon.setIconLiteral(
                h.announcement() != null && h.announcement().whyOff() == null ? "fth-wifi" : "fth-wifi-off");
        announceNote.setText(announceNote(h));
        loopbackNote.setVisible(onlyLoopback);
        loopbackNote.setManaged(onlyLoopback);
        if (stage != null) {
            stage.sizeToScene();
        }
        startButton.requestFocus();
    }

    /** Whether others see the room on their start screen, in a sentence. */
    static String announceNote(HostService.Hosted h) {
        LanAnnouncement a = h.announcement();
        if (a == null) {
            return "Not announced on the local network: others join with an invite link or the address.";
        }
        if (a.whyOff() != null) {
            return "Not announced: " + a.whyOff();
        }
        return "Announced on the local network: others see it on their start screen while it runs.";
    }

    /** The service failed: say why, inline. */
    public void failed(Throwable error) {
        String msg = error == null || error.getMessage() == null ? "The room could not start." : error.getMessage();
        vm.startFailed(msg);
        portField.requestFocus();
    }

    @FXML
    private void start() {
        if (hosted != null) {
            enterRoom();
            return;
        }
        if (!vm.submit()) {
            if (!vm.roomName().problemProperty().get().isEmpty()) {
                roomField.requestFocus();
            } else if (!vm.nick().problemProperty().get().isEmpty()) {
                nickField.requestFocus();
            } else if (!vm.port().problemProperty().get().isEmpty()) {
                portField.requestFocus();
            } else if (!vm.maxFileSize().problemProperty().get().isEmpty()) {
                maxFileSizeField.requestFocus();
            } else {
                fileQuotaField.requestFocus();
            }
            return;
        }
        startHosting.run();
    }

    private void enterRoom() {
        if (!entered && hosted != null) {
            entered = true;
            enter.accept(hosted);
        }
        if (stage != null && stage.isShowing()) {
            stage.close();
        }
    }

    @FXML
    private void cancel() {
        if (stage != null) {
            stage.close();
        }
    }

    private void closed() {
        if (hosted != null) {
            enterRoom(); // the room is running: closing the dialog means "go in"
        } else if (service.isRunning()) {
            service.cancel();
        }
    }

    /** True once the dialog has been closed one way or another. */
    public boolean isClosed() {
        return stage == null || !stage.isShowing();
    }
}
