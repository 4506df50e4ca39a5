package org.confab.ui;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
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
    }

    private static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final DateTimeFormatter HIT_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm")
            .withZone(java.time.ZoneId.systemDefault());

    @FXML private BorderPane root;
    @FXML private Label roomName;
    @FXML private Label roomAddress;
    @FXML private Label memberCount;
    @FXML private ListView<String> memberList;
    @FXML private VBox inviteBox;
    @FXML private VBox inviteList;
    @FXML private StackPane meAvatar;
    @FXML private Label meInitials;
    @FXML private Label meLabel;
    @FXML private Label meState;
    @FXML private FontIcon themeIcon;
    @FXML private Label headerTitle;
    @FXML private Label headerSubtitle;
    @FXML private HBox securityChip;
    @FXML private Label securityLabel;
    @FXML private Label securityCode;
    @FXML private FontIcon securityIcon;
    @FXML private Label passwordBadge;
    @FXML private Button copyLinkButton;
    @FXML private Button leaveButton;
    @FXML private FontIcon leaveIcon;
    @FXML private HBox banner;
    @FXML private Label bannerTitle;
    @FXML private Label bannerText;
    @FXML private Button reconnectButton;
    @FXML private ListView<ChatItem> messageList;
    @FXML private Button jumpButton;
    @FXML private Button earlierButton;
    @FXML private TextArea input;
    @FXML private Button sendButton;
    @FXML private Label composerError;
    @FXML private TextField searchField;
    @FXML private VBox searchPanel;
    @FXML private Label searchTitle;
    @FXML private ListView<ChatMessage> searchResults;

    private final RoomViewModel vm;
    private final Theme theme;
    private final Actions actions;
    private final List<NetworkAddresses.Entry> inviteAddresses;
    private boolean stickToBottom = true;
    private boolean scrollOnNextChange;
    /** Follow the bottom in the next pulse, before its layout (once, however many changes came). */
    private boolean followPending;
    /** The person scrolled, clicked or pressed a key in the list since the last layout pulse. */
    private boolean personScrolled;
    /** Pulses left to settle a jump to the bottom (variable heights: the first lands on estimates). */
    private int scrollTries;
    /** True while this view itself scrolls the list (not the person). */
    private boolean selfScroll;
    private int unseen;
    private final Runnable pulseCheck = this::afterLayout;
    private final Runnable prePulse = this::beforeLayout;
    /** Drives the banner's countdown while reconnecting (FX thread, a few times a second). */
    private final Timeline countdown = new Timeline();
    private final PauseTransition searchDelay = new PauseTransition(javafx.util.Duration.millis(220));
    /** The query whose results are shown or awaited (older answers are dropped). */
    private String searching = "";

    /**
     * @param inviteAddresses addresses to show others (the host's interfaces); empty for a member
     */
    public RoomView(RoomViewModel vm, Theme theme, Actions actions, List<NetworkAddresses.Entry> inviteAddresses) {
        this.vm = vm;
        this.theme = theme;
        this.actions = actions;
        this.inviteAddresses = inviteAddresses;
    }

    public BorderPane load() {
        BorderPane view = Fxml.load(this, "Room.fxml");
        bindSidebar();
        bindHeader();
        bindMessages();
        bindComposer();
        bindSearch();
        view.sceneProperty().addListener((o, was, now) -> {
            if (was != null) {
                was.removePostLayoutPulseListener(pulseCheck);
                was.removePreLayoutPulseListener(prePulse);
            }
            if (now != null) {
                now.addPreLayoutPulseListener(prePulse);
                now.addPostLayoutPulseListener(pulseCheck);
            }
        });
        return view;
    }

    private void bindSidebar() {
        roomName.textProperty().bind(vm.roomNameProperty());
        roomAddress.textProperty().bind(Bindings.createStringBinding(() -> {
            InviteLink a = vm.address();
            if (a == null) {
                return "";
            }
            return vm.hostingProperty().get() ? "Hosted by you · port " + a.port() : "at " + a.address();
        }, vm.addressProperty()));
        memberCount.textProperty().bind(Bindings.createStringBinding(
                () -> "MEMBERS — " + vm.members().size(), vm.members()));
        memberList.setItems(vm.members());
        memberList.setCellFactory(l -> new MemberCell(vm));
        memberList.setFocusTraversable(false);

        List<NetworkAddresses.Entry> invite = inviteAddresses;
        if (invite.isEmpty() && vm.address() != null) {
            invite = List.of(new NetworkAddresses.Entry(vm.address(), "", false));
        }
        int i = 0;
        for (NetworkAddresses.Entry e : invite) {
            HBox row = HostDialogView.addressRow(e.link(), "", i++);
            row.getChildren().remove(1); // no interface name in the narrow sidebar
            row.getStyleClass().add("compact");
            Button copy = (Button) row.getChildren().getLast();
            copy.setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            Label addr = (Label) row.getChildren().getFirst();
            addr.setMinWidth(0);
            addr.setTooltip(new javafx.scene.control.Tooltip(e.link().address()));
            inviteList.getChildren().add(row);
        }
        inviteBox.setVisible(!invite.isEmpty());
        inviteBox.setManaged(!invite.isEmpty());

        meLabel.textProperty().bind(vm.nickProperty());
        meInitials.textProperty().bind(Bindings.createStringBinding(
                () -> NickColors.initials(vm.nickProperty().get()), vm.nickProperty()));
        meAvatar.styleProperty().bind(Bindings.createStringBinding(
                () -> "-fx-background-color: " + NickColors.hex(vm.nickProperty().get()) + ";", vm.nickProperty()));
        meState.textProperty().bind(Bindings.createStringBinding(() -> switch (vm.stateProperty().get()) {
            case CONNECTED -> vm.hostingProperty().get() ? "Host · online" : "Online";
            case RECONNECTING -> "Reconnecting…";
            case DISCONNECTED, LEFT -> "Offline";
        }, vm.stateProperty()));
        themeIcon.setIconLiteral(theme.isDark() ? "fth-sun" : "fth-moon");
        theme.darkProperty().addListener((o, was, dark) -> themeIcon.setIconLiteral(dark ? "fth-sun" : "fth-moon"));
    }

    private void bindHeader() {
        headerTitle.textProperty().bind(vm.roomNameProperty());
        headerSubtitle.textProperty().bind(Bindings.createStringBinding(() -> {
            int n = vm.members().size();
            return switch (vm.stateProperty().get()) {
                case CONNECTED -> n + (n == 1 ? " member" : " members") + " · connected";
                case RECONNECTING -> "reconnecting…";
                case DISCONNECTED -> "disconnected";
                case LEFT -> "left";
            };
        }, vm.members(), vm.stateProperty()));
        bindSecurity();
        boolean hosting = vm.hostingProperty().get();
        leaveButton.setText(hosting ? "Stop hosting" : "Leave");
        leaveIcon.setIconLiteral(hosting ? "fth-power" : "fth-log-out");
        if (hosting) {
            leaveButton.getStyleClass().add("danger");
        }
        var down = Bindings.createBooleanBinding(() -> switch (vm.stateProperty().get()) {
            case DISCONNECTED, RECONNECTING -> true;
            default -> false;
        }, vm.stateProperty());
        banner.visibleProperty().bind(down);
        banner.managedProperty().bind(down);
        bannerText.textProperty().bind(vm.disconnectTextProperty());
        bannerTitle.textProperty().bind(vm.bannerTitleProperty());
        countdown.getKeyFrames().setAll(new KeyFrame(javafx.util.Duration.millis(250), e -> vm.tick(Instant.now())));
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

    /** "Encrypted · safety code …" with a lock, or a visible "Not encrypted" warning. */
    private void bindSecurity() {
        javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        tip.setShowDelay(javafx.util.Duration.millis(250));
        tip.getStyleClass().add("security-tooltip");
        javafx.scene.control.Tooltip.install(securityChip, tip);
        Runnable update = () -> {
            org.confab.core.Fingerprint fp = vm.fingerprintProperty().get();
            boolean encrypted = fp != null;
            securityLabel.setText(encrypted ? "Encrypted · safety code" : "Not encrypted");
            securityCode.setText(encrypted ? SafetyCodes.oneLine(fp) : "");
            securityCode.setVisible(encrypted);
            securityCode.setManaged(encrypted);
            securityChip.getStyleClass().removeAll("encrypted", "insecure");
            securityChip.getStyleClass().add(encrypted ? "encrypted" : "insecure");
            securityIcon.setIconLiteral(encrypted ? "fth-lock" : "fth-alert-triangle");
            tip.setText(encrypted
                    ? "This room is encrypted. Its safety code:\n\n" + SafetyCodes.twoLines(fp) + "\n\n"
                    + (vm.hostingProperty().get() ? "Members see this code when they join for the first time; it must match."
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

    private void bindMessages() {
        messageList.setItems(vm.messages());
        DoubleBinding bubbleMax = Bindings.createDoubleBinding(
                () -> Math.max(160, Math.min(720, messageList.getWidth() * 0.72)), messageList.widthProperty());
        messageList.setCellFactory(l -> new ChatCell(bubbleMax));
        Label empty = new Label("No messages yet. Say hello!");
        empty.getStyleClass().add("list-placeholder");
        messageList.setPlaceholder(empty);
        messageList.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (COPY.match(e)) {
                // a text selection inside a message wins; otherwise the whole selected row
                if (messageList.getScene().getFocusOwner() instanceof atlantafx.base.controls.SelectableTextFlow flow
                        && !flow.getSelectedRangeAsString().isEmpty()) {
                    flow.copySelectedRangeToClipboard();
                } else {
                    ChatCell.copy(messageList.getSelectionModel().getSelectedItem());
                }
                e.consume();
            }
        });
        vm.messages().addListener((ListChangeListener<ChatItem>) c -> {
            int added = 0;
            int removedAtTop = 0;
            while (c.next()) {
                if (c.wasReplaced()) {
                    continue; // a row changed (a delivery mark, the top day divider): nothing new
                }
                if (c.wasAdded() && (c.getFrom() > 0 || c.getTo() == c.getList().size())) {
                    added += c.getAddedSize(); // new rows at the end (rows loaded above are not new)
                }
                if (c.wasRemoved() && c.getFrom() == 0) {
                    removedAtTop += c.getRemovedSize(); // the list's bound: the oldest rows left
                }
            }
            if (removedAtTop > 0 && !stickToBottom && !scrollOnNextChange) {
                keepReadingPosition(removedAtTop);
            }
            if (added == 0) {
                return;
            }
            if (stickToBottom || scrollOnNextChange) {
                scrollOnNextChange = false;
                scrollToBottom();
            } else {
                unseen += added;
                jumpButton.setText(unseen == 1 ? "1 new message" : unseen + " new messages");
                jumpButton.setVisible(true);
            }
        });
        vm.earlierAvailableProperty().addListener((o, was, now) -> updateEarlierButton());
        // the person scrolls (wheel, scroll bar, keys, a jump to a search hit): a jump to the bottom
        // still settling must not pull the list back down
        messageList.addEventFilter(javafx.scene.input.ScrollEvent.SCROLL, e -> personScrolls());
        messageList.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> personScrolls());
        messageList.addEventFilter(KeyEvent.KEY_PRESSED, e -> personScrolls());
        messageList.addEventHandler(javafx.scene.control.ScrollToEvent.scrollToTopIndex(), e -> {
            if (!selfScroll) {
                personScrolls();
            }
        });
    }

    /** The person moves the list: a jump still settling stops, and only this may end following the bottom. */
    private void personScrolls() {
        scrollTries = 0;
        followPending = false;
        personScrolled = true;
    }

    /** The oldest rows left the list while the person reads further up: keep the row they look at. */
    private void keepReadingPosition(int removed) {
        if (messageList.lookup(".virtual-flow") instanceof VirtualFlow<?> flow && flow.getFirstVisibleCell() != null) {
            int first = flow.getFirstVisibleCell().getIndex();
            messageList.scrollTo(Math.max(0, first - removed));
        }
    }

    /** "Show earlier messages": at the top of the list when older rows can be loaded. */
    private void updateEarlierButton() {
        boolean shown = vm.earlierAvailableProperty().get() && atTop();
        if (earlierButton.isVisible() != shown) {
            earlierButton.setVisible(shown);
            earlierButton.setManaged(shown);
        }
    }

    private boolean atTop() {
        if (messageList.getItems().isEmpty() || !(messageList.lookup(".virtual-flow") instanceof VirtualFlow<?> flow)) {
            return false;
        }
        IndexedCell<?> first = flow.getFirstVisibleCell();
        return first != null && first.getIndex() == 0 && first.getLayoutY() >= -8;
    }

    @FXML
    private void showEarlier() {
        stickToBottom = false;
        vm.following(false);
        int before = vm.messages().size();
        vm.loadEarlier(Platform::runLater).whenComplete((added, error) -> Platform.runLater(() -> {
            if (error == null && added != null && added > 0) {
                // the row that was at the top stays in view, just below the loaded ones
                messageList.scrollTo(Math.max(0, vm.messages().size() - before - 1));
            }
            updateEarlierButton();
        }));
    }

    private void bindComposer() {
        input.textProperty().bindBidirectional(vm.draftProperty());
        // offline writing: while reconnecting, what is written waits in the outbox (shown pending)
        var writable = Bindings.createBooleanBinding(vm::canWrite, vm.stateProperty());
        input.disableProperty().bind(writable.not());
        input.promptTextProperty().bind(Bindings.createStringBinding(() -> switch (vm.stateProperty().get()) {
            case CONNECTED -> "Message " + vm.roomNameProperty().get();
            case RECONNECTING -> "Offline: write anyway, it is sent when the connection is back";
            case DISCONNECTED, LEFT -> "Disconnected. Reconnect to write.";
        }, vm.stateProperty(), vm.roomNameProperty()));
        sendButton.disableProperty().bind(vm.canSendProperty().not());
        composerError.textProperty().bind(vm.lastErrorProperty());
        // grow with the draft's lines, up to a few, then scroll inside
        input.textProperty().addListener((o, was, now) -> {
            long lines = now.chars().filter(c -> c == '\n').count() + 1;
            input.setPrefHeight(Math.min(140, 20 + 21 * Math.min(lines, 6)));
        });
        input.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                if (e.isShiftDown()) {
                    input.replaceSelection("\n");
                } else {
                    send();
                }
            }
        });
    }

    /** Before every layout pulse: one jump to the newest row, however many batches came since the last. */
    private void beforeLayout() {
        if (followPending) {
            followPending = false;
            int n = messageList.getItems().size();
            if (n > 0) {
                selfScroll = true;
                try {
                    messageList.scrollTo(n - 1);
                } finally {
                    selfScroll = false;
                }
            }
        }
    }

    /** Called after every layout pulse: are we at the bottom now? */
    private void afterLayout() {
        if (scrollTries > 0) {
            // variable-height cells: the jump lands on estimated heights; repeat it with the real
            // ones (by index: never pixel scrolling, which measures every row it passes)
            if (atBottom()) {
                scrollTries = 0;
            } else {
                scrollTries--;
                int last = messageList.getItems().size() - 1;
                if (messageList.lookup(".virtual-flow") instanceof VirtualFlow<?> flow
                        && flow.getLastVisibleCell() != null && flow.getLastVisibleCell().getIndex() == last) {
                    // the newest row in view but cut off: scroll by the few pixels missing (measures
                    // that row only)
                    scrollIntoView(flow, flow.getLastVisibleCell());
                } else {
                    // not in view: jump to it by index, before the next layout (VirtualFlow.scrollTo(int)
                    // from here can leave the flow without cells until something else scrolls it)
                    followPending = true;
                }
                Platform.requestNextPulse();
            }
            stickToBottom = true;
            vm.following(true);
            return;
        }
        boolean bottom = atBottom();
        if (!bottom && stickToBottom && !personScrolled) {
            // the layout moved the newest row off the bottom (rows trimmed above, heights measured
            // anew, the window resized), not the person: keep following
            scrollToBottom();
            return;
        }
        personScrolled = false;
        if (bottom != stickToBottom) {
            stickToBottom = bottom;
            vm.following(bottom);
        }
        if (bottom && jumpButton.isVisible()) {
            unseen = 0;
            jumpButton.setVisible(false);
        }
        updateEarlierButton();
    }

    @SuppressWarnings("unchecked")
    private static <C extends IndexedCell<?>> void scrollIntoView(VirtualFlow<?> flow, IndexedCell<?> cell) {
        ((VirtualFlow<C>) flow).scrollTo((C) cell);
    }

    private boolean atBottom() {
        int n = messageList.getItems().size();
        if (n == 0) {
            return true;
        }
        if (!(messageList.lookup(".virtual-flow") instanceof VirtualFlow<?> flow)) {
            return true;
        }
        IndexedCell<?> last = flow.getLastVisibleCell();
        if (last == null) {
            return true;
        }
        return last.getIndex() >= n - 1 && last.getLayoutY() + last.getHeight() <= flow.getHeight() + 8;
    }

    /** Follows the bottom: the jump happens once, before the next layout (see {@link #beforeLayout}). */
    private void scrollToBottom() {
        if (!messageList.getItems().isEmpty()) {
            followPending = true;
            scrollTries = 6;
            Platform.requestNextPulse();
        }
        stickToBottom = true;
        vm.following(true);
    }

    /** Focuses the composer (when the view is shown). */
    public void focusInput() {
        input.requestFocus();
    }

    @FXML
    private void send() {
        scrollOnNextChange = true; // our own (pending) row appears at the bottom: show it
        if (vm.send()) {
            if (!stickToBottom) {
                scrollToBottom();
            }
        } else {
            scrollOnNextChange = false;
        }
        input.requestFocus();
    }

    // ------------------------------------------------------------------ search

    private void bindSearch() {
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (FIND.match(e)) {
                e.consume();
                searchField.requestFocus();
                searchField.selectAll();
            }
        });
        searchField.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                closeSearch();
            } else if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                searchDelay.stop();
                runSearch();
            } else if (e.getCode() == KeyCode.DOWN && !searchResults.getItems().isEmpty()) {
                e.consume();
                searchResults.requestFocus();
                searchResults.getSelectionModel().selectFirst();
            }
        });
        searchDelay.setOnFinished(e -> runSearch());
        searchField.textProperty().addListener((o, was, now) -> {
            if (now.isBlank()) {
                searchDelay.stop();
                showSearch(false);
            } else {
                searchDelay.playFromStart();
            }
        });
        searchResults.setCellFactory(l -> new SearchHitCell());
        Label none = new Label("No messages found.");
        none.getStyleClass().add("list-placeholder");
        searchResults.setPlaceholder(none);
        searchResults.setOnMouseClicked(e -> reveal(searchResults.getSelectionModel().getSelectedItem()));
        searchResults.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                reveal(searchResults.getSelectionModel().getSelectedItem());
            } else if (e.getCode() == KeyCode.ESCAPE) {
                closeSearch();
            }
        });
    }

    private void runSearch() {
        String q = searchField.getText().strip();
        if (q.isEmpty()) {
            showSearch(false);
            return;
        }
        searching = q;
        searchTitle.setText("Searching “" + q + "”…");
        showSearch(true);
        vm.search(q).whenComplete((hits, error) -> Platform.runLater(() -> {
            if (!q.equals(searching) || searchField.getText().isBlank()) {
                return; // a newer query is on its way, or the search was closed
            }
            if (error != null) {
                searchResults.getItems().clear();
                searchTitle.setText("Search failed: " + ErrorHandler.friendly(error));
                return;
            }
            searchResults.getProperties().put("query", q);
            searchResults.getItems().setAll(hits);
            searchTitle.setText(hits.isEmpty() ? "No results for “" + q + "”"
                    : hits.size() + (hits.size() == 1 ? " result" : " results") + " for “" + q + "”");
        }));
    }

    private void showSearch(boolean shown) {
        searchPanel.setVisible(shown);
        searchPanel.setManaged(shown);
        if (!shown) {
            searching = "";
            searchResults.getItems().clear();
        }
    }

    /** Scrolls the message list to a search hit, if it is in the list (else says so). */
    private void reveal(ChatMessage hit) {
        if (hit == null) {
            return;
        }
        int i = vm.indexOfSeq(hit.seq());
        if (i < 0) {
            searchTitle.setText("That message is older than the ones shown here.");
            return;
        }
        stickToBottom = false;
        vm.following(false); // the list keeps the rows around the hit while the person reads there
        messageList.scrollTo(Math.max(0, i - 2));
        messageList.getSelectionModel().clearAndSelect(i);
    }

    @FXML
    private void closeSearch() {
        searchField.clear();
        showSearch(false);
        input.requestFocus();
    }

    /** One search hit: sender and time, then the text with the first matching word in bold. Plain text only. */
    private static final class SearchHitCell extends ListCell<ChatMessage> {
        private final Label name = new Label();
        private final Label time = new Label();
        private final Region gap = new Region();
        private final HBox head = new HBox(6, name, gap, time);
        private final TextFlow text = new TextFlow();
        private final VBox box = new VBox(3, head, text);

        SearchHitCell() {
            name.getStyleClass().add("search-hit-name");
            name.setMinWidth(0);
            time.getStyleClass().add("search-hit-time");
            time.setMinWidth(Region.USE_PREF_SIZE);
            HBox.setHgrow(gap, javafx.scene.layout.Priority.ALWAYS);
            setPrefWidth(0);
            text.setMaxHeight(80);
        }

        @Override
        protected void updateItem(ChatMessage m, boolean empty) {
            super.updateItem(m, empty);
            setText(null);
            if (empty || m == null) {
                setGraphic(null);
                return;
            }
            name.setText(m.sender());
            name.setStyle("-fx-text-fill: " + NickColors.hex(m.sender()) + ";");
            time.setText(HIT_TIME.format(m.time()));
            String query = getListView() == null ? "" : String.valueOf(getListView().getProperties().get("query"));
            text.getChildren().setAll(highlight(clip(m.text()), query));
            setAccessibleText(m.sender() + ", " + time.getText() + ": " + m.text());
            setGraphic(box);
        }

        private static String clip(String s) {
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        }
    }

    /** Text nodes for {@code s} with the first occurrence of a query word in bold (case-insensitive). */
    static List<Text> highlight(String s, String query) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        int at = -1;
        int len = 0;
        for (String w : query.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.isEmpty()) {
                continue;
            }
            int i = lower.indexOf(w);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                len = w.length();
            }
        }
        if (at < 0 || lower.length() != s.length()) {
            return List.of(styled(s, "search-hit-text"));
        }
        return List.of(styled(s.substring(0, at), "search-hit-text"), styled(s.substring(at, at + len), "search-hit-match"),
                styled(s.substring(at + len), "search-hit-text"));
    }

    private static Text styled(String s, String style) {
        Text t = new Text(s); // plain text node: never markup
        t.getStyleClass().add(style);
        return t;
    }

    @FXML
    private void jumpToBottom() {
        scrollToBottom();
        unseen = 0;
        jumpButton.setVisible(false);
        input.requestFocus();
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
        InviteLink link = inviteAddresses.isEmpty() ? vm.address() : inviteAddresses.getFirst().link();
        if (link != null) {
            ClipboardContent c = new ClipboardContent();
            c.putString(link.format());
            Clipboard.getSystemClipboard().setContent(c);
            copyLinkButton.setText("Link copied");
            var back = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(1.6));
            back.setOnFinished(e -> copyLinkButton.setText("Copy invite link"));
            back.play();
        }
    }

    Scene scene() {
        return root.getScene();
    }
}
