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
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import org.confab.net.HostListener;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.store.KnownRooms;
import org.confab.net.RoomConnection;
import org.confab.net.Version;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;

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
    /** The shown room's lasting connection and its store (null store: in memory). */
    private RoomConnection connection;
    private ClientStore store;
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
        if (target.fingerprint() == null) {
            return o;
        }
        // a key this room showed before (a confirmed safety code, an earlier join) or one an invite link names
        boolean seen = knownRooms().lookup(target.host(), target.port()).filter(target.fingerprint()::equals).isPresent();
        return o.withPinned(target.fingerprint(), seen ? JoinOptions.PinSource.SEEN : JoinOptions.PinSource.LINK);
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
        connection = h.room();
        store = h.store();
        vm.open(session(connection, store), h.self(), h.host().roomName(), h.cached(), h.pending(), true);
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
        openJoinDialog(vm, null);
    }

    /** The join dialog for {@code vm}; {@code failure}: a first join that failed, to show (or ask about) at once. */
    private void openJoinDialog(JoinViewModel vm, Throwable failure) {
        joinDialog = new JoinDialogView(vm, joinService, this::startJoining);
        JoinDialogView dialog = joinDialog;
        joinService.setOnSucceeded(e -> {
            JoinService.Joined joined = joinService.getValue();
            if (joined == null) {
                return;
            }
            InviteLink target = vm.target();
            // from now on (reconnects, the invite link we show) this room means this key
            Fingerprint key = acceptedKey(target);
            InviteLink where = key == null ? target : target.withFingerprint(key);
            roomPassword = vm.passwordValue();
            dialog.joined();
            RoomViewModel r = takePending();
            connection = joined.room();
            store = joined.store();
            String name = joined.room().welcome().room();
            r.open(session(connection, store), where, name, joined.cached(), joined.pending(), true);
            r.security(key, roomPassword != null);
            StartView.remember(settings, target, name);
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
        if (failure != null) {
            if (failure instanceof JoinException je && je.presented() != null
                    && (je.reason() == JoinException.Reason.UNKNOWN_KEY || je.reason() == JoinException.Reason.KEY_CHANGED)) {
                askTrust(vm, dialog, je);
            } else {
                dialog.failed(failure);
            }
        }
    }

    private void startJoining(JoinViewModel vm) {
        prepareRoom(false);
        InviteLink target = vm.target();
        String nick = vm.nick().text();
        JoinOptions options = joinOptions(target, vm.passwordValue());
        if (openKnownRoom(vm, target, nick, options)) {
            return;
        }
        joinService.configure(target, nick, options, pendingBridge);
        rerun(joinService);
    }

    /**
     * A room this member was in before (its store has history): show that history at once and join
     * in the background, retrying until the host answers, so the past can be read and new messages
     * written (to the outbox) even while the host is away. False if there is no such history.
     */
    private boolean openKnownRoom(JoinViewModel vm, InviteLink target, String nick, JoinOptions options) {
        java.nio.file.Path file = DataDirs.clientFile(DataDirs.userDataDir(), target.address(), nick);
        if (!java.nio.file.Files.exists(file)) {
            return false;
        }
        ClientStore known;
        try {
            known = ClientStore.open(file);
        } catch (RuntimeException e) {
            return false; // unreadable: join as if new (the join's own store open reports it)
        }
        if (known.roomId() == null || known.lastSeq() == 0) {
            known.close();
            return false;
        }
        RoomConnection c = JoinService.connection(target, nick, options, known, pendingBridge);
        Fingerprint key = acceptedKey(target);
        InviteLink where = key == null ? target : target.withFingerprint(key);
        roomPassword = vm.passwordValue();
        joinDialog.joined();
        RoomViewModel r = takePending();
        connection = c;
        store = known;
        String name = StartView.recent(settings).stream().filter(x -> x.link().address().equals(target.address()))
                .map(StartView.Recent::roomName).findFirst().orElse(target.address());
        r.open(session(c, known), where, name, c.cachedHistory(JoinService.CACHE_ROWS), c.pending(), false);
        r.security(key, roomPassword != null);
        showRoom(r, List.of());
        // the first attempt still goes through the checks a person must answer (changed key, password)
        joinService.setOnSucceeded(e -> StartView.remember(settings, target,
                c.welcome() == null ? name : c.welcome().room()));
        joinService.setOnCancelled(e -> { });
        joinService.setOnFailed(e -> {
            if (connection != c) {
                return; // left meanwhile
            }
            Throwable t = joinService.getException();
            if (t instanceof JoinException je && je.reason().retryable()) {
                c.start(); // the host is away: keep the room open, write offline, retry
                return;
            }
            // a question for the person (key, password) or a refusal retrying cannot fix: back to the dialog
            room = null;
            roomView = null;
            connection = null;
            store = null;
            bridge.detach();
            bridge = null;
            background.execute(() -> release(c, known));
            showStart();
            refreshStatus();
            openJoinDialog(vm, t);
        });
        joinService.configureFirstAttempt(c);
        rerun(joinService);
        return true;
    }

    /** The key a joined room proved to have: pinned by the link, or remembered (null: plain TCP). */
    private Fingerprint acceptedKey(InviteLink target) {
        if (insecure) {
            return null;
        }
        return target.fingerprint() != null ? target.fingerprint()
                : knownRooms().lookup(target.host(), target.port()).orElse(null);
    }

    /** The view model's side of a lasting connection; leaving also releases the connection and its store. */
    private static RoomActions session(RoomConnection c, ClientStore s) {
        RoomActions inner = RoomActions.of(c);
        return new RoomActions() {
            @Override
            public String nick() {
                return inner.nick();
            }

            @Override
            public String send(String text) {
                return inner.send(text);
            }

            @Override
            public void leave() {
                release(c, s);
            }

            @Override
            public void retryNow() {
                inner.retryNow();
            }

            @Override
            public List<org.confab.core.ChatMessage> search(String query) {
                return inner.search(query);
            }

            @Override
            public boolean hasHistory() {
                return s != null;
            }

            @Override
            public List<org.confab.store.StoredEvent> earlier(long beforeSeq, int max) {
                return s == null ? List.of() : s.before(beforeSeq, max);
            }
        };
    }

    private static void release(RoomConnection c, ClientStore s) {
        try {
            c.close(); // leaves in order if connected, stops reconnecting
        } finally {
            if (s != null) {
                s.close();
            }
        }
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

    /**
     * "Reconnect" in the banner after the connection ended (the room was closed, or a refusal):
     * a new lasting connection on the same store, so it resumes where this member left off.
     */
    public void reconnect() {
        RoomViewModel vm = room;
        RoomConnection old = connection;
        if (vm == null || old == null || old.state() != RoomConnection.State.ENDED) {
            return;
        }
        // the same key (pinned since the first join) and password: no questions
        RoomConnection fresh = JoinService.connection(vm.address(), vm.nickProperty().get(),
                joinOptions(vm.address(), roomPassword), store, bridge);
        connection = fresh;
        vm.restarting(session(fresh, store));
        background.execute(old::close); // already ended: releases its timer
        fresh.start();
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
        connection = null;
        store = null;
        if (joinService.isRunning()) {
            joinService.cancel(); // the first attempt of a room shown from its cache
        }
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
        connection = null;
        store = null;
        if (vm != null) {
            vm.leave();
        }
        HostService.Hosted h = hosted;
        hosted = null;
        background.shutdown();
        try {
            // the leave closes this member's store: let it finish before the app (or a new window) goes on
            background.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (h != null) {
            h.host().close();
        }
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
