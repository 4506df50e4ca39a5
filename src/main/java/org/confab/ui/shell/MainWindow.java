package org.confab.ui.shell;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableValue;
import javafx.concurrent.Service;
import javafx.concurrent.Worker;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.core.NicknameRules;
import org.confab.core.RoomEvent;
import org.confab.net.HostListener;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.Version;
import org.confab.net.discovery.Diagnostics;
import org.confab.net.discovery.KeyCheck;
import org.confab.store.FavouriteRooms;
import org.confab.store.KnownRooms;
import org.confab.store.StoredEvent;
import org.confab.ui.common.DialogService;
import org.confab.ui.common.Membership;
import org.confab.ui.common.NetworkAddresses;
import org.confab.ui.common.Settings;
import org.confab.ui.common.TextClipboard;
import org.confab.ui.common.Theme;
import org.confab.ui.diagnostics.DiagnosticsDialog;
import org.confab.ui.diagnostics.DiagnosticsViewModel;
import org.confab.ui.emoji.PickerMemory;
import org.confab.ui.host.HostDialogView;
import org.confab.ui.host.HostService;
import org.confab.ui.host.HostViewModel;
import org.confab.ui.host.LanAnnouncement;
import org.confab.ui.join.JoinDialogView;
import org.confab.ui.join.JoinService;
import org.confab.ui.join.JoinViewModel;
import org.confab.ui.notify.Attention;
import org.confab.ui.notify.Notification;
import org.confab.ui.notify.Notifier;
import org.confab.ui.notify.Tray;
import org.confab.ui.room.FxBridge;
import org.confab.ui.room.RoomView;
import org.confab.ui.room.RoomViewModel;
import org.confab.ui.start.NetworkRoomsViewModel;
import org.confab.ui.start.RecentRooms;
import org.confab.ui.start.RoomSource;
import org.confab.ui.start.StartView;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One Confab window: the start screen or a room ({@link OpenRoom}), and a status bar
 * ({@link StatusViewModel}). Owns the hosting and joining services and the room currently shown. Several can live in one JVM (the UI tests open two).
 */
public final class MainWindow {
    private static final KeyCombination HOST = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination JOIN = new KeyCodeCombination(KeyCode.J, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination LEAVE = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination THEME =
            new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);
    private static final KeyCombination SETTINGS = new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN);

    /**
     * System property that makes this app host and join over plain TCP (no encryption, no room
     * keys), for debugging; the room view then shows "Not encrypted". Off by default.
     */
    public static final String INSECURE_PROPERTY = "confab.insecure";

    /** Settings key: the joined conversations to reopen, one per line (link, nickname, name, tab-separated). */
    static final String CONVERSATIONS = "conversations";

    private final Stage stage;
    private final Settings settings;
    private final Theme theme;
    private final DialogService dialogs;
    private final TextClipboard clipboard = TextClipboard.system();
    private final HostService hostService = new HostService();
    private final JoinService joinService = new JoinService();
    private final StatusViewModel status = new StatusViewModel();
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("confab-ui-bg-", 0).factory());
    private final StackPane content = new StackPane();
    private final BorderPane rootPane = new BorderPane();
    private volatile InetAddress bindAddress;
    private KnownRooms knownRooms;
    /** Where the start screen's rooms on the network come from (tests and the tour: their own list). */
    private RoomSource roomSource = RoomSource.lan();
    /** How hosted rooms are announced on the network (the screenshot tour: without multicast). */
    private LanAnnouncement.Factory announcing = LanAnnouncement.lan();
    /** The start screen, while it is the one shown or was the last one. */
    private StartView start;

    private boolean insecure = Boolean.getBoolean(INSECURE_PROPERTY);

    /** Every open conversation, in the rail's order. */
    public List<RoomViewModel> conversations() {
        return rooms.stream().map(OpenRoom::vm).toList();
    }

    /** Shows the {@code index}-th open conversation (0-based), as a click on its row does. */
    public void showConversation(int index) {
        show(rooms.get(index));
    }

    /** The room shown, or null on the start screen. */
    private OpenRoom open;
    /** Every open conversation, in the rail's order; {@link #open} is the one shown. */
    private final List<OpenRoom> rooms = new ArrayList<>();
    /** While the last session's conversations reopen: the list is saved once, at the end. */
    private boolean restoring;

    private final QuickSwitcher switcher;
    /** No notifications from any conversation (remembered). */
    private final BooleanProperty doNotDisturb = new SimpleBooleanProperty(this, "doNotDisturb");
    /** Tell the others when the person types (remembered; Settings › Privacy). */
    private final BooleanProperty sendTyping = new SimpleBooleanProperty(this, "sendTyping", true);
    /** Read receipts (Settings › Privacy; remembered). */
    private final BooleanProperty sendReceipts = new SimpleBooleanProperty(this, "sendReceipts", true);
    /** Away by itself after this long without keyboard or mouse in the window. */
    static final long AUTO_AWAY_MINUTES = 10;
    /** The status the person chose (/away, /dnd, /back), or away by itself after a while without input. */
    private final IdlePresence presence = new IdlePresence(System::nanoTime, this::tellPresence);
    /** Whether notifications were off (the bell) before /dnd: leaving it puts them back so. */
    private boolean quietBeforeDnd;

    private final Timeline idle = new Timeline();
    /** Where notifications go: the system's (set when it answers), a test's sink, or none. */
    private Notifier notifier = Notifier.NONE;
    /** Confab's tray icon, or none. */
    private Tray tray = Tray.NONE;
    /** The taskbar's badge and urgency (the launcher entry on Linux), or none. */
    private Attention attention = Attention.NONE;
    /** Plays the notification sound (when Settings turned it on). */
    private Runnable ring = () -> {};
    /** True while the window is hidden in the tray with rooms running (hiding then is no quit). */
    private boolean inBackground;

    private boolean quitDone;
    /** {@link #shutdown} ran (it runs once: the window's quit and the app's stop both call it). */
    private boolean shutDown;

    private Runnable onQuit = () -> {};

    private final ConversationList rail = new ConversationList(
            this::show,
            this::openHostDialog,
            () -> openJoinDialog(null),
            this::openSettings,
            doNotDisturb,
            this::hostAgain);
    private Stage settingsDialog;
    /** "Preview formatting" in every composer (remembered). */
    private final BooleanProperty composerPreview = new SimpleBooleanProperty(this, "composerPreview");
    /** Each hosted room's "host again when Confab starts", as its rail row's menu shows it. */
    private final Map<RoomViewModel, BooleanProperty> hostAgain = new HashMap<>();
    /** The saved entries of rooms being hosted again on start, kept in the list until they run. */
    private final List<String> startingAgain = new ArrayList<>();
    /** A room being hosted or joined: its view model and bridge, made before the connection so no event is missed. */
    private RoomViewModel pendingRoom;

    private FxBridge pendingBridge;
    private HostDialogView hostDialog;
    /** The join dialog and its form, while a join started from it runs or may be asked about. */
    private JoinDialogView joinDialog;

    private JoinViewModel joinForm;

    public MainWindow(Stage stage, Settings settings, Theme theme) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.settings = settings;
        this.theme = theme;
        this.dialogs = new DialogService(() -> stage, theme);
        this.switcher = new QuickSwitcher(this::show, theme);
        doNotDisturb.set(settings.getBoolean("notify.dnd", false));
        doNotDisturb.addListener((o, was, now) -> settings.put("notify.dnd", Boolean.toString(now)));
        composerPreview.set(settings.getBoolean("composer.preview", false));
        composerPreview.addListener((o, was, now) -> settings.put("composer.preview", Boolean.toString(now)));
        sendTyping.set(settings.getBoolean(SettingsDialog.SEND_TYPING, true));
        sendTyping.addListener((o, was, now) -> settings.put(SettingsDialog.SEND_TYPING, Boolean.toString(now)));
        sendReceipts.set(settings.getBoolean(SettingsDialog.SEND_RECEIPTS, true));
        sendReceipts.addListener((o, was, now) -> settings.put(SettingsDialog.SEND_RECEIPTS, Boolean.toString(now)));
        // each service's outcome has one handler, set once; what it applies to is this window's state
        hostService.setOnSucceeded(e -> hostStarted());
        hostService.setOnFailed(e -> hostFailed());
        hostService.setOnCancelled(e -> discardPending());
        joinService.setOnSucceeded(e -> joinSucceeded());
        joinService.setOnFailed(e -> joinFailed());
        joinService.setOnCancelled(e -> discardPending());
        Runnable hosting = () -> status.hosting(
                switch (hostService.getState()) {
                    case SCHEDULED, RUNNING -> new StatusViewModel.Hosting.Starting(hostService.getMessage());
                    case SUCCEEDED ->
                        hostService.getValue() == null
                                ? StatusViewModel.Hosting.IDLE
                                : new StatusViewModel.Hosting.Running(
                                        hostService.getValue().host().roomName(),
                                        hostService.getValue().self().port());
                    case FAILED ->
                        new StatusViewModel.Hosting.Failed(
                                hostService.getException() == null
                                        ? null
                                        : hostService.getException().getMessage());
                    case READY, CANCELLED -> StatusViewModel.Hosting.IDLE;
                });
        hostService.stateProperty().addListener((o, was, now) -> hosting.run());
        hostService.messageProperty().addListener((o, was, now) -> hosting.run());
        // change listeners: an invalidation listener would go quiet once the value is not read again
        // by the state itself: the service's running flag follows its state only after these listeners
        Runnable joining = () -> status.joining(
                joinService.getState() == Worker.State.SCHEDULED || joinService.getState() == Worker.State.RUNNING
                        ? joinService.getMessage()
                        : null);
        joinService.stateProperty().addListener((o, was, now) -> joining.run());
        joinService.messageProperty().addListener((o, was, now) -> joining.run());
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

    /** Where the start screen lists rooms on the network from (default: the LAN, unless discovery is off). */
    public void setRoomSource(RoomSource source) {
        this.roomSource = Objects.requireNonNull(source, "source");
    }

    /** How rooms hosted here are announced on the network (default: the LAN, unless discovery is off). */
    public void setAnnouncing(LanAnnouncement.Factory factory) {
        this.announcing = Objects.requireNonNull(factory, "factory");
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
        boolean seen = knownRooms()
                .lookup(target.host(), target.port())
                .filter(target.fingerprint()::equals)
                .isPresent();
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
        scene.getAccelerators().put(SETTINGS, this::openSettings);
        // away by itself after a while without input; back at the first key or mouse move
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> input());
        scene.addEventFilter(MouseEvent.MOUSE_MOVED, e -> input());
        scene.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> input());
        idle.getKeyFrames().setAll(new KeyFrame(Duration.seconds(30), e -> checkIdle()));
        idle.setCycleCount(Animation.INDEFINITE);
        idle.play();
        // switching conversations: a filter, so the composer's own Ctrl+Tab (focus traversal) does not win
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::switchKeys);
        stage.focusedProperty().addListener((o, was, now) -> updateSeen());
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
        // closing the window would end the rooms hosted here for everyone: keep them in the tray,
        // or stop them, as the person chooses (once, if they want; the Stop button asks too)
        stage.setOnCloseRequest(e -> {
            switch (closeChoice()) {
                case CANCEL -> e.consume();
                case BACKGROUND -> {
                    e.consume();
                    toBackground();
                }
                case QUIT -> {}
            }
        });
        stage.setOnHidden(e -> {
            if (!inBackground) {
                quit();
            }
        });
        showStart();
        stage.show();
        restoreConversations();
    }

    private HBox statusBar() {
        Circle dot = new Circle(4);
        dot.getStyleClass().addAll("status-dot", "offline");
        Label text = new Label();
        text.getStyleClass().add("status-bar-text");
        text.setId("statusText");
        text.textProperty().bind(status.textProperty());
        status.dotProperty().addListener((o, was, now) -> {
            dot.getStyleClass().removeAll("online", "busy", "offline");
            dot.getStyleClass()
                    .add(
                            switch (now) {
                                case ONLINE -> "online";
                                case BUSY -> "busy";
                                case OFFLINE -> "offline";
                            });
        });
        Label version = new Label("Confab " + Version.get());
        version.getStyleClass().add("status-bar-text");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // the app's menu: Settings and About
        MenuItem settingsItem = new MenuItem("Settings…", new FontIcon("fth-settings"));
        settingsItem.setAccelerator(SETTINGS);
        settingsItem.setOnAction(e -> openSettings());
        MenuItem why = new MenuItem("Why can't I see a room?", new FontIcon("fth-help-circle"));
        why.setId("diagnosticsItem");
        why.setOnAction(e -> openDiagnostics());
        MenuItem about = new MenuItem("About Confab", new FontIcon("fth-info"));
        about.setId("aboutItem");
        about.setOnAction(e -> openAbout());
        MenuButton menu = new MenuButton(null, new FontIcon("fth-more-horizontal"), settingsItem, why, about);
        menu.setId("appMenu");
        menu.getStyleClass().addAll("flat", "small", "no-arrow", "app-menu");
        menu.setTooltip(new Tooltip("Settings, About Confab"));
        menu.setAccessibleText("Menu");
        menu.setFocusTraversable(false);
        HBox bar = new HBox(8, dot, text, spacer, version, menu);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        bar.setId("statusBar");
        return bar;
    }

    // ------------------------------------------------------------------ screens

    /** Shows the start screen. */
    public void showStart() {
        if (start != null) {
            start.close();
        }
        // the keys trusted before, for each room's key status (not read when nothing is browsed)
        KeyCheck.Known known = roomSource.whyOff() != null
                ? (h, p) -> Optional.empty()
                : ((KeyCheck.Known) knownRooms()::lookup)
                        .andRooms(id -> FavouriteRooms.standard().keyOf(id));
        start = new StartView(
                new StartView.Actions() {
                    @Override
                    public void host() {
                        openHostDialog();
                    }

                    @Override
                    public void join(InviteLink prefill) {
                        openJoinDialog(prefill);
                    }

                    @Override
                    public ObservableValue<Boolean> joinNow(InviteLink link) {
                        return joinAtOnce(link);
                    }

                    @Override
                    public void toggleTheme() {
                        theme.toggle();
                    }

                    @Override
                    public void settings() {
                        openSettings();
                    }

                    @Override
                    public void diagnostics() {
                        openDiagnostics();
                    }
                },
                theme,
                settings,
                new NetworkRoomsViewModel(roomSource, known, Platform::runLater, background));
        content.getChildren().setAll(start.load());
        rootPane.setLeft(null);
        updateTitle();
    }

    /**
     * The one way into a room, hosted or joined: the pending view model opens on the member's
     * connection and shows its cached history and unsent messages at once.
     *
     * @param connected true if the connection joined already (else it shows "connecting…")
     */
    private OpenRoom enter(
            Membership member,
            InviteLink where,
            String name,
            boolean connected,
            String password,
            HostService.Hosted hosted) {
        RoomViewModel vm = pendingRoom;
        FxBridge bridge = pendingBridge;
        pendingRoom = null;
        pendingBridge = null;
        return enter(vm, bridge, member, where, name, connected, password, hosted);
    }

    /** {@link #enter(Membership, InviteLink, String, boolean, String, HostService.Hosted)} with a view model and bridge of its own. */
    private OpenRoom enter(
            RoomViewModel vm,
            FxBridge bridge,
            Membership member,
            InviteLink where,
            String name,
            boolean connected,
            String password,
            HostService.Hosted hosted) {
        vm.open(OpenRoom.actions(member, hosted), where, name, member.cached(), member.pending(), connected);
        vm.sendTypingProperty().bind(sendTyping);
        vm.sendReceiptsProperty().bind(sendReceipts);
        vm.setPresenceRequest(this::setPresence);
        vm.security(insecure ? null : where.fingerprint(), password != null);
        // file transfers report through the room's one bridge; where files go and what is fetched at once, as set
        vm.files().listenThrough(bridge);
        vm.files().configure(() -> FileSettings.folder(settings), () -> FileSettings.autoBelow(settings));
        vm.files().resumeUploads(member.room().files()); // what the last run did not finish sending
        RoomView view = viewFor(vm, hosted == null ? List.of() : hosted.addresses());
        OpenRoom room = new OpenRoom(vm, view, bridge, member, hosted, password);
        rooms.add(room);
        saveConversations();
        watch(room);
        // a direct message for a conversation not open: it opens, with what came before this one
        vm.setOnDirect((peer, seq) -> openDirect(room, peer, false, seq, null));
        show(room);
        // the direct conversations this member had in the room come back with it
        if (member.store() != null) {
            List<StoredEvent> direct = member.store().direct(DIRECT_ROWS);
            Set<String> peers = new LinkedHashSet<>();
            for (StoredEvent e : direct) {
                if (e.event() instanceof RoomEvent.Posted p && p.message().direct()) {
                    peers.add(
                            NicknameRules.key(p.message().sender())
                                            .equals(NicknameRules.key(
                                                    vm.nickProperty().get()))
                                    ? p.message().to()
                                    : p.message().sender());
                }
            }
            peers.forEach(peer -> openDirect(room, peer, false, Long.MAX_VALUE, direct)); // one read for all
        }
        return room;
    }

    /** Direct events read from a member's cache when a direct conversation opens. */
    private static final int DIRECT_ROWS = 500;

    /**
     * The direct conversation with {@code peer} in {@code room}: the one open, or a new one (its
     * rows from the member's cache); shown when {@code show}. Returns it.
     */
    private OpenRoom openDirect(OpenRoom room, String peer, boolean show) {
        return openDirect(room, peer, show, Long.MAX_VALUE, null);
    }

    /**
     * As {@link #openDirect(OpenRoom, String, boolean)}; a new one shows the cached events before
     * {@code beforeSeq}, from {@code cache} (the member's direct events, already read; null: read them).
     */
    private OpenRoom openDirect(OpenRoom room, String peer, boolean show, long beforeSeq, List<StoredEvent> cache) {
        OpenRoom found = rooms.stream()
                .filter(r -> r.parent() == room
                        && NicknameRules.key(r.vm().directWithProperty().get()).equals(NicknameRules.key(peer)))
                .findFirst()
                .orElse(null);
        if (found == null && rooms.contains(room)) {
            RoomViewModel dm = new RoomViewModel(false, background);
            dm.direct(peer, room.vm().roomNameProperty().get());
            dm.seedFrom(room.vm()); // the room's members, roles and statuses, followed from now on
            List<StoredEvent> direct = cache != null
                    ? cache
                    : room.member().store() == null
                            ? List.of()
                            : room.member().store().direct(DIRECT_ROWS);
            List<StoredEvent> history = direct.stream()
                    .filter(e -> e.seq() < beforeSeq) // the one arriving now comes as news
                    .toList();
            dm.open(
                    OpenRoom.directActions(room.member(), dm),
                    room.vm().address(),
                    peer,
                    history,
                    room.connection().pending(),
                    room.connection().state() == RoomConnection.State.CONNECTED);
            dm.sendTypingProperty().set(false); // typing is the room's
            dm.sendReceiptsProperty().bind(sendReceipts); // Settings › Privacy holds here too
            dm.setPresenceRequest(this::setPresence);
            dm.security(
                    room.vm().fingerprintProperty().get(),
                    room.vm().passwordProtectedProperty().get());
            found = new OpenRoom(dm, viewFor(dm, List.of()), room.bridge(), room.member(), null, null, room);
            int at = rooms.indexOf(room) + 1;
            while (at < rooms.size() && rooms.get(at).parent() == room) {
                at++;
            }
            rooms.add(at, found);
            watch(found);
            dm.seen(false); // not in front of the person until shown: what arrives is unread
            room.vm().follow(dm);
            if (!show) {
                rail.show(rooms, open);
                updateTitle();
            }
        }
        if (show && found != null) {
            show(found);
        }
        return found;
    }

    /** The view of a conversation, with the window's actions. */
    private RoomView viewFor(RoomViewModel vm, List<NetworkAddresses.Entry> addresses) {
        RoomView view = new RoomView(
                vm,
                theme,
                new RoomView.Actions() {
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

                    @Override
                    public void openLink(URI uri) {
                        MainWindow.this.openLink(uri);
                    }

                    @Override
                    public void openFolder(Path folder) {
                        browser.accept(folder.toUri().toString()); // the system's file manager
                    }

                    @Override
                    public void openDirect(RoomViewModel in, String nick) {
                        rooms.stream()
                                .filter(r -> r.vm() == in)
                                .findFirst()
                                .map(r -> r.direct() ? r.parent() : r)
                                .ifPresent(r -> MainWindow.this.openDirect(r, nick, true));
                    }
                },
                addresses,
                clipboard);
        view.setEmojiMemory(PickerMemory.of(settings)); // recent emoji and the skin tone, remembered
        view.setPreviewSetting(composerPreview);
        view.load();
        return view;
    }

    /** Notifications, unread counts and the title follow a conversation's view model. */
    private void watch(OpenRoom room) {
        RoomViewModel vm = room.vm();
        String key = conversationKey(vm);
        vm.alertsProperty().set(alertsSetting(key));
        vm.alertsProperty().addListener((o, was, now) -> settings.put("notify." + key, now.name()));
        vm.setOnArrival(a -> arrived(room, a));
        vm.unreadProperty().addListener(o -> updateTitle());
        vm.mentionsProperty().addListener(o -> updateTitle());
        vm.titleProperty().addListener(o -> updateTitle());
    }

    /**
     * /away, /dnd, /back in any conversation: this person's status in every room open here
     * (kept by each connection across reconnects); do not disturb also silences notifications,
     * and leaving it puts them back as they were (notifications turned off by hand stay off
     * through /away and /back).
     */
    void setPresence(String state, String text) {
        boolean wasDnd = presence.chosen().equals("dnd");
        boolean dnd = state.equals("dnd");
        if (dnd && !wasDnd) {
            quietBeforeDnd = doNotDisturb.get();
            doNotDisturb.set(true);
        } else if (!dnd && wasDnd) {
            doNotDisturb.set(quietBeforeDnd);
        }
        presence.choose(state, text);
    }

    private void tellPresence(String state, String text) {
        for (OpenRoom r : rooms) {
            if (!r.direct()) {
                RoomConnection c = r.connection();
                background.execute(() -> c.presence(state, text));
            }
        }
    }

    /** Keyboard or mouse in the window: back from an automatic away. */
    private void input() {
        presence.input();
    }

    /** Checked every half minute: online, but no input for {@link #AUTO_AWAY_MINUTES}: away by itself. */
    private void checkIdle() {
        presence.check();
    }

    /** The room this window hosts on {@code target}'s port (a message link from our own invite addresses), or null. */
    private OpenRoom hostedHere(InviteLink target) {
        return rooms.stream()
                .filter(r -> r.hosted() != null
                        && r.hostedPort() == target.port()
                        && r.hosted().addresses().stream()
                                .anyMatch(a -> a.link().sameAddress(target)))
                .findFirst()
                .orElse(null);
    }

    /** Names a conversation for its settings and its notifications: the room's address and our nickname. */
    private static String conversationKey(RoomViewModel vm) {
        return (vm.address() == null ? "?" : vm.address().address()) + "/"
                + vm.nickProperty().get()
                + (vm.directWithProperty().get() == null
                        ? ""
                        : "/@" + vm.directWithProperty().get());
    }

    private RoomViewModel.Alerts alertsSetting(String key) {
        try {
            return RoomViewModel.Alerts.valueOf(settings.get("notify." + key, "ALL"));
        } catch (IllegalArgumentException e) {
            return RoomViewModel.Alerts.ALL;
        }
    }

    /** A message came into a conversation the person is not looking at: notify, if it may. */
    private void arrived(OpenRoom room, RoomViewModel.Arrival a) {
        if (!doNotDisturb.get() && room.vm().alerts(a)) {
            notifier.notify(new Notification(
                    conversationKey(room.vm()), room.vm().roomNameProperty().get(), a.sender(), a.text()));
            if (settings.getBoolean(SettingsDialog.SOUND, false)) {
                ring.run();
            }
        }
    }

    /**
     * Where notifications go from now on (the app sets the system's once it answers; tests a sink).
     * A click on one shows its conversation and brings the window to the front.
     */
    public void setNotifier(Notifier n) {
        notifier = n == null ? Notifier.NONE : n;
        notifier.onActivated(key -> Platform.runLater(() -> bringBack(key)));
    }

    /** Shows one of the open conversations (the rail, Ctrl+1..9, Ctrl+Tab, Alt+Up/Down). */
    private void show(OpenRoom room) {
        open = room;
        rootPane.setLeft(rail.node());
        content.getChildren().setAll(room.view().node());
        // a direct conversation's status bar is its room's
        OpenRoom shownRoom = room.direct() ? room.parent() : room;
        status.room(shownRoom.vm(), shownRoom.hostedPort());
        rail.show(rooms, room);
        updateSeen();
        updateTitle();
        room.view().focusInput();
    }

    /** Ctrl+K (find a conversation by name), Ctrl+1..9 (the n-th conversation), Ctrl+Tab / Ctrl+Shift+Tab and Alt+Down / Alt+Up (next, previous). */
    private void switchKeys(KeyEvent e) {
        if (rooms.isEmpty()) {
            return;
        }
        if (QuickSwitcher.opens(e)) {
            switcher.open(stage, rooms);
            e.consume();
            return;
        }
        boolean ctrl = e.isShortcutDown() && !e.isAltDown();
        if (ctrl && e.getCode() == KeyCode.TAB) {
            showNext(e.isShiftDown() ? -1 : 1);
        } else if (e.isAltDown() && !e.isShortcutDown() && (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.UP)) {
            showNext(e.getCode() == KeyCode.DOWN ? 1 : -1);
        } else if (ctrl && !e.isShiftDown() && digit(e.getCode()) >= 1) {
            int n = digit(e.getCode());
            if (n <= rooms.size()) {
                show(rooms.get(n - 1));
            }
        } else {
            return;
        }
        e.consume();
    }

    /** 0–9 for a digit key (the row above the letters or the keypad), else -1. */
    private static int digit(KeyCode code) {
        if (code.ordinal() >= KeyCode.DIGIT0.ordinal() && code.ordinal() <= KeyCode.DIGIT9.ordinal()) {
            return code.ordinal() - KeyCode.DIGIT0.ordinal();
        }
        if (code.ordinal() >= KeyCode.NUMPAD0.ordinal() && code.ordinal() <= KeyCode.NUMPAD9.ordinal()) {
            return code.ordinal() - KeyCode.NUMPAD0.ordinal();
        }
        return -1;
    }

    /** The conversation {@code step} places after (or before) the one shown, wrapping around. */
    private void showNext(int step) {
        if (open != null && rooms.size() > 1) {
            int i = rooms.indexOf(open);
            show(rooms.get(Math.floorMod(i + step, rooms.size())));
        }
    }

    /** Only the conversation in front of the person (shown, window focused) counts as seen. */
    private void updateSeen() {
        for (OpenRoom r : rooms) {
            int newSince = r.vm().seen(r == open && stage.isFocused());
            if (newSince >= 0) {
                r.view().showNewSince(newSince); // back to a room with unread messages: where they start
            }
        }
    }

    /** "(3) Design team — Confab": the shown room and, in front, what is unread in all of them. */
    private void updateTitle() {
        int unread = rooms.stream().mapToInt(r -> r.vm().unreadProperty().get()).sum();
        String base = open == null ? "Confab" : open.vm().titleProperty().get();
        stage.setTitle(unread > 0 ? "(" + unread + ") " + base : base);
        boolean mentioned =
                rooms.stream().anyMatch(r -> r.vm().mentionsProperty().get() > 0);
        attention.unread(unread, mentioned);
        tray.unread(rooms.stream()
                .filter(r -> r.vm().unreadProperty().get() > 0)
                .map(r -> new Tray.Unread(
                        conversationKey(r.vm()),
                        r.vm().roomNameProperty().get(),
                        r.vm().unreadProperty().get(),
                        r.vm().mentionsProperty().get() > 0))
                .toList());
    }

    /** Opens web and mail links (the app sets the system's: HostServices; tests a recorder). */
    private Consumer<String> browser = url -> System.err.println("confab: no browser to open " + url);

    public void setBrowser(Consumer<String> open) {
        browser = Objects.requireNonNull(open, "open");
    }

    /** A link clicked in a message: confab:// opens the Join dialog prefilled, http(s) and mailto the browser. */
    void openLink(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "confab" -> {
                try {
                    InviteLink target = InviteLink.parse(uri.toString());
                    long seq = InviteLink.messageOf(uri.toString());
                    OpenRoom there = rooms.stream()
                            .filter(r -> !r.direct()
                                    && r.vm().address() != null
                                    && r.vm().address().sameAddress(target))
                            .findFirst()
                            .orElse(null);
                    if (there == null && hostedHere(target) != null) {
                        there = hostedHere(target);
                    }
                    if (there != null) { // a room open here: show it, at the message a link names
                        show(there);
                        if (seq > 0) {
                            there.view().showMessage(seq);
                        }
                        return;
                    }
                    openJoinDialog(target);
                } catch (IllegalArgumentException e) {
                    dialogs.error(
                            "Cannot open this link", "“" + uri + "” is not a Confab room link. " + e.getMessage());
                }
            }
            case "http", "https", "mailto" -> browser.accept(uri.toString());
            default -> {} // nothing else is ever a link (SafeLinks)
        }
    }

    private Stage aboutDialog;
    private Stage diagnosticsDialog;
    private Diagnostics.Probes diagnostics = Diagnostics.system();

    /** Where "Why can't I see a room?" looks (default: this machine; tests and the tour give a made-up one). */
    public void setDiagnostics(Diagnostics.Probes probes) {
        this.diagnostics = Objects.requireNonNull(probes, "probes");
    }

    /** Opens "Why can't I see a room?" (the start screen's link, the ⋯ menu), or brings it to the front. */
    public void openDiagnostics() {
        if (diagnosticsDialog != null && diagnosticsDialog.isShowing()) {
            diagnosticsDialog.toFront();
            return;
        }
        diagnosticsDialog = DiagnosticsDialog.open(
                dialogs, new DiagnosticsViewModel(diagnostics, Platform::runLater, background, clipboard));
    }

    /** Opens "About Confab": the version and the credits (the ⋯ menu), or brings it to the front. */
    public void openAbout() {
        if (aboutDialog != null && aboutDialog.isShowing()) {
            aboutDialog.toFront();
            return;
        }
        aboutDialog = AboutDialog.open(dialogs, this::openLink);
    }

    /** Opens Settings (Ctrl+,), or brings it to the front if it is open. */
    public void openSettings() {
        if (settingsDialog != null && settingsDialog.isShowing()) {
            settingsDialog.toFront();
            return;
        }
        settingsDialog = SettingsDialog.open(dialogs, settings, theme, doNotDisturb, sendTyping, sendReceipts);
    }

    // ------------------------------------------------------------------ hosting

    /** Opens "Host a room" (Ctrl+N). Ignored while in a room or while a dialog is open. */
    public void openHostDialog() {
        if ((hostDialog != null && !hostDialog.isClosed()) || hostService.isRunning()) {
            return;
        }
        HostViewModel vm = new HostViewModel(settings);
        hostDialog = new HostDialogView(
                vm, hostService, () -> startHosting(vm), this::enterHosted, clipboard, announcing.whyOff());
        hostDialog.show(dialogs.window("Host a room", hostDialog.load()));
    }

    private void startHosting(HostViewModel vm) {
        prepareRoom(true);
        hostService.configure(vm, bindAddress, pendingBridge, insecure, announcing);
        hostService.setHostListener(HostListener.NONE);
        rerun(hostService);
    }

    private void hostStarted() {
        HostService.Hosted h = hostService.getValue();
        if (h == null) {
            return;
        }
        if (hostDialog == null || hostDialog.isClosed()) {
            enterHosted(h); // the person closed the dialog while it started: go in anyway (the room runs)
        } else {
            hostDialog.started(h);
        }
    }

    private void hostFailed() {
        discardPending();
        if (hostDialog != null) {
            hostDialog.failed(hostService.getException());
        }
    }

    private void enterHosted(HostService.Hosted h) {
        if (pendingRoom != null) {
            enter(h.member(), h.self(), h.host().roomName(), true, h.password(), h);
        }
    }

    // ------------------------------------------------------------------ joining

    /** Opens "Join a room" (Ctrl+J), optionally prefilled from an invitation link. */
    public void openJoinDialog(InviteLink prefill) {
        if (joinDialog != null && joinService.isRunning()) {
            return;
        }
        JoinViewModel vm = new JoinViewModel(settings);
        if (prefill != null) {
            vm.prefill(prefill);
        }
        openJoinDialog(vm, null);
    }

    /**
     * Joins {@code link} at once, without the Join dialog (a room picked in "Rooms on your
     * network"): as the nickname last used, or the default one. The checks still come first: a
     * key not trusted before asks for its safety code. When the join needs input (a password, a
     * nickname taken) or fails, the Join dialog opens prefilled, saying why. Ignored while a join
     * runs.
     *
     * @return true while the join runs with no window of its own (until it is in, asks, or fails)
     */
    public ObservableValue<Boolean> joinAtOnce(InviteLink link) {
        if (joinService.isRunning()) {
            return new SimpleBooleanProperty(false);
        }
        JoinViewModel vm = new JoinViewModel(settings);
        vm.prefill(link);
        if (!vm.submit()) {
            openJoinDialog(vm, null);
            return new SimpleBooleanProperty(false);
        }
        joinForm = vm;
        joinDialog = new JoinDialogView(vm, joinService, this::startJoining);
        joinDialog.load(); // not shown unless the join needs the person
        startJoining(vm);
        return joinService.runningProperty();
    }

    /** The join dialog for {@code vm}; {@code failure}: a first join that failed, to show (or ask about) at once. */
    private void openJoinDialog(JoinViewModel vm, Throwable failure) {
        joinForm = vm;
        joinDialog = new JoinDialogView(vm, joinService, this::startJoining);
        joinDialog.show(dialogs.window("Join a room", joinDialog.load()));
        if (failure != null) {
            answer(failure);
        }
    }

    private void startJoining(JoinViewModel vm) {
        joinForm = vm;
        prepareRoom(false);
        InviteLink target = vm.target();
        String nick = vm.nick().text();
        JoinOptions options = joinOptions(target, vm.passwordValue());
        OpenRoom already = rooms.stream()
                .filter(r -> !r.direct()
                        && r.vm().address().sameAddress(target)
                        && r.vm().nickProperty().get().equals(nick))
                .findFirst()
                .orElse(null);
        if (already != null) {
            discardPending(); // in this room already: show it
            joinDialog.joined();
            show(already);
            return;
        }
        Membership known =
                JoinService.known(target, nick, options, pendingBridge).orElse(null);
        if (known == null) {
            joinService.configure(target, nick, options, pendingBridge);
            rerun(joinService);
        } else {
            // a room this member was in: its history at once, the first join behind it
            joinDialog.joined();
            String name = RecentRooms.list(settings).stream()
                    .filter(r -> r.link().sameAddress(target))
                    .map(RecentRooms.Recent::roomName)
                    .findFirst()
                    .orElse(target.address());
            OpenRoom room = enter(known, trusted(target), name, false, vm.passwordValue(), null);
            firstJoin(room, vm);
        }
    }

    /**
     * The first join of a room shown from its cache, in the background: the checks a person must
     * answer (a changed key, a password) still come first; while the host is away the room stays
     * open, written to offline, and the connection keeps retrying.
     */
    private void firstJoin(OpenRoom room, JoinViewModel form) {
        RoomConnection c = room.connection();
        InviteLink target = form.target();
        CompletableFuture.runAsync(
                        () -> {
                            try {
                                c.connect(RoomConnection.FIRST_JOIN_RETRY);
                            } catch (JoinException e) {
                                throw new CompletionException(e);
                            }
                        },
                        background)
                .whenComplete((ok, error) -> Platform.runLater(() -> {
                    Throwable t = error instanceof CompletionException ce ? ce.getCause() : error;
                    if (!rooms.contains(room)) {
                        return; // left meanwhile
                    }
                    if (t == null) {
                        if (c.welcome() != null) {
                            RecentRooms.remember(settings, target, c.welcome().room());
                        }
                    } else if (t instanceof JoinException je && je.reason().retryable()) {
                        c.start(); // the host is away: keep the room open, write offline, retry
                    } else {
                        // a question for the person (key, password) or a refusal retrying cannot
                        // fix: back to the dialog
                        closeRoom(room);
                        openJoinDialog(form, t);
                    }
                }));
    }

    private void joinSucceeded() {
        InviteLink target = joinForm.target();
        Membership joined = joinService.getValue();
        if (joined == null) {
            return; // cancelled
        }
        joinDialog.joined();
        String name = joined.room().welcome().room();
        enter(joined, trusted(target), name, true, joinForm.passwordValue(), null);
        RecentRooms.remember(settings, target, name);
        rememberFavourite(joined.room().welcome().roomId(), name, trusted(target));
    }

    /** A room joined by address or link: looked for later where multicast does not pass (start screen). */
    private void rememberFavourite(String roomId, String name, InviteLink link) {
        try {
            FavouriteRooms.standard().remember(roomId, name, link);
        } catch (IOException | RuntimeException e) {
            // not remembered: the room is still joined, and the link still works
        }
    }

    private void joinFailed() {
        discardPending();
        answer(joinService.getException());
    }

    /** Shows a failed join in the dialog, or asks the person about the room's key. */
    private void answer(Throwable failure) {
        if (failure instanceof JoinException je
                && je.presented() != null
                && (je.reason() == JoinException.Reason.UNKNOWN_KEY
                        || je.reason() == JoinException.Reason.KEY_CHANGED)) {
            askTrust(joinForm, joinDialog, je);
        } else if (joinDialog.stage() == null) {
            openJoinDialog(joinForm, failure); // a join started without the dialog (joinAtOnce)
        } else {
            joinDialog.failed(failure);
        }
    }

    /**
     * The address a joined room goes by from now on (reconnects, the invite link shown): with the
     * key it proved to have, pinned by the link or remembered (none over plain TCP).
     */
    private InviteLink trusted(InviteLink target) {
        if (insecure) {
            return target;
        }
        Fingerprint key = target.fingerprint() != null
                ? target.fingerprint()
                : knownRooms().lookup(target.host(), target.port()).orElse(null);
        return key == null ? target : target.withFingerprint(key);
    }

    /**
     * The room's key needs the person's decision: first visit (the safety code to compare) or a
     * changed key (a hard warning). Trusting remembers the key and joins again with it pinned.
     */
    private void askTrust(JoinViewModel vm, JoinDialogView dialog, JoinException je) {
        InviteLink target = vm.target();
        boolean changed = je.reason() == JoinException.Reason.KEY_CHANGED;
        Window owner = dialog.stage() != null ? dialog.stage() : stage; // joinAtOnce: no dialog shown
        Dialog<ButtonType> question = changed
                ? dialogs.keyChangedDialog(owner, target.address(), je.known(), je.presented())
                : dialogs.trustDialog(owner, target.address(), je.presented());
        question.setOnHidden(e -> {
            ButtonType answer = question.getResult();
            boolean trusted = answer != null && answer.getButtonData() != ButtonBar.ButtonData.CANCEL_CLOSE;
            if (!trusted) {
                if (dialog.stage() != null) {
                    dialog.notTrusted(changed);
                } // else: picked from the list, and the person said no: nothing joined, nothing to fix
                return;
            }
            try {
                knownRooms().trust(target.host(), target.port(), je.presented());
            } catch (IOException ex) {
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
        OpenRoom r = open;
        if (r == null || r.connection().state() != RoomConnection.State.ENDED) {
            return;
        }
        // the same key (pinned since the first join) and password: no questions
        RoomViewModel vm = r.vm();
        RoomConnection fresh = Membership.connection(
                vm.address(),
                vm.nickProperty().get(),
                joinOptions(vm.address(), r.password()),
                r.member().store(),
                r.bridge());
        OpenRoom again = r.on(fresh);
        rooms.set(rooms.indexOf(r), again);
        for (int i = 0; i < rooms.size(); i++) {
            OpenRoom dm = rooms.get(i);
            if (dm.parent() == r) { // its direct conversations go on with it, on the new connection
                OpenRoom moved = dm.directIn(again);
                dm.vm().restarting(OpenRoom.directActions(again.member(), dm.vm()));
                rooms.set(i, moved);
            }
        }
        open = again;
        rail.show(rooms, again);
        background.execute(r.connection()::close); // already ended: releases its timer
        fresh.start();
    }

    // ------------------------------------------------------------------ leaving

    /** What closing the window does while rooms are hosted here. */
    enum CloseChoice {
        /** Keep the window (the person cancelled). */
        CANCEL,
        /** Keep hosting: the window goes to the tray (or is minimized where there is no tray). */
        BACKGROUND,
        /** Stop hosting and quit (the rooms joined are reopened on the next start). */
        QUIT
    }

    /** Settings key: what closing the window while hosting does ({@code ask}, {@code background}, {@code quit}). */
    static final String CLOSE_WHILE_HOSTING = "close.hosting";

    /** The rooms hosted here that run, as “name” for a sentence. */
    private List<String> hostedRunning() {
        return rooms.stream()
                .filter(r -> r.hosted() != null && r.hosted().host().isRunning())
                .map(r -> "“" + r.vm().roomNameProperty().get() + "”")
                .toList();
    }

    /**
     * The window is about to close: quit if nothing hosted here runs; else what the person chose
     * before ("remember my choice"), or asks: keep hosting in the tray, or stop hosting and quit.
     */
    private CloseChoice closeChoice() {
        List<String> hosted = hostedRunning();
        if (hosted.isEmpty()) {
            return CloseChoice.QUIT;
        }
        String remembered = settings.get(CLOSE_WHILE_HOSTING, "ask");
        if (remembered.equals("background")) {
            return CloseChoice.BACKGROUND;
        }
        if (remembered.equals("quit")) {
            return CloseChoice.QUIT;
        }
        String which = hosted.size() == 1 ? hosted.getFirst() : String.join(", ", hosted);
        boolean inTray = tray.present();
        Alert a = dialogs.alert(
                Alert.AlertType.CONFIRMATION,
                "Keep hosting " + which + "?",
                "Quitting Confab closes " + which + " for everyone in " + (hosted.size() == 1 ? "it" : "them") + ". "
                        + (inTray
                                ? "Confab can keep hosting in the system tray and tell you about new messages."
                                : "Confab can keep hosting with its window minimized.")
                        + " The rooms you joined are reopened when you start Confab again.",
                inTray ? "Keep hosting in the tray" : "Keep hosting, minimized");
        ButtonType stop = new ButtonType("Stop hosting and quit", ButtonBar.ButtonData.NO);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        a.getButtonTypes().addAll(stop, cancel);
        CheckBox remember = new CheckBox("Remember my choice (Settings can change it)");
        remember.setId("rememberClose");
        Label text = new Label(a.getContentText());
        text.setWrapText(true);
        text.setMaxWidth(520);
        text.setId("closeText");
        VBox body = new VBox(12, text, remember);
        a.getDialogPane().setContent(body);
        a.getDialogPane().setId("closeWhileHosting");
        a.getDialogPane().setPrefWidth(600);
        for (ButtonType t : a.getButtonTypes()) {
            // each as wide as its words: "Keep hosting in the tray" must not be cut to the others' width
            ButtonBar.setButtonUniformSize(a.getDialogPane().lookupButton(t), false);
        }
        ButtonType answer = a.showAndWait().orElse(cancel);
        CloseChoice choice = switch (answer.getButtonData()) {
            case OK_DONE -> CloseChoice.BACKGROUND;
            case NO -> CloseChoice.QUIT;
            default -> CloseChoice.CANCEL;
        };
        if (choice != CloseChoice.CANCEL && remember.isSelected()) {
            settings.put(CLOSE_WHILE_HOSTING, choice == CloseChoice.BACKGROUND ? "background" : "quit");
        }
        return choice;
    }

    /** The window goes away, the rooms keep running: into the tray, or minimized where there is none. */
    private void toBackground() {
        if (tray.present()) {
            inBackground = true;
            rememberGeometry();
            stage.hide();
        } else {
            stage.setIconified(true);
        }
    }

    /** The window back in front (from the tray, a notification), showing conversation {@code key} if given. */
    private void bringBack(String key) {
        if (!stage.isShowing()) {
            stage.show();
        }
        inBackground = false;
        stage.setIconified(false);
        stage.toFront();
        stage.requestFocus();
        if (key != null) {
            rooms.stream()
                    .filter(r -> conversationKey(r.vm()).equals(key))
                    .findFirst()
                    .ifPresent(this::show);
        }
    }

    /** "Quit Confab" in the tray menu: asks first if rooms are hosted here (the window comes back to ask). */
    private void quitFromTray() {
        List<String> hosted = hostedRunning();
        if (!hosted.isEmpty()) {
            bringBack(null);
            String which = hosted.size() == 1 ? hosted.getFirst() : String.join(", ", hosted);
            if (!dialogs.confirm(
                    "Quit and stop hosting?",
                    "Quitting Confab closes " + which + " for everyone in " + (hosted.size() == 1 ? "it" : "them")
                            + ".",
                    "Stop hosting and quit")) {
                return;
            }
        }
        inBackground = false;
        if (stage.isShowing()) {
            stage.hide(); // quits when hidden
        } else {
            quit();
        }
    }

    /** The window is gone for good: remember it, stop everything, tell the app. */
    private void quit() {
        if (quitDone) {
            return;
        }
        quitDone = true;
        rememberGeometry();
        shutdown();
        onQuit.run();
    }

    /** What the app does when this window quits (ConfabApp: exit; tests: nothing). */
    public void setOnQuit(Runnable action) {
        onQuit = Objects.requireNonNull(action, "action");
    }

    /**
     * The tray icon from now on (the app sets the system's once AWT started; tests a fake): its
     * menu shows what is unread, opens the window or a conversation, quits.
     */
    /**
     * The taskbar's badge from now on (the app sets the system's once the bus answers; tests a
     * recorder): the unread count of every conversation, urgent while a mention is unread.
     */
    public void setAttention(Attention a) {
        attention = a == null ? Attention.NONE : a;
        updateTitle();
    }

    /** What plays the notification sound (the app: the bundled chime; tests: a counter). */
    public void setSound(Runnable sound) {
        ring = Objects.requireNonNull(sound, "sound");
    }

    public void setTray(Tray t) {
        tray = t == null ? Tray.NONE : t;
        tray.onOpen(key -> Platform.runLater(() -> bringBack(key)));
        tray.onQuit(() -> Platform.runLater(this::quitFromTray));
        updateTitle();
    }

    /** Leave (Ctrl+L, the Leave button): for the host, asks first, then stops the room. */
    public void leaveRequested() {
        OpenRoom r = open;
        if (r == null) {
            return;
        }
        if (r.hosted() != null
                && r.hosted().host().isRunning()
                && !dialogs.confirm(
                        "Stop hosting?",
                        "Everyone in “" + r.vm().roomNameProperty().get()
                                + "” will be disconnected and the room will close.",
                        "Stop hosting")) {
            return;
        }
        leaveRoom();
    }

    /** Leaves the conversation shown (and stops hosting it) without asking; the next one or the start screen. */
    public void leaveRoom() {
        if (open != null) {
            closeRoom(open);
        }
    }

    /** Ends one conversation; the others are untouched. The rail shows its neighbour next. */
    private void closeRoom(OpenRoom r) {
        int i = rooms.indexOf(r);
        if (i < 0) {
            return;
        }
        rooms.remove(i);
        if (!r.direct()) { // its direct conversations end with it
            List<OpenRoom> directs = rooms.stream().filter(d -> d.parent() == r).toList();
            rooms.removeAll(directs);
            directs.forEach(OpenRoom::close);
            if (directs.contains(open)) {
                open = r;
            }
            i = Math.min(i, rooms.size());
        }
        hostAgain.remove(r.vm());
        saveConversations();
        r.close();
        if (!hostService.isRunning()) {
            hostService.reset();
        }
        if (open == r) {
            open = null;
            status.room(null, -1);
            if (rooms.isEmpty()) {
                showStart();
            } else {
                show(rooms.get(Math.min(i, rooms.size() - 1)));
            }
        } else {
            rail.show(rooms, open);
            updateTitle();
        }
    }

    /** Settings key prefix: a hosted room (by port and name) is hosted again when Confab starts. */
    static final String HOST_AGAIN = "host.again.";

    private static String hostAgainKey(OpenRoom r) {
        return HOST_AGAIN + r.hostedPort() + "/" + r.vm().roomNameProperty().get();
    }

    /** A hosted room's "host again when Confab starts" (off unless the person chose it; remembered). */
    private BooleanProperty hostAgain(OpenRoom r) {
        return hostAgain.computeIfAbsent(r.vm(), vm -> {
            BooleanProperty p = new SimpleBooleanProperty(settings.getBoolean(hostAgainKey(r), false));
            p.addListener((o, was, now) -> {
                settings.put(hostAgainKey(r), Boolean.toString(now));
                saveConversations();
            });
            return p;
        });
    }

    /**
     * Remembers the open conversations, so the next start reopens them: the joined ones (address
     * with its key, nickname, name) and the hosted ones the person wants hosted again ({@code host},
     * port, nickname, name). The others hosted here end with the window.
     */
    private void saveConversations() {
        if (restoring) {
            return; // written once, when all are back
        }
        StringBuilder b = new StringBuilder();
        for (OpenRoom r : rooms) {
            if (r.direct()) {
                continue; // reopened with its room, from the room's cache
            }
            String name = r.vm().roomNameProperty().get().replace('\t', ' ').replace('\n', ' ');
            if (r.hosted() != null) {
                if (r.hostedPort() > 0
                        && !r.hosted().passwordProtected()
                        && settings.getBoolean(hostAgainKey(r), false)) {
                    b.append("host\t")
                            .append(r.hostedPort())
                            .append('\t')
                            .append(r.vm().nickProperty().get())
                            .append('\t')
                            .append(name)
                            .append('\n');
                }
            } else if (r.vm().address() != null) {
                b.append(r.vm().address().format())
                        .append('\t')
                        .append(r.vm().nickProperty().get())
                        .append('\t')
                        .append(name)
                        .append('\n');
            }
        }
        startingAgain.forEach(b::append);
        settings.put(CONVERSATIONS, b.toString());
    }

    /** A joined conversation of the last session, while its cache opens in the background. */
    private record Reopening(
            String line,
            InviteLink target,
            String nick,
            String name,
            JoinOptions options,
            RoomViewModel vm,
            FxBridge bridge) {}

    /**
     * Reopens the conversations open when the window last closed: each shows its history from this
     * member's cache at once and joins behind it (a password room asks again); the caches open off
     * the FX thread, all in one go, and come into the rail in their old order. An entry whose
     * history is gone or unreadable is skipped. Rooms hosted here come back on their own
     * ({@link #hostAgainOnStart}).
     */
    private void restoreConversations() {
        List<Reopening> joined = new ArrayList<>();
        for (String line : settings.get(CONVERSATIONS, "").split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 4 && f[0].equals("host")) {
                hostAgainOnStart(f[3], f[2], f[1]);
                continue;
            }
            if (f.length < 3) {
                continue;
            }
            InviteLink target;
            try {
                target = InviteLink.parse(f[0]);
            } catch (IllegalArgumentException e) {
                continue; // a damaged entry
            }
            RoomViewModel vm = new RoomViewModel(false, background);
            Reopening r = new Reopening(
                    line + "\n", target, f[1], f[2], joinOptions(target, null), vm, new FxBridge(vm::apply));
            joined.add(r);
            startingAgain.add(r.line()); // in the saved list while it opens
        }
        if (joined.isEmpty()) {
            return;
        }
        CompletableFuture.supplyAsync(
                        () -> joined.stream()
                                .map(r -> JoinService.known(r.target(), r.nick(), r.options(), r.bridge()))
                                .toList(),
                        background)
                .whenComplete((members, error) -> Platform.runLater(() -> {
                    if (error != null) {
                        // kept in the saved list for the next start; nothing shown now
                        System.err.println("confab: could not reopen the last conversations: " + error);
                        joined.forEach(r -> r.bridge().detach());
                        return;
                    }
                    reopened(joined, members);
                }));
    }

    /** The caches of the last session's conversations are open: into the rail, and rejoin each. */
    private void reopened(List<Reopening> joined, List<Optional<Membership>> members) {
        OpenRoom shown = open;
        OpenRoom first = null;
        restoring = true;
        for (int i = 0; i < joined.size(); i++) {
            Reopening r = joined.get(i);
            startingAgain.remove(r.line());
            Membership known = members.get(i).orElse(null);
            if (known == null) {
                r.bridge().detach();
                continue;
            }
            if (quitDone) {
                background.execute(known::close);
                continue;
            }
            JoinViewModel form = new JoinViewModel(settings);
            form.prefill(r.target());
            form.nick().textProperty().set(r.nick());
            OpenRoom room = enter(r.vm(), r.bridge(), known, trusted(r.target()), r.name(), false, null, null);
            first = first == null ? room : first;
            firstJoin(room, form);
        }
        restoring = false;
        if (quitDone) {
            return;
        }
        saveConversations(); // once, for all that came back
        if (shown != null) {
            show(shown); // the person opened another one meanwhile: it stays in front
        } else if (first != null) {
            show(first);
        }
    }

    /**
     * Hosts a room again that was hosted when Confab last closed (the person chose so): on the same
     * port, so its members' links and its history still hold; in the background, beside the others.
     * A room that cannot start (the port is taken now) says so, and stays in the list to try again.
     */
    private void hostAgainOnStart(String name, String nick, String portText) {
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            return; // a damaged entry
        }
        if (port <= 0 || port > 65535 || name.isBlank() || nick.isBlank()) {
            return;
        }
        RoomViewModel vm = new RoomViewModel(true, background);
        FxBridge bridge = new FxBridge(vm::apply);
        HostService.Request request = new HostService.Request(
                name,
                nick,
                port,
                bindAddress,
                bridge,
                HostListener.NONE,
                null,
                insecure,
                settings.getBoolean(HostViewModel.ANNOUNCE, true) ? announcing : null,
                HostViewModel.FileLimits.remembered(settings));
        String entry = "host\t" + port + "\t" + nick + "\t" + name + "\n";
        startingAgain.add(entry); // in the saved list while it starts
        CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return HostService.start(request, m -> {}, () -> false);
                            } catch (Exception e) {
                                throw new CompletionException(e);
                            }
                        },
                        background)
                .whenComplete((h, error) -> Platform.runLater(() -> {
                    startingAgain.remove(entry);
                    if (error != null) {
                        bridge.detach();
                        Throwable t = error instanceof CompletionException ce ? ce.getCause() : error;
                        System.err.println("confab: could not host " + name + " again: " + t);
                        saveConversations(); // not again: the person hosts it from the dialog
                        if (!quitDone) {
                            dialogs.alert(
                                            Alert.AlertType.WARNING,
                                            "Could not host “" + name + "” again",
                                            t.getMessage() + " Host it again from “Host a room” when you are ready.",
                                            "OK")
                                    .show();
                        }
                        return;
                    }
                    if (quitDone) {
                        background.execute(() -> {
                            h.member().close();
                            h.host().close();
                        });
                        return;
                    }
                    OpenRoom shown = open;
                    OpenRoom r = enter(vm, bridge, h.member(), h.self(), name, true, null, h);
                    hostAgain(r).set(true);
                    if (shown != null) {
                        show(shown); // the person may be reading another one by now
                    }
                }));
    }

    /** Stops everything this window runs (called when it closes). */
    public void shutdown() {
        if (shutDown) {
            return; // the window quit already; the app's stop() calls it again
        }
        shutDown = true;
        idle.stop();
        if (start != null) {
            start.close(); // browsing stops; its responders close in the background, awaited below
        }
        notifier.close();
        tray.close();
        Attention badge = attention;
        attention = Attention.NONE;
        background.execute(badge::close); // clears the badge; may wait for the bus a moment
        List<OpenRoom> all = List.copyOf(rooms);
        rooms.clear();
        open = null;
        status.room(null, -1);
        all.forEach(OpenRoom::close);
        background.shutdown();
        try {
            // the leaves close the members' stores and the hosted rooms: let them finish before the
            // app (or a new window) goes on
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (OpenRoom r : all) {
            if (r.hosted() != null) {
                r.hosted().host().close(); // in case the leave did not finish in time
            }
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
        pendingBridge = new FxBridge(pendingRoom::apply);
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
    private static void rerun(Service<?> service) {
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
        OpenRoom r = open;
        return r == null ? null : r.vm();
    }

    public Stage stage() {
        return stage;
    }

    /** The view of the room shown, or null on the start screen. */
    public RoomView roomView() {
        OpenRoom r = open;
        return r == null ? null : r.view();
    }

    public HostService hostService() {
        return hostService;
    }

    /** The start screen, or null while a room is shown. */
    public StartView startView() {
        return open == null ? start : null;
    }

    /** The port of the room this window hosts, or -1. */
    public int hostedPort() {
        OpenRoom r = open;
        return r == null ? -1 : r.hostedPort();
    }
}
