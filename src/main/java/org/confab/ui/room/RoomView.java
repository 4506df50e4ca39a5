package org.confab.ui.room;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableMap;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.confab.core.ChatMessage;
import org.confab.core.FileNames;
import org.confab.core.FileRef;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.core.Moderation;
import org.confab.core.SlashCommands;
import org.confab.net.Joined;
import org.confab.store.DataDirs;
import org.confab.ui.common.AddressRow;
import org.confab.ui.common.Fxml;
import org.confab.ui.common.NetworkAddresses;
import org.confab.ui.common.SafetyCodes;
import org.confab.ui.common.TextClipboard;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.AstralInput;
import org.confab.ui.emoji.EmojiFlow;
import org.confab.ui.emoji.EmojiPicker;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.emoji.PickerMemory;
import org.confab.ui.emoji.ShortcodeCompletion;
import org.confab.ui.files.FileCard;
import org.confab.ui.files.ImageViewer;
import org.confab.ui.files.Transfer;
import org.confab.ui.markdown.MarkdownText;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The room: members on the left, messages in the middle, the composer below. Thin: state lives
 * in {@link RoomViewModel}. Keeps the list at the bottom only if the person was already there;
 * otherwise a floating "new messages" button offers the jump.
 */
public final class RoomView {
    /** What the view asks its window to do. */
    public interface Actions {
        void leave(RoomViewModel vm);

        void reconnect(RoomViewModel vm);

        void toggleTheme();

        /** A link in a message: the browser for http(s) and mailto, the Join dialog for confab://. */
        default void openLink(URI uri) {}

        /** "Message privately": the direct conversation with {@code nick} in the room of {@code vm}. */
        default void openDirect(RoomViewModel vm, String nick) {}

        /** "Open folder": the system's file manager at {@code folder}. */
        default void openFolder(Path folder) {}
    }

    /** Where files to share come from: the system's pickers, or a test's. */
    public interface Choosers {
        /** "Files…": the files chosen (empty: cancelled). */
        List<Path> files(Node owner);

        /** "Folder…": the folder chosen (null: cancelled). */
        Path folder(Node owner);
    }

    /** The system's file pickers; tests give their own (native dialogs cannot be driven). */
    private Choosers choosers = new Choosers() {
        @Override
        public List<Path> files(Node owner) {
            FileChooser c = new FileChooser();
            c.setTitle("Share files — Confab");
            List<File> chosen = c.showOpenMultipleDialog(owner.getScene().getWindow());
            return chosen == null
                    ? List.of()
                    : chosen.stream().map(File::toPath).toList();
        }

        @Override
        public Path folder(Node owner) {
            DirectoryChooser c = new DirectoryChooser();
            c.setTitle("Share a folder — Confab");
            File chosen = c.showDialog(owner.getScene().getWindow());
            return chosen == null ? null : chosen.toPath();
        }
    };

    /** "Save as…": where to put a file (null: cancelled). The system's dialog asks before replacing a file. */
    private Function<FileRef, Path> saveAs = this::chooseSaveAs;

    private Path chooseSaveAs(FileRef file) {
        FileChooser c = new FileChooser();
        c.setTitle("Save " + file.fileName() + " — Confab");
        c.setInitialFileName(FileNames.safeName(file.fileName()));
        Path folder = vm.files().folder();
        if (Files.isDirectory(folder)) {
            c.setInitialDirectory(folder.toFile());
        }
        File chosen = c.showSaveDialog(root.getScene().getWindow());
        return chosen == null ? null : chosen.toPath();
    }

    /** Tests: pickers instead of the system's dialogs (call before {@link #load()}). */
    public void useChoosers(Choosers pick, Function<FileRef, Path> saveTo) {
        choosers = Objects.requireNonNull(pick, "pick");
        saveAs = Objects.requireNonNull(saveTo, "saveTo");
    }

    /** The image viewer opened last, if any. */
    private ImageViewer viewer;

    /** The image viewer opened last (tests), or null. */
    public ImageViewer viewer() {
        return viewer;
    }

    /** What a file's card does: fetch, save as, show its folder, view an image, pause, resume, cancel. */
    private FileCard.Actions fileActions() {
        return new FileCard.Actions() {
            @Override
            public void save(FileRef file) {
                vm.files().download(vm.fileTransfers(), file, null);
            }

            @Override
            public void saveAs(FileRef file) {
                Path to = saveAs.apply(file);
                if (to != null) {
                    vm.files().download(vm.fileTransfers(), file, to);
                }
            }

            @Override
            public void openFolder(Path saved) {
                actions.openFolder(
                        Files.isDirectory(saved)
                                ? saved
                                : saved.toAbsolutePath().getParent());
            }

            @Override
            public void view(FileRef file) {
                Transfer t = vm.files().transfers().get(file.id());
                if (t != null && t.status() == Transfer.Status.DONE && t.saved() != null) {
                    viewer = ImageViewer.open(root.getScene().getWindow(), t.saved(), file.fileName(), vm.background());
                    return;
                }
                // the full image is fetched on demand, then shown
                MapChangeListener<String, Transfer> once = new MapChangeListener<>() {
                    @Override
                    public void onChanged(Change<? extends String, ? extends Transfer> c) {
                        Transfer now = c.getValueAdded();
                        if (!file.id().equals(c.getKey()) || now == null || now.active()) {
                            return;
                        }
                        vm.files().transfers().removeListener(this);
                        if (now.status() == Transfer.Status.DONE && now.saved() != null) {
                            viewer = ImageViewer.open(
                                    root.getScene().getWindow(), now.saved(), file.fileName(), vm.background());
                        }
                    }
                };
                vm.files().transfers().addListener(once);
                if (t == null || !t.active()) {
                    save(file);
                }
            }

            @Override
            public void pause(String key) {
                vm.files().pause(vm.fileTransfers(), key);
            }

            @Override
            public void resume(String key) {
                vm.files().resume(vm.fileTransfers(), key);
            }

            @Override
            public void cancel(String key) {
                vm.files().cancel(vm.fileTransfers(), key);
            }
        };
    }

    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);

    @FXML
    private BorderPane root;

    @FXML
    private VBox sidebar;

    @FXML
    private Label memberCount;

    @FXML
    private ListView<String> memberList;

    @FXML
    private Button showMembersButton;

    @FXML
    private VBox inviteBox;

    @FXML
    private VBox inviteList;

    @FXML
    private StackPane meAvatar;

    @FXML
    private Label meInitials;

    @FXML
    private Label meLabel;

    @FXML
    private Label meState;

    @FXML
    private FontIcon themeIcon;

    @FXML
    private Label headerTitle;

    @FXML
    private Label headerSubtitle;

    @FXML
    private Label headerTopic;

    @FXML
    private HBox securityChip;

    @FXML
    private Label securityLabel;

    @FXML
    private Label securityCode;

    @FXML
    private FontIcon securityIcon;

    @FXML
    private Label passwordBadge;

    @FXML
    private Button copyLinkButton;

    @FXML
    private Button leaveButton;

    @FXML
    private FontIcon leaveIcon;

    @FXML
    private HBox banner;

    @FXML
    private Label bannerTitle;

    @FXML
    private Label bannerText;

    @FXML
    private Button reconnectButton;

    @FXML
    private ListView<ChatItem> messageList;

    @FXML
    private Button jumpButton;

    @FXML
    private Button earlierButton;

    @FXML
    private TextArea input;

    @FXML
    private Button sendButton;

    @FXML
    private Label composerError;

    @FXML
    private TextField searchField;

    @FXML
    private VBox searchPanel;

    @FXML
    private Label searchTitle;

    @FXML
    private ListView<ChatMessage> searchResults;

    private final RoomViewModel vm;
    private final Theme theme;
    private final Actions actions;
    private final List<NetworkAddresses.Entry> inviteAddresses;
    private final TextClipboard clipboard;
    private MessageScroller scroller;
    private RoomSearch search;
    /** Drives the banner's countdown while reconnecting (FX thread, a few times a second). */
    private final Timeline countdown = new Timeline();
    /**
     * @param inviteAddresses addresses to show others (the host's interfaces); empty for a member
     */
    public RoomView(
            RoomViewModel vm,
            Theme theme,
            Actions actions,
            List<NetworkAddresses.Entry> inviteAddresses,
            TextClipboard clipboard) {
        this.vm = vm;
        this.clipboard = clipboard;
        this.theme = theme;
        this.actions = actions;
        this.inviteAddresses = inviteAddresses;
    }

    public BorderPane load() {
        BorderPane view = Fxml.load(this, "Room.fxml");
        view.getStylesheets().add(EmojiText.stylesheet()); // emoji, the picker, Markdown blocks
        bindSidebar();
        bindHeader();
        bindMessages();
        bindComposer();
        search = new RoomSearch(
                vm, root, searchField, searchPanel, searchTitle, searchResults, scroller::reveal, input::requestFocus);
        scroller.attach(view);
        view.widthProperty().addListener((o, was, now) -> fit(now.doubleValue()));
        searchPanel.visibleProperty().addListener((o, was, now) -> fit(view.getWidth()));
        return view;
    }

    private void bindSidebar() {
        memberCount
                .textProperty()
                .bind(Bindings.createStringBinding(
                        () -> "MEMBERS — "
                                + String.format("%,d", vm.memberTotalProperty().get()),
                        vm.memberTotalProperty()));
        showMembersButton.visibleProperty().bind(vm.membersCompleteProperty().not());
        showMembersButton.managedProperty().bind(showMembersButton.visibleProperty());
        memberList.setItems(vm.members());
        memberList.setCellFactory(
                l -> new MemberCell(vm, this::startRename, this::startCommand, nick -> actions.openDirect(vm, nick)));
        vm.roles().addListener((MapChangeListener<String, Moderation.Role>) c -> memberList.refresh());
        vm.statuses().addListener((MapChangeListener<String, Joined.Status>) c -> memberList.refresh());
        vm.myRoleProperty().addListener((o, was, now) -> memberList.refresh());
        memberList.setFocusTraversable(false);

        List<NetworkAddresses.Entry> invite = inviteAddresses;
        if (vm.directWithProperty().get() != null) {
            invite = List.of(); // a direct conversation invites nobody: the room's view does
        } else if (invite.isEmpty() && vm.address() != null) {
            invite = List.of(new NetworkAddresses.Entry(vm.address(), "", false));
        }
        int i = 0;
        for (NetworkAddresses.Entry e : invite) {
            HBox row = AddressRow.of(e.link(), "", i++, clipboard);
            row.getChildren().remove(1); // no interface name in the narrow sidebar
            row.getStyleClass().add("compact");
            Button copy = (Button) row.getChildren().getLast();
            copy.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            Label addr = (Label) row.getChildren().getFirst();
            addr.setMinWidth(0);
            addr.setTooltip(new Tooltip(e.link().address()));
            inviteList.getChildren().add(row);
        }
        inviteBox.setVisible(!invite.isEmpty());
        inviteBox.setManaged(!invite.isEmpty());

        EmojiText.standard().apply(meLabel, vm.nickProperty().get());
        vm.nickProperty().addListener((o, was, now) -> EmojiText.standard().apply(meLabel, now));
        meInitials
                .textProperty()
                .bind(Bindings.createStringBinding(
                        () -> NickColors.initials(vm.nickProperty().get()), vm.nickProperty()));
        meAvatar.styleProperty()
                .bind(Bindings.createStringBinding(
                        () -> "-fx-background-color: "
                                + NickColors.hex(vm.colourSeed(vm.nickProperty().get())) + ";",
                        vm.nickProperty()));
        meState.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> switch (vm.stateProperty().get()) {
                            case CONNECTED -> vm.hostingProperty().get() ? "Host · online" : "Online";
                            case RECONNECTING -> "Reconnecting…";
                            case DISCONNECTED, LEFT -> "Offline";
                        },
                        vm.stateProperty()));
        themeIcon.setIconLiteral(theme.isDark() ? "fth-sun" : "fth-moon");
        theme.darkProperty().addListener((o, was, dark) -> themeIcon.setIconLiteral(dark ? "fth-sun" : "fth-moon"));
    }

    private void bindHeader() {
        headerTopic.textProperty().bind(vm.topicProperty());
        headerTopic.visibleProperty().bind(vm.topicProperty().isNotEmpty());
        headerTopic.managedProperty().bind(headerTopic.visibleProperty());
        var topicTip = new Tooltip();
        topicTip.textProperty().bind(Bindings.concat("Topic: ", vm.topicProperty()));
        topicTip.setWrapText(true);
        topicTip.setMaxWidth(420);
        headerTopic.setTooltip(topicTip);
        EmojiText.standard().apply(headerTitle, vm.roomNameProperty().get()); // emoji as images
        vm.roomNameProperty().addListener((o, was, now) -> EmojiText.standard().apply(headerTitle, now));
        headerSubtitle
                .textProperty()
                .bind(Bindings.createStringBinding(
                        () -> {
                            int n = vm.memberTotalProperty().get();
                            if (vm.directWithProperty().get() != null
                                    && vm.stateProperty().get() == RoomViewModel.State.CONNECTED) {
                                return "Direct message in "
                                        + vm.inRoomProperty().get() + " · the room's host can read it";
                            }
                            return switch (vm.stateProperty().get()) {
                                case CONNECTED ->
                                    String.format("%,d", n)
                                            + (n == 1
                                                    ? " member"
                                                    : " members"); // connected: the rail's dot and the status bar say
                                // so
                                case RECONNECTING -> "reconnecting…";
                                case DISCONNECTED -> "disconnected";
                                case LEFT -> "left";
                            };
                        },
                        vm.memberTotalProperty(),
                        vm.stateProperty()));
        bindSecurity();
        boolean hosting = vm.hostingProperty().get();
        boolean direct = vm.directWithProperty().get() != null;
        leaveButton.setText(hosting ? "Stop hosting" : direct ? "Close" : "Leave");
        leaveButton.setAccessibleText(leaveButton.getText());
        if (hosting) {
            leaveButton.getTooltip().setText("Stop hosting: everyone is disconnected (Ctrl+L)");
        }
        leaveIcon.setIconLiteral(hosting ? "fth-power" : direct ? "fth-x" : "fth-log-out");
        if (direct) {
            leaveButton.getTooltip().setText("Close this conversation; the room stays open (Ctrl+L)");
        }
        if (hosting) {
            leaveButton.getStyleClass().add("danger");
        }
        var down = Bindings.createBooleanBinding(
                () -> switch (vm.stateProperty().get()) {
                    case DISCONNECTED, RECONNECTING -> true;
                    default -> false;
                },
                vm.stateProperty());
        banner.visibleProperty().bind(down);
        banner.managedProperty().bind(down);
        bannerText.textProperty().bind(vm.disconnectTextProperty());
        bannerTitle.textProperty().bind(vm.bannerTitleProperty());
        countdown.getKeyFrames().setAll(new KeyFrame(Duration.millis(250), e -> vm.tick(Instant.now())));
        countdown.setCycleCount(Animation.INDEFINITE);
        Runnable stateChanged = () -> {
            boolean reconnecting = vm.stateProperty().get() == RoomViewModel.State.RECONNECTING;
            banner.getStyleClass().remove("reconnecting");
            if (reconnecting) {
                banner.getStyleClass().add("reconnecting");
                countdown.play();
            } else {
                countdown.stop();
            }
            // while it retries by itself the button only hurries it; after the end it starts again
            reconnectButton.setText(reconnecting ? "Retry now" : "Reconnect");
            vm.tick(Instant.now());
        };
        vm.stateProperty().addListener((o, was, now) -> stateChanged.run());
        stateChanged.run();
        root.sceneProperty().addListener((o, was, now) -> {
            if (now == null) {
                countdown.stop(); // the view is gone
            }
        });
    }

    /** "Encrypted 03941 55820 …" (the safety code) with a lock, or a visible "Not encrypted" warning. */
    private void bindSecurity() {
        Tooltip tip = new Tooltip();
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        tip.setShowDelay(Duration.millis(250));
        tip.getStyleClass().add("security-tooltip");
        Tooltip.install(securityChip, tip);
        Runnable update = () -> {
            Fingerprint fp = vm.fingerprintProperty().get();
            boolean encrypted = fp != null;
            securityLabel.setText(
                    encrypted ? "Encrypted" : "Not encrypted"); // the code beside it; the tooltip says what it is
            securityCode.setText(encrypted ? SafetyCodes.oneLine(fp) : "");
            securityCode.setVisible(encrypted);
            securityCode.setManaged(encrypted);
            securityChip.getStyleClass().removeAll("encrypted", "insecure");
            securityChip.getStyleClass().add(encrypted ? "encrypted" : "insecure");
            securityIcon.setIconLiteral(encrypted ? "fth-lock" : "fth-alert-triangle");
            tip.setText(
                    encrypted
                            ? "This room is encrypted. Its safety code:\n\n" + SafetyCodes.twoLines(fp) + "\n\n"
                                    + (vm.hostingProperty().get()
                                            ? "Members see this code when they join for the first time; it must match."
                                            : SafetyCodes.COMPARE)
                            : "This connection is not encrypted: anyone on the network can read and change this chat.");
            securityChip.setAccessibleText(vm.securityTextProperty().get());
            boolean pw = vm.passwordProtectedProperty().get();
            passwordBadge.setVisible(pw);
            passwordBadge.setManaged(pw);
        };
        vm.securityTextProperty().addListener((o, was, now) -> update.run());
        vm.passwordProtectedProperty().addListener((o, was, now) -> update.run());
        update.run();
    }

    /** The message text the person last pressed in (a selection there wins over the row for Ctrl+C). */
    private EmojiFlow selectingIn;

    private void bindMessages() {
        messageList.setItems(vm.messages());
        DoubleBinding bubbleMax = Bindings.createDoubleBinding(
                () -> Math.max(160, Math.min(720, messageList.getWidth() * 0.72)), messageList.widthProperty());
        messageList.setCellFactory(l -> new ChatCell(bubbleMax, clipboard, vm::colourSeed, messageActions()));
        vm.readsVersionProperty().addListener(o -> messageList.refresh()); // "seen" marks of our messages
        Label empty = new Label("No messages yet. Say hello!");
        empty.getStyleClass().add("list-placeholder");
        messageList.setPlaceholder(empty);
        // the message text last pressed in: where a text selection is (the flows take no focus)
        messageList.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            selectingIn = null;
            for (Node n = e.getPickResult().getIntersectedNode(); n != null && n != messageList; n = n.getParent()) {
                if (n instanceof EmojiFlow f) {
                    selectingIn = f;
                    messageList.requestFocus(); // so Ctrl+C reaches the list (the flow consumes the press)
                    break;
                }
            }
        });
        messageList.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (COPY.match(e)) {
                // a text selection inside a message wins; otherwise the whole selected row
                EmojiFlow flow = selectingIn;
                if (flow != null
                        && flow.getScene() != null
                        && !flow.selectedText().isEmpty()) {
                    flow.copySelection(clipboard::copy);
                } else {
                    ChatCell.copy(messageList.getSelectionModel().getSelectedItem(), clipboard);
                }
                e.consume();
            }
        });
        scroller = new MessageScroller(vm, messageList, jumpButton, earlierButton);
    }

    /** Below this width Leave / Stop hosting shows its icon only and the members sidebar narrows. */
    static final double COMPACT_WIDTH = 900;
    /** Below this width "Copy link" shows its icon only (the safety code needs the room). */
    static final double LINK_TEXT_WIDTH = 1100;
    /** Below this width the members sidebar steps aside. */
    static final double MEMBERS_WIDTH = 700;

    /** Keeps everything inside a narrow window: icon-only buttons (their tooltips and accessible texts stay). */
    private void fit(double width) {
        boolean compact = width < COMPACT_WIDTH;
        copyLinkButton.setContentDisplay(width < LINK_TEXT_WIDTH ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT);
        leaveButton.setContentDisplay(compact ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT);
        sidebar.setPrefWidth(compact ? 200 : 220);
        // beside the conversations rail in a small window: the chat keeps the room, the members go
        // (the header still says how many)
        boolean members = width >= MEMBERS_WIDTH && !searchPanel.isVisible(); // search results take its place
        sidebar.setVisible(members);
        sidebar.setManaged(members);
    }

    @FXML
    private void showEarlier() {
        scroller.showEarlier();
    }

    private void bindComposer() {
        input.textProperty().bindBidirectional(vm.draftProperty());
        // offline writing: while reconnecting, what is written waits in the outbox (shown pending)
        var writable = Bindings.createBooleanBinding(vm::canWrite, vm.stateProperty());
        input.disableProperty().bind(writable.not());
        input.promptTextProperty()
                .bind(Bindings.createStringBinding(
                        () -> switch (vm.stateProperty().get()) {
                            case CONNECTED -> "Message " + vm.roomNameProperty().get();
                            case RECONNECTING -> "Offline: write anyway, it is sent when the connection is back";
                            case DISCONNECTED, LEFT -> "Disconnected. Reconnect to write.";
                        },
                        vm.stateProperty(),
                        vm.roomNameProperty()));
        sendButton.disableProperty().bind(vm.canSendProperty().not());
        composerError.textProperty().bind(vm.lastErrorProperty());
        // grow with the draft's lines, up to a few, then scroll inside
        input.textProperty().addListener((o, was, now) -> {
            long lines = now.chars().filter(c -> c == '\n').count() + 1;
            input.setPrefHeight(Math.min(140, 20 + 21 * Math.min(lines, 6)));
        });
        // the completion list first: while it shows, Enter, Tab, Up and Esc are its own
        completion = ShortcodeCompletion.install(input, EmojiText.standard())
                .add(ComposerCompletions.commands(SlashCommands.desktop()))
                .add(ComposerCompletions.commandNicks(SlashCommands.desktop(), vm::members, vm::isMe, vm::colourSeed))
                .add(ComposerCompletions.mentions(vm::members, vm::isMe, vm::colourSeed));
        input.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.isConsumed()) {
                return; // the completion list took it
            }
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                if (e.isShiftDown()) {
                    input.replaceSelection("\n");
                } else {
                    send();
                }
            } else if (e.getCode() == KeyCode.ESCAPE
                    && (vm.editingProperty().get() != null
                            || vm.replyingToProperty().get() != null)) {
                e.consume(); // Esc ends an edit or a reply before anything else
                vm.cancelEdit();
                vm.cancelReply();
            } else if (e.getCode() == KeyCode.UP
                    && !e.isShiftDown()
                    && !e.isShortcutDown()
                    && !e.isAltDown()
                    && input.getText().isEmpty()
                    && vm.startEdit(vm.lastOwnMessage())) {
                e.consume(); // Up in an empty composer edits our last message, as in Slack and Element
                input.end();
            }
        });
        composerContext();
        composerFormatting();
        composerEmoji();
        RoomAttachments.install(
                vm,
                (HBox) input.getParent(),
                sendButton,
                (VBox) input.getParent().getParent(),
                input,
                root,
                (StackPane) messageList.getParent(),
                choosers,
                clipboard,
                DataDirs.userDataDir().resolve("pasted"));
        typingLine();
    }

    private static final KeyCombination BOLD = new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination ITALIC = new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination CODE = new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination PREVIEW =
            new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    /** The composer's one completion list: emoji short codes, /commands, @mentions. */
    private ShortcodeCompletion completion;

    /** "Preview formatting" on or off (the shell gives the remembered setting). */
    private BooleanProperty previewShown = new SimpleBooleanProperty(this, "previewShown", false);

    private ComposerPreview preview;

    /** The composer's preview follows {@code shown} from now on (call before {@link #load()}). */
    public void setPreviewSetting(BooleanProperty shown) {
        previewShown = shown == null ? new SimpleBooleanProperty(false) : shown;
    }

    /**
     * Ctrl+B, Ctrl+I and Ctrl+E wrap the selection in Markdown ({@link ComposerFormat}); the same
     * three as buttons beside the emoji button, and "Preview formatting", which shows the draft
     * drawn as its bubble will be, above the composer.
     */
    private void composerFormatting() {
        input.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            ComposerFormat.Style style = BOLD.match(e)
                    ? ComposerFormat.Style.BOLD
                    : ITALIC.match(e) ? ComposerFormat.Style.ITALIC : CODE.match(e) ? ComposerFormat.Style.CODE : null;
            if (style != null && !e.isConsumed()) {
                e.consume();
                format(style);
            } else if (PREVIEW.match(e) && !e.isConsumed()) {
                e.consume();
                previewShown.set(!previewShown.get());
            }
        });
        HBox row = (HBox) input.getParent();
        int at = row.getChildren().indexOf(sendButton);
        row.getChildren().add(at++, formatButton("formatBold", "fth-bold", "Bold (Ctrl+B)", ComposerFormat.Style.BOLD));
        row.getChildren()
                .add(at++, formatButton("formatItalic", "fth-italic", "Italic (Ctrl+I)", ComposerFormat.Style.ITALIC));
        row.getChildren().add(at++, formatButton("formatCode", "fth-code", "Code (Ctrl+E)", ComposerFormat.Style.CODE));
        ToggleButton toggle = new ToggleButton(null, new FontIcon("fth-eye"));
        toggle.setId("previewToggle");
        toggle.getStyleClass().addAll("icon-button", "flat");
        toggle.setFocusTraversable(false);
        toggle.setTooltip(new Tooltip("Preview formatting: the message as it will look (Ctrl+Shift+P)"
                + "\nCtrl+B bold · Ctrl+I italic · Ctrl+E code · Shift+Enter new line"));
        toggle.setAccessibleText("Preview formatting");
        toggle.selectedProperty().bindBidirectional(previewShown);
        row.getChildren().add(at, toggle);
        preview = new ComposerPreview(
                input,
                new MarkdownText(EmojiText.standard(), ChatCell.BUBBLE_FONT, actions::openLink, clipboard::copy),
                ChatCell.BUBBLE_FONT,
                previewShown);
        VBox area = (VBox) row.getParent();
        area.getChildren().add(area.getChildren().indexOf(row), preview.node());
    }

    private Button formatButton(String id, String icon, String tip, ComposerFormat.Style style) {
        Button b = new Button(null, new FontIcon(icon));
        b.setId(id);
        b.getStyleClass().addAll("icon-button", "flat", "format-button");
        b.setFocusTraversable(false); // a click keeps the composer's selection
        b.setTooltip(new Tooltip(tip));
        b.setAccessibleText(tip);
        b.disableProperty().bind(input.disableProperty());
        b.setOnAction(e -> {
            format(style);
            input.requestFocus();
        });
        return b;
    }

    /** Wraps the composer's selection in {@code style} (or the caret in an empty pair). */
    void format(ComposerFormat.Style style) {
        ComposerFormat.Edit edit = ComposerFormat.apply(
                input.getText(),
                input.getSelection().getStart(),
                input.getSelection().getEnd(),
                style);
        String was = input.getText();
        String now = edit.text();
        if (!now.equals(was)) {
            // replace only what changed: one undoable step (Ctrl+Z takes the markers back off)
            int a = 0;
            while (a < was.length() && a < now.length() && was.charAt(a) == now.charAt(a)) {
                a++;
            }
            int z = 0;
            while (z < was.length() - a
                    && z < now.length() - a
                    && was.charAt(was.length() - 1 - z) == now.charAt(now.length() - 1 - z)) {
                z++;
            }
            input.replaceText(a, was.length() - z, now.substring(a, now.length() - z));
        }
        input.selectRange(edit.start(), edit.end());
    }

    /**
     * "alice is typing…" in the line under the composer (where hints are), while the room says so;
     * our own typing goes out as we write (throttled by the connection).
     */
    private void typingLine() {
        input.textProperty().addListener((o, was, now) -> {
            if (now != null && now.length() > (was == null ? 0 : was.length())) {
                vm.draftEdited(); // typing more, not clearing after a send
            }
        });
        Label typing = new Label();
        typing.setId("typingLine");
        typing.getStyleClass().add("typing-line");
        typing.setMinWidth(0);
        // a nickname's emoji as images
        EmojiText.standard().apply(typing, vm.typingTextProperty().get());
        vm.typingTextProperty()
                .addListener((o, was, now) -> EmojiText.standard().apply(typing, now));
        HBox hintRow = (HBox) composerError.getParent();
        Node hint = hintRow.getChildren().getFirst();
        // the typing line takes the hint's place while someone types
        hint.visibleProperty().bind(vm.typingTextProperty().isEmpty());
        hint.managedProperty().bind(hint.visibleProperty());
        typing.visibleProperty().bind(vm.typingTextProperty().isNotEmpty());
        typing.managedProperty().bind(typing.visibleProperty());
        hintRow.getChildren().addFirst(typing);
        Timeline expiry = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.expireTyping(Instant.now())));
        expiry.setCycleCount(Animation.INDEFINITE);
        vm.typingTextProperty().addListener((o, was, now) -> {
            if (now.isEmpty()) {
                expiry.stop();
            } else {
                expiry.play();
            }
        });
        root.sceneProperty().addListener((o, was, now) -> {
            if (now == null) {
                expiry.stop();
            }
        });
    }

    /** Where the picker remembers recent emoji and the skin tone (the shell gives the settings'). */
    private PickerMemory emojiMemory = PickerMemory.inMemory();

    private EmojiPicker picker;

    /** The picker remembers in {@code memory} from now on (call before {@link #load()}). */
    public void setEmojiMemory(PickerMemory memory) {
        emojiMemory = memory == null ? PickerMemory.inMemory() : memory;
    }

    /**
     * Emoji in the composer: typed ones arrive whole (GTK's key events cut astral characters to 16
     * bits: {@link AstralInput}), {@code :thu} offers 👍, and the smiley button or Ctrl+. opens
     * the picker.
     */
    private void composerEmoji() {
        AstralInput.install(input);
        Button button = new Button(null, new FontIcon("fth-smile"));
        button.setId("emojiButton");
        button.getStyleClass().addAll("icon-button", "flat");
        button.setTooltip(new Tooltip("Emoji (Ctrl+.)"));
        button.setAccessibleText("Emoji");
        button.disableProperty().bind(input.disableProperty());
        HBox row = (HBox) input.getParent();
        row.getChildren().add(row.getChildren().indexOf(sendButton), button);
        picker = new EmojiPicker(EmojiText.standard(), emojiMemory);
        picker.attach(input, button);
    }

    /**
     * Above the composer while it answers a message ("Replying to alice: …") or changes one of
     * ours ("Editing your message"): what it is about, and ✕ (or Esc) to stop.
     */
    private void composerContext() {
        Label title = new Label();
        title.getStyleClass().add("composer-context-title");
        Label text = new Label();
        text.getStyleClass().add("composer-context-text");
        text.setMinWidth(0);
        Button close = new Button(null, new FontIcon("fth-x"));
        close.getStyleClass().addAll("icon-button", "flat", "small");
        close.setId("composerContextClose");
        close.setTooltip(new Tooltip("Cancel (Esc)"));
        close.setAccessibleText("Cancel");
        close.setOnAction(e -> {
            vm.cancelEdit();
            vm.cancelReply();
            input.requestFocus();
        });
        VBox words = new VBox(1, title, text);
        words.setMinWidth(0);
        HBox.setHgrow(words, Priority.ALWAYS);
        HBox bar = new HBox(8, new FontIcon("fth-corner-up-left"), words, close);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("composer-context");
        bar.setId("composerContext");
        Runnable update = () -> {
            ChatItem.Message editing = vm.editingProperty().get();
            ChatItem.Message replying = vm.replyingToProperty().get();
            boolean shown = editing != null || replying != null;
            bar.setVisible(shown);
            bar.setManaged(shown);
            if (editing != null) {
                ((FontIcon) bar.getChildren().getFirst()).setIconLiteral("fth-edit-2");
                EmojiText.standard().apply(title, "Editing your message");
                EmojiText.standard().apply(text, "Enter saves · Esc cancels");
            } else if (replying != null) {
                ((FontIcon) bar.getChildren().getFirst()).setIconLiteral("fth-corner-up-left");
                EmojiText.standard().apply(title, "Replying to " + replying.sender());
                EmojiText.standard().apply(text, ChatCell.oneLine(replying.text()));
            }
        };
        vm.editingProperty().addListener((o, was, now) -> update.run());
        vm.replyingToProperty().addListener((o, was, now) -> update.run());
        update.run();
        VBox area = (VBox) input.getParent().getParent(); // the composer area: the bar sits above the input
        area.getChildren().addFirst(bar);
    }

    /** What a message row's menu, reactions and quote do. */
    private MessageActions messageActions() {
        FileCard.Actions files = fileActions();
        return new MessageActions() {
            @Override
            public void reply(ChatItem.Message m) {
                vm.replyTo(m);
                input.requestFocus();
            }

            @Override
            public void toggleReaction(ChatItem.Message m, String emoji) {
                vm.toggleReaction(m, emoji);
            }

            @Override
            public void pickReaction(ChatItem.Message m, Node anchor) {
                picker.show(anchor, emoji -> vm.toggleReaction(m, emoji));
            }

            @Override
            public void edit(ChatItem.Message m) {
                if (vm.startEdit(m)) {
                    input.requestFocus();
                    input.end();
                }
            }

            @Override
            public void delete(ChatItem.Message m) {
                confirmDelete(m);
            }

            @Override
            public boolean moderates() {
                return vm.directWithProperty().get() == null
                        && vm.myRoleProperty().get().moderates();
            }

            @Override
            public void copyLink(ChatItem.Message m) {
                // the address others use: the first one this host lists, else the one joined
                InviteLink room = inviteAddresses.isEmpty()
                        ? vm.address()
                        : inviteAddresses.getFirst().link();
                if (room != null) {
                    clipboard.copy(room.formatMessage(m.seq()));
                }
            }

            @Override
            public void showOriginal(long seq) {
                int i = vm.indexOfSeq(seq);
                if (i >= 0) {
                    scroller.reveal(i);
                } else {
                    vm.note(
                            "The message this answers is older than what is shown: use Search or “Show earlier messages”.");
                }
            }

            @Override
            public void openLink(URI uri) {
                actions.openLink(uri);
            }

            @Override
            public String me() {
                return vm.nickProperty().get();
            }

            @Override
            public List<String> seenBy(ChatItem.Message m) {
                return vm.seenBy(m);
            }

            @Override
            public FileCard.Actions files() {
                return files;
            }

            @Override
            public ObservableMap<String, Transfer> transfers() {
                return vm.files().transfers();
            }
        };
    }

    /** "Delete" on our own message: asks first (a deletion cannot be undone), then deletes it for everyone. */
    private void confirmDelete(ChatItem.Message m) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        if (root.getScene() != null) {
            a.initOwner(root.getScene().getWindow());
        }
        a.setTitle("Delete message — Confab");
        a.setHeaderText("Delete this message for everyone?");
        a.setContentText("“" + ChatCell.oneLine(m.text())
                + "” is removed from the room's history, for everyone. This cannot be undone.");
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
        a.getButtonTypes().setAll(delete, cancel);
        a.getDialogPane().setId("deleteMessage");
        theme.style(a.getDialogPane());
        ((Button) a.getDialogPane().lookupButton(delete)).setDefaultButton(false);
        ((Button) a.getDialogPane().lookupButton(cancel)).setDefaultButton(true);
        a.showAndWait().filter(b -> b == delete).ifPresent(b -> vm.delete(m));
        input.requestFocus();
    }

    /** A member's menu (moderation): the composer with the command written, for a reason or a time. */
    private void startCommand(String command) {
        vm.draftProperty().set(command);
        input.requestFocus();
        input.end();
    }

    /** "Change nickname…": the composer, with "/nick " written, for the new name. */
    private void startRename() {
        vm.draftProperty().set("/nick ");
        input.requestFocus();
        input.end();
    }

    /** Scrolls to message {@code seq} (a message link), or says it is older than what is shown. */
    public void showMessage(long seq) {
        messageActions().showOriginal(seq);
    }

    /** Shows the "New since" row at {@code index} (the person came back to this room). */
    public void showNewSince(int index) {
        scroller.showAt(index);
    }

    /** The view's root, once {@link #load()}ed. */
    public Node node() {
        return root;
    }

    /** The composer's completion list (tests, screenshots). */
    ShortcodeCompletion completion() {
        return completion;
    }

    /** Focuses the composer (when the view is shown). */
    public void focusInput() {
        input.requestFocus();
    }

    @FXML
    private void send() {
        scroller.sending(); // our own (pending) row appears at the bottom: show it
        if (vm.send()) {
            scroller.sent();
        } else {
            scroller.notSent();
        }
        input.requestFocus();
    }

    @FXML
    private void jumpToBottom() {
        scroller.jumpToBottom();
        input.requestFocus();
    }

    @FXML
    private void showAllMembers() {
        vm.showAllMembers();
        showMembersButton.setText("Loading members…");
        showMembersButton.setDisable(true);
    }

    @FXML
    private void closeSearch() {
        search.close();
    }

    @FXML
    private void leave() {
        actions.leave(vm);
    }

    @FXML
    private void reconnect() {
        if (vm.stateProperty().get() == RoomViewModel.State.RECONNECTING) {
            vm.retryNow();
        } else {
            actions.reconnect(vm);
        }
    }

    @FXML
    private void toggleTheme() {
        actions.toggleTheme();
    }

    @FXML
    private void copyLink() {
        InviteLink link = inviteAddresses.isEmpty()
                ? vm.address()
                : inviteAddresses.getFirst().link();
        if (link != null) {
            clipboard.copy(link.format());
            copyLinkButton.setText("Link copied");
            var back = new PauseTransition(Duration.seconds(1.6));
            back.setOnFinished(e -> copyLinkButton.setText("Copy link"));
            back.play();
        }
    }

    Scene scene() {
        return root.getScene();
    }
}
