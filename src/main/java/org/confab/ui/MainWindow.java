package org.confab.ui;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.beans.binding.Bindings;
import javafx.concurrent.Worker;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Circle;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import org.confab.net.HostListener;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.store.KnownRooms;
import org.confab.net.RoomClient;
import org.confab.net.Version;

/**
 * One Confab window: the start screen or a room, and a status bar. Owns the hosting and joining
 * services and the room currently shown. Several can live in one JVM (the UI tests open two).
 */
public final class MainWindow {
    private static final KeyCombination HOST = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination JOIN = new KeyCodeCombination(KeyCode.J, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination LEAVE = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination THEME = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);

    /**
     * System property that makes this app host and join over plain TCP (no encryption, no room
     * keys), for debugging; the room view then shows "Not encrypted". Off by default.
     */
    public static final String INSECURE_PROPERTY = "confab.insecure";

    private final Stage stage;
    private final Settings settings;
    private final Theme theme;
    private final DialogService dialogs;
    private final HostService hostService = new HostService();
    private final JoinService joinService = new JoinService();
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("confab-ui-bg-", 0).factory());
    private final StackPane content = new StackPane();
    private final Circle statusDot = new Circle(4);
    private final Label statusText = new Label();
    private final BorderPane rootPane = new BorderPane();
    private volatile InetAddress bindAddress;
    private KnownRooms knownRooms;
    private boolean insecure = Boolean.getBoolean(INSECURE_PROPERTY);
    /** The password of the room shown (for reconnects without asking), or null. */
    private String roomPassword;

    private RoomViewModel room;
    private RoomView roomView;
    private FxBridge bridge;
    private HostService.Hosted hosted;
    private HostDialogView hostDialog;
    private JoinDialogView joinDialog;
    private FxBridge pendingBridge;
    private RoomViewModel pendingRoom;

    public MainWindow(Stage stage, Settings settings, Theme theme) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.settings = settings;
        this.theme = theme;
        this.dialogs = new DialogService(() -> stage, theme);
    }

    public DialogService dialogs() {
        return dialogs;
    }

    /** Where a hosted room listens (null = every interface). Tests use loopback. */
    public void setBindAddress(InetAddress address) {
        this.bindAddress = address;
    }

    /** Where trusted room keys are remembered (tests use a temporary file). Default: the user's store. */
    public void setKnownRooms(KnownRooms store) {
        this.knownRooms = store;
    }

    private KnownRooms knownRooms() {
        if (knownRooms == null) {
            knownRooms = KnownRooms.standard();
        }
        return knownRooms;
    }

    /** Plain TCP instead of TLS for hosting and joining (default from {@value #INSECURE_PROPERTY}). */
    public void setInsecure(boolean plain) {
        this.insecure = plain;
    }

    /** How to check the room at {@code target}: its pinned key (if the link has one), the known rooms, a password. */
    JoinOptions joinOptions(InviteLink target, String password) {
        if (insecure) {
            return JoinOptions.insecureTcp();
        }
        JoinOptions o = JoinOptions.secure().withKnownRooms(knownRooms()).withPassword(password);
        return target.fingerprint() == null ? o : o.withPinned(target.fingerprint());
    }

    /** Builds the scene, restores the remembered size, shows the start screen. */
    public void show() {
        content.getStyleClass().add("content");
        rootPane.setCenter(content);
        rootPane.setBottom(statusBar());
        rootPane.getStyleClass().add("app-root");
        Scene scene = new Scene(rootPane, settings.getDouble("window.w", 1100), settings.getDouble("window.h", 720));
        theme.style(scene);
        scene.getAccelerators().put(HOST, this::openHostDialog);
        scene.getAccelerators().put(JOIN, () -> openJoinDialog(null));
        scene.getAccelerators().put(LEAVE, this::leaveRequested);
        scene.getAccelerators().put(THEME, theme::toggle);
        stage.setScene(scene);
        stage.setMinWidth(760);
        stage.setMinHeight(520);
        Theme.icon(stage);
        double x = settings.getDouble("window.x", Double.NaN);
        double y = settings.getDouble("window.y", Double.NaN);
        if (!Double.isNaN(x) && !Double.isNaN(y)) {
            stage.setX(x);
            stage.setY(y);
        }
        stage.setMaximized(settings.getBoolean("window.max", false));
        stage.setOnHidden(e -> {
            rememberGeometry();
            shutdown();
        });
        showStart();
        stage.show();
    }

    private HBox statusBar() {
        statusDot.getStyleClass().add("status-dot");
        statusText.getStyleClass().add("status-bar-text");
        Label version = new Label("Confab " + Version.get());
        version.getStyleClass().add("status-bar-text");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, statusDot, statusText, spacer, version);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        bar.setId("statusBar");
        statusText.setId("statusText");
        // the hosting service's state, then the room's connection state
        statusText.textProperty().bind(Bindings.createStringBinding(this::statusLine,
                hostService.stateProperty(), hostService.messageProperty(), joinService.stateProperty(),
                joinService.messageProperty(), stage.titleProperty()));
        statusText.textProperty().addListener((o, was, now) -> updateDot());
        hostService.runningProperty().addListener((o, was, now) -> updateDot());
        joinService.runningProperty().addListener((o, was, now) -> updateDot());
        return bar;
    }

    private String statusLine() {
        Worker.State hs = hostService.getState();
        if (hs == Worker.State.SCHEDULED || hs == Worker.State.RUNNING) {
            String m = hostService.getMessage();
            return m == null || m.isBlank() ? "Starting the room…" : m;
        }
        if (hs == Worker.State.SUCCEEDED && room == null && hostService.getValue() != null) {
            return "Hosting “" + hostService.getValue().host().roomName() + "” on port "
                    + hostService.getValue().self().port();
        }
        if (hs == Worker.State.FAILED && room == null) {
            Throwable t = hostService.getException();
            return "Hosting failed: " + (t == null ? "" : t.getMessage());
        }
        Worker.State js = joinService.getState();
        if (js == Worker.State.SCHEDULED || js == Worker.State.RUNNING) {
            return joinService.getMessage();
        }
        if (room != null) {
            return switch (room.stateProperty().get()) {
                case CONNECTED -> hosted != null
                        ? "Hosting “" + room.roomNameProperty().get() + "” on port " + hosted.self().port()
                        + " · connected as " + room.nickProperty().get()
                        : "Connected to " + room.address().address() + " as " + room.nickProperty().get();
                case RECONNECTING -> "Reconnecting to " + room.address().address() + "…";
                case DISCONNECTED -> "Disconnected from " + room.address().address();
                case LEFT -> "Not in a room";
            };
        }
        return "Not in a room";
    }

    private void updateDot() {
        statusDot.getStyleClass().removeAll("online", "busy", "offline");
        boolean busy = hostService.isRunning() || joinService.isRunning()
                || (room != null && room.stateProperty().get() == RoomViewModel.State.RECONNECTING);
        boolean online = !busy && ((room != null && room.stateProperty().get() == RoomViewModel.State.CONNECTED)
                || (room == null && hostService.getState() == Worker.State.SUCCEEDED));
        statusDot.getStyleClass().add(busy ? "busy" : online ? "online" : "offline");
    }

    // ------------------------------------------------------------------ screens

    /** Shows the start screen. */
    public void showStart() {
        StartView start = new StartView(new StartView.Actions() {
            @Override
            public void host() {
                openHostDialog();
            }

            @Override
            public void join(InviteLink prefill) {
                openJoinDialog(prefill);
            }

            @Override
            public void toggleTheme() {
                theme.toggle();
            }
        }, theme, settings);
        setContent(start.load());
        stage.titleProperty().unbind();
        stage.setTitle("Confab");
    }

    private void setContent(Node node) {
        content.getChildren().setAll(node);
    }

    private void showRoom(RoomViewModel vm, List<NetworkAddresses.Entry> invite) {
        room = vm;
        roomView = new RoomView(vm, theme, new RoomView.Actions() {
            @Override
            public void leave(RoomViewModel r) {
                leaveRequested();
            }

            @Override
            public void reconnect(RoomViewModel r) {
                MainWindow.this.reconnect();
            }

            @Override
            public void toggleTheme() {
                theme.toggle();
            }
        }, invite);
        setContent(roomView.load());
        stage.titleProperty().bind(vm.titleProperty());
        vm.stateProperty().addListener((o, was, now) -> refreshStatus());
        vm.nickProperty().addListener((o, was, now) -> refreshStatus());
        refreshStatus();
        roomView.focusInput();
    }

    private void refreshStatus() {
        // the status line depends on room state too; re-evaluate via a harmless invalidation
        statusText.textProperty().unbind();
        statusText.textProperty().bind(Bindings.createStringBinding(this::statusLine,
                hostService.stateProperty(), hostService.messageProperty(), joinService.stateProperty(),
                joinService.messageProperty(), stage.titleProperty(),
                room == null ? stage.titleProperty() : room.stateProperty()));
    }

    // ------------------------------------------------------------------ hosting

    /** Opens "Host a room" (Ctrl+N). Ignored while in a room or while a dialog is open. */
    public void openHostDialog() {
        if (room != null || (hostDialog != null && !hostDialog.isClosed()) || hostService.isRunning()) {
            return;
        }
        HostViewModel vm = new HostViewModel(settings);
        hostDialog = new HostDialogView(vm, hostService, () -> startHosting(vm), this::enterHosted);
        HostDialogView dialog = hostDialog;
        hostService.setOnSucceeded(e -> {
            HostService.Hosted h = hostService.getValue();
            if (h == null) {
                return;
            }
            if (dialog.isClosed()) {
                // the person closed the dialog while it started: go in anyway (the room runs)
                enterHosted(h);
            } else {
                dialog.started(h);
            }
        });
        hostService.setOnFailed(e -> {
            discardPending();
            dialog.failed(hostService.getException());
        });
        hostService.setOnCancelled(e -> discardPending());
        dialog.show(dialogs.window("Host a room", dialog.load()));
    }

    private void startHosting(HostViewModel vm) {
        prepareRoom(true);
        hostService.configure(vm.roomNameValue(), vm.nick().text(), vm.portValue(), bindAddress, pendingBridge);
        hostService.configureSecurity(vm.passwordValue(), insecure);
        hostService.setHostListener(HostListener.NONE);
        rerun(hostService);
    }

    private void enterHosted(HostService.Hosted h) {
        if (room != null || pendingRoom == null) {
            return;
        }
        hosted = h;
        roomPassword = h.password();
        RoomViewModel vm = takePending();
        vm.attach(RoomSession.of(h.client()), h.client().welcome(), h.self());
        vm.security(h.fingerprint(), h.passwordProtected());
        showRoom(vm, h.addresses());
    }

    // ------------------------------------------------------------------ joining

    /** Opens "Join a room" (Ctrl+J), optionally prefilled from an invitation link. */
    public void openJoinDialog(InviteLink prefill) {
        if (room != null || (joinDialog != null && joinService.isRunning())) {
            return;
        }
        JoinViewModel vm = new JoinViewModel(settings);
        if (prefill != null) {
            vm.prefill(prefill);
        }
        joinDialog = new JoinDialogView(vm, joinService, this::startJoining);
        JoinDialogView dialog = joinDialog;
        joinService.setOnSucceeded(e -> {
            RoomClient client = joinService.getValue();
            if (client == null) {
                return;
            }
            InviteLink target = vm.target();
            // from now on (reconnects, the invite link we show) this room means this key
            InviteLink where = client.fingerprint() == null ? target : target.withFingerprint(client.fingerprint());
            roomPassword = vm.passwordValue();
            dialog.joined();
            RoomViewModel r = takePending();
            r.attach(RoomSession.of(client), client.welcome(), where);
            r.security(client.fingerprint(), roomPassword != null);
            StartView.remember(settings, target, client.welcome().room());
            showRoom(r, List.of());
        });
        joinService.setOnFailed(e -> {
            discardPending();
            Throwable t = joinService.getException();
            if (t instanceof JoinException je && je.presented() != null
                    && (je.reason() == JoinException.Reason.UNKNOWN_KEY || je.reason() == JoinException.Reason.KEY_CHANGED)) {
                askTrust(vm, dialog, je);
            } else {
                dialog.failed(t);
            }
        });
        joinService.setOnCancelled(e -> discardPending());
        dialog.show(dialogs.window("Join a room", dialog.load()));
    }

    private void startJoining(JoinViewModel vm) {
        prepareRoom(false);
        InviteLink target = vm.target();
        joinService.configure(target, vm.nick().text(), joinOptions(target, vm.passwordValue()), pendingBridge);
        rerun(joinService);
    }

    /**
     * The room's key needs the person's decision: first visit (the safety code to compare) or a
     * changed key (a hard warning). Trusting remembers the key and joins again with it pinned.
     */
    private void askTrust(JoinViewModel vm, JoinDialogView dialog, JoinException je) {
        InviteLink target = vm.target();
        boolean changed = je.reason() == JoinException.Reason.KEY_CHANGED;
        Dialog<ButtonType> question = changed
                ? dialogs.keyChangedDialog(dialog.stage(), target.address(), je.known(), je.presented())
                : dialogs.trustDialog(dialog.stage(), target.address(), je.presented());
        question.setOnHidden(e -> {
            ButtonType answer = question.getResult();
            boolean trusted = answer != null && answer.getButtonData() != ButtonBar.ButtonData.CANCEL_CLOSE;
            if (!trusted) {
                dialog.notTrusted(changed);
                return;
            }
            try {
                knownRooms().trust(target.host(), target.port(), je.presented());
            } catch (java.io.IOException ex) {
                System.err.println("confab: could not remember the room key: " + ex.getMessage());
            }
            vm.pin(je.presented());
            startJoining(vm);
        });
        question.show();
    }

    /** "Reconnect" in the banner: join again with the same host, port and nickname. */
    public void reconnect() {
        RoomViewModel vm = room;
        if (vm == null || joinService.isRunning()) {
            return;
        }
        if (bridge != null) {
            bridge.detach();
        }
        vm.reconnecting();
        FxBridge fresh = new FxBridge(vm::apply);
        joinService.setOnSucceeded(e -> {
            RoomClient client = joinService.getValue();
            if (client == null || room != vm) {
                if (client != null) {
                    background.execute(client::leave);
                }
                return;
            }
            bridge = fresh;
            vm.attach(RoomSession.of(client), client.welcome(), vm.address());
        });
        joinService.setOnFailed(e -> {
            fresh.detach();
            Throwable t = joinService.getException();
            vm.reconnectFailed(t == null ? "Could not reconnect." : ErrorHandler.friendly(t));
        });
        joinService.setOnCancelled(e -> fresh.detach());
        // the same key (pinned since the first join) and password: no questions
        joinService.configure(vm.address(), vm.nickProperty().get(), joinOptions(vm.address(), roomPassword), fresh);
        rerun(joinService);
    }

    // ------------------------------------------------------------------ leaving

    /** Leave (Ctrl+L, the Leave button): for the host, asks first, then stops the room. */
    public void leaveRequested() {
        if (room == null) {
            return;
        }
        if (hosted != null && hosted.host().isRunning()
                && !dialogs.confirm("Stop hosting?", "Everyone in “" + room.roomNameProperty().get()
                + "” will be disconnected and the room will close.", "Stop hosting")) {
            return;
        }
        leaveRoom();
    }

    /** Leaves (and stops hosting) without asking; back to the start screen. */
    public void leaveRoom() {
        RoomViewModel vm = room;
        if (vm == null) {
            return;
        }
        room = null;
        roomView = null;
        roomPassword = null;
        if (bridge != null) {
            bridge.detach();
            bridge = null;
        }
        vm.leave();
        HostService.Hosted h = hosted;
        hosted = null;
        if (h != null) {
            background.execute(h.host()::close);
        }
        hostService.reset();
        showStart();
        refreshStatus();
    }

    /** Stops everything this window runs (called when it closes). */
    public void shutdown() {
        RoomViewModel vm = room;
        room = null;
        if (vm != null) {
            vm.leave();
        }
        HostService.Hosted h = hosted;
        hosted = null;
        if (h != null) {
            h.host().close();
        }
        background.shutdown();
    }

    private void rememberGeometry() {
        settings.put("window.max", Boolean.toString(stage.isMaximized()));
        if (!stage.isMaximized()) {
            settings.put("window.w", Double.toString(stage.getScene().getWidth()));
            settings.put("window.h", Double.toString(stage.getScene().getHeight()));
            settings.put("window.x", Double.toString(stage.getX()));
            settings.put("window.y", Double.toString(stage.getY()));
        }
    }

    // ------------------------------------------------------------------ pending room

    private void prepareRoom(boolean hosting) {
        discardPending();
        pendingRoom = new RoomViewModel(hosting, background);
        RoomViewModel vm = pendingRoom;
        pendingBridge = new FxBridge(vm::apply);
    }

    private RoomViewModel takePending() {
        RoomViewModel vm = pendingRoom;
        bridge = pendingBridge;
        pendingRoom = null;
        pendingBridge = null;
        return vm;
    }

    private void discardPending() {
        if (pendingBridge != null) {
            pendingBridge.detach();
        }
        pendingBridge = null;
        pendingRoom = null;
    }

    /**
     * Starts a service afresh. Not {@code Service.restart()}: that fires the previous run's
     * onCancelled handler, which would discard the room just prepared for this run.
     */
    private static void rerun(javafx.concurrent.Service<?> service) {
        if (service.isRunning()) {
            service.cancel();
        }
        if (service.getState() != Worker.State.READY) {
            service.reset();
        }
        service.start();
    }

    // ------------------------------------------------------------------ for tests

    /** The room shown, or null on the start screen. */
    public RoomViewModel room() {
        return room;
    }

    public Stage stage() {
        return stage;
    }

    public HostService hostService() {
        return hostService;
    }

    /** The port of the room this window hosts, or -1. */
    public int hostedPort() {
        HostService.Hosted h = hosted;
        return h == null ? -1 : h.self().port();
    }
}
