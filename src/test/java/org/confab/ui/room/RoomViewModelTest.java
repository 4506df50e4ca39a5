package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.confab.core.ChatMessage;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.net.Disconnect;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnection.MessageState;
import org.confab.protocol.Message;
import org.confab.store.OutboxEntry;
import org.confab.store.StoredEvent;
import org.junit.jupiter.api.Test;

class RoomViewModelTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private final List<String> sent = new ArrayList<>();
    private final List<Runnable> background = new ArrayList<>();
    private boolean left;
    private final RoomActions session = new RoomActions() {
        @Override
        public String nick() {
            return "alice";
        }

        @Override
        public String send(String text) {
            sent.add(text);
            return "cid-" + sent.size();
        }

        @Override
        public void leave() {
            left = true;
        }
    };
    private final RoomViewModel vm = new RoomViewModel(false, background::add);
    private long seq;

    private Message.Welcome welcome(RoomEvent... history) {
        return new Message.Welcome(1, "Lunch", "alice", List.of("bob", "alice"), List.of(history), seq, "test");
    }

    private RoomEvent.Posted posted(String from, String text, int minute) {
        return new RoomEvent.Posted(new ChatMessage(++seq, "m" + seq, from, text, T0.plusSeconds(60L * minute)));
    }

    private RoomEvent.Joined joined(String nick) {
        return new RoomEvent.Joined(++seq, "j" + seq, T0, nick);
    }

    /** The rows without day dividers. */
    private List<ChatItem> rows() {
        return vm.messages().stream().filter(i -> !(i instanceof ChatItem.Day)).toList();
    }

    private static List<FxBridge.Update> updates(RoomEvent... events) {
        return Arrays.stream(events)
                .<FxBridge.Update>map(FxBridge.Update.Event::new)
                .toList();
    }

    @Test
    void welcomeHistoryThenLiveEvents() {
        var history = new RoomEvent[] {joined("bob"), joined("alice")};
        RoomViewFixture.joined(vm, session, welcome(history), new InviteLink("10.0.0.5", 4747));
        assertThat(vm.roomNameProperty().get()).isEqualTo("Lunch");
        assertThat(vm.titleProperty().get()).isEqualTo("Lunch — Confab");
        assertThat(vm.members()).containsExactly("bob", "alice");
        assertThat(vm.messages()).hasSize(3);
        assertThat(vm.messages().getFirst()).isInstanceOf(ChatItem.Day.class);
        assertThat(((ChatItem.Notice) rows().get(1)).text()).isEqualTo("You joined the room");

        vm.apply(updates(
                posted("bob", "hi", 0),
                posted("BOB", "still me", 1),
                posted("alice", "hey", 2),
                joined("carol"),
                posted("carol", "late", 20)));
        var items = rows();
        assertThat(items).hasSize(7);
        assertThat(vm.messages()).hasSize(8); // one day divider
        var m1 = (ChatItem.Message) items.get(2);
        var m2 = (ChatItem.Message) items.get(3);
        var own = (ChatItem.Message) items.get(4);
        assertThat(m1.own()).isFalse();
        assertThat(m1.continued()).isFalse();
        assertThat(m2.continued())
                .as("same sender (case folded) within minutes is grouped")
                .isTrue();
        assertThat(own.own()).isTrue();
        assertThat(vm.members()).containsExactly("bob", "alice", "carol");
    }

    @Test
    void aNewDayStartsWithADivider() {
        RoomViewFixture.joined(vm, session, welcome(), new InviteLink("h", 1));
        var zone = ZoneId.systemDefault();
        var day1 = LocalDate.of(2026, 11, 23).atTime(23, 58).atZone(zone).toInstant();
        var day2 = LocalDate.of(2026, 11, 24).atTime(0, 1).atZone(zone).toInstant();
        vm.apply(updates(
                new RoomEvent.Posted(new ChatMessage(++seq, "a", "bob", "late", day1)),
                new RoomEvent.Posted(new ChatMessage(++seq, "b", "bob", "early", day2))));
        assertThat(vm.messages())
                .extracting(i -> i.getClass().getSimpleName())
                .containsExactly("Day", "Message", "Day", "Message");
        var second = (ChatItem.Message) vm.messages().get(3);
        assertThat(second.continued()).as("a new day starts a new group").isFalse();
        assertThat(DayText.of(LocalDate.of(2026, 11, 24), LocalDate.of(2026, 11, 24)))
                .isEqualTo("Today");
        assertThat(DayText.of(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24)))
                .isEqualTo("Yesterday");
    }

    @Test
    void leftAndRenamedUpdateMembersAndShowSystemLines() {
        RoomViewFixture.joined(vm, session, welcome(), new InviteLink("h", 1));
        vm.apply(updates(
                new RoomEvent.Left(++seq, "l", T0, "bob", "connection lost"),
                new RoomEvent.Renamed(++seq, "r", T0, "alice", "ally")));
        assertThat(vm.members()).containsExactly("ally");
        assertThat(vm.nickProperty().get()).isEqualTo("ally");
        assertThat(vm.colourSeed("Ally"))
                .as("a rename keeps the person's colour")
                .isEqualTo("alice");
        assertThat(vm.colourSeed("bob")).isEqualTo("bob");
        // our own session that timed out, as the host reports it after we are back: said as ours
        vm.apply(updates(new RoomEvent.Left(++seq, "l2", T0, "Ally", "timeout")));
        assertThat(rows())
                .extracting(i -> ((ChatItem.Notice) i).text())
                .as("our own rename and leave are ours, as our join is (\"You joined\")")
                .containsExactly("bob left (connection lost)", "You are now ally", "You left (timeout)");
    }

    @Test
    void updatesBeforeTheRoomIsOpenedAreKeptAndAppliedAfterItsCachedRows() {
        var cached = joined("alice");
        var early = posted("bob", "early", 0);
        vm.apply(List.of(
                new FxBridge.Update.Connected(RoomViewFixture.joinedOf(welcome())), new FxBridge.Update.Event(early)));
        assertThat(vm.messages()).isEmpty();
        vm.open(session, new InviteLink("h", 1), "Lunch", List.of(stored(cached)), List.of(), false);
        assertThat(rows()).hasSize(2);
        assertThat(rows().get(1)).isInstanceOf(ChatItem.Message.class);
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.CONNECTED);
    }

    @Test
    void eventsTheCacheAlreadyShowedAreShownOnce() {
        var j = joined("alice");
        var p = posted("bob", "once", 0);
        // the cache shows the room at once; the connection then reports its join and what followed
        vm.open(session, new InviteLink("h", 1), "Lunch", List.of(stored(j), stored(p)), List.of(), false);
        assertThat(vm.titleProperty().get()).contains("reconnecting");
        var later = posted("bob", "new", 1);
        vm.apply(List.of(
                new FxBridge.Update.Connected(RoomViewFixture.joinedOf(welcome(j, p))),
                new FxBridge.Update.Event(j),
                new FxBridge.Update.Event(p),
                new FxBridge.Update.Event(later)));
        assertThat(rows()).hasSize(3); // join, message, the new message
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.CONNECTED);
    }

    @Test
    void disconnectShowsTheReasonAndDisablesSending() {
        RoomViewFixture.joined(vm, session, welcome(), new InviteLink("h", 1));
        vm.draftProperty().set("hello");
        assertThat(vm.canSendProperty().get()).isTrue();
        vm.apply(List.of(
                new FxBridge.Update.Disconnected(new Disconnect(Disconnect.Kind.LOST, "Connection to h:1 lost."))));
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.DISCONNECTED);
        assertThat(vm.disconnectTextProperty().get()).isEqualTo("Connection to h:1 lost.");
        assertThat(vm.titleProperty().get()).isEqualTo("Lunch (disconnected) — Confab");
        assertThat(vm.canSendProperty().get()).isFalse();
        assertThat(vm.send()).isFalse();
        assertThat(sent).isEmpty();
    }

    @Test
    void sendTrimsAndClearsTheDraftAndLeaveRunsInTheBackground() {
        RoomViewFixture.joined(vm, session, welcome(), new InviteLink("h", 1));
        vm.draftProperty().set("  two\nlines  ");
        assertThat(vm.send()).isTrue();
        assertThat(sent).containsExactly("two\nlines");
        assertThat(vm.draftProperty().get()).isEmpty();
        vm.draftProperty().set("   ");
        assertThat(vm.canSendProperty().get()).isFalse();
        vm.leave();
        assertThat(left).isFalse();
        background.forEach(Runnable::run);
        assertThat(left).isTrue();
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.LEFT);
    }

    @Test
    void tooLongMessagesAreNotSent() {
        RoomViewFixture.joined(vm, session, welcome(), new InviteLink("h", 1));
        vm.draftProperty().set("x".repeat(Room.MAX_MESSAGE_LENGTH + 1));
        assertThat(vm.send()).isFalse();
        assertThat(vm.lastErrorProperty().get()).contains("too long");
    }

    @Test
    void securityStateForTheHeader() {
        RoomViewModel vm = new RoomViewModel(false, Runnable::run);
        assertThat(vm.securityTextProperty().get()).isEqualTo("Not encrypted");
        var fp = Fingerprint.ofCertificate(new byte[] {1});
        vm.security(fp, true);
        assertThat(vm.securityTextProperty().get()).isEqualTo("Encrypted · safety code " + fp.safetyCode());
        assertThat(vm.passwordProtectedProperty().get()).isTrue();
        assertThat(vm.fingerprintProperty().get()).isEqualTo(fp);
        vm.security(null, false);
        assertThat(vm.securityTextProperty().get()).isEqualTo("Not encrypted");
    }

    // ------------------------------------------------------------------ lasting connection (issue 4)

    private List<ChatItem.Message> msgs() {
        return vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(i -> (ChatItem.Message) i)
                .toList();
    }

    private static StoredEvent stored(RoomEvent e) {
        return new StoredEvent(e, null);
    }

    private void openConnected(RoomEvent... cached) {
        vm.open(
                session,
                new InviteLink("h", 1),
                "Lunch",
                Arrays.stream(cached).map(RoomViewModelTest::stored).toList(),
                List.of(),
                false);
        vm.apply(List.of(new FxBridge.Update.Connected(RoomViewFixture.joinedOf(welcome()))));
    }

    @Test
    void ownMessageIsPendingThenSentThenReplacedByItsEchoAndDelivered() {
        openConnected(joined("alice"), posted("bob", "hi", 0));
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.CONNECTED);
        vm.draftProperty().set("hello bob");
        assertThat(vm.send()).isTrue();
        String cid = "cid-1";
        var pending = msgs().getLast();
        assertThat(pending.text()).isEqualTo("hello bob");
        assertThat(pending.own()).isTrue();
        assertThat(pending.unconfirmed()).isTrue();
        assertThat(pending.delivery()).isEqualTo(MessageState.PENDING);

        vm.apply(List.of(
                new FxBridge.Update.State(cid, RoomConnection.MessageState.PENDING),
                new FxBridge.Update.State(cid, RoomConnection.MessageState.SENT)));
        assertThat(msgs().getLast().delivery()).isEqualTo(MessageState.SENT);

        // someone else's message arrives first: it goes above our unconfirmed row
        vm.apply(updates(posted("bob", "meanwhile", 1)));
        assertThat(msgs()).extracting(ChatItem.Message::text).containsExactly("hi", "meanwhile", "hello bob");

        var echo = new RoomEvent.Posted(new ChatMessage(++seq, "m" + seq, "alice", "hello bob", T0.plusSeconds(120)));
        vm.apply(List.of(
                new FxBridge.Update.Event(echo, cid),
                new FxBridge.Update.State(cid, RoomConnection.MessageState.DELIVERED)));
        assertThat(msgs()).extracting(ChatItem.Message::text).containsExactly("hi", "meanwhile", "hello bob");
        var real = msgs().getLast();
        assertThat(real.seq()).as("the pending row became the room's message").isEqualTo(echo.seq());
        assertThat(real.own()).isTrue();
        assertThat(real.delivery()).isEqualTo(MessageState.DELIVERED);
        assertThat(msgs().stream().filter(ChatItem.Message::unconfirmed)).isEmpty();
        assertThat(msgs().get(0).delivery())
                .as("others' messages carry no mark")
                .isNull();

        // a late duplicate of the echo (resent history) changes nothing
        vm.apply(List.of(new FxBridge.Update.Event(echo, cid)));
        assertThat(msgs()).hasSize(3);
    }

    @Test
    void aRefusedMessageIsMarkedFailedAndLeavesTheBottom() {
        openConnected(joined("alice"));
        vm.draftProperty().set("bad");
        vm.send();
        vm.apply(List.of(new FxBridge.Update.State("cid-1", RoomConnection.MessageState.FAILED)));
        assertThat(msgs().getLast().delivery()).isEqualTo(MessageState.FAILED);
        vm.apply(updates(posted("bob", "after", 1)));
        assertThat(msgs()).extracting(ChatItem.Message::text).containsExactly("bad", "after");
        assertThat(ChatItem.describe(MessageState.FAILED)).contains("refused");
    }

    @Test
    void cachedHistoryShowsAtOnceAndTheResumeContinuesWithoutDuplicates() {
        var j = joined("alice");
        var a = posted("bob", "one", 0);
        var b = posted("alice", "two", 1);
        vm.open(
                session,
                new InviteLink("h", 1),
                "Lunch",
                List.of(stored(j), stored(a), stored(b)),
                List.of(new OutboxEntry("cid-x", "written offline", T0.plusSeconds(300))),
                false);
        assertThat(vm.roomNameProperty().get()).isEqualTo("Lunch");
        assertThat(vm.stateProperty().get()).as("not connected yet").isEqualTo(RoomViewModel.State.RECONNECTING);
        assertThat(msgs()).extracting(ChatItem.Message::text).containsExactly("one", "two", "written offline");
        assertThat(msgs().get(1).own()).isTrue();
        assertThat(msgs().getLast().delivery()).isEqualTo(MessageState.PENDING);

        // the network repeats what is cached (overlap) and adds what was missed: each shown once
        var c = posted("bob", "three", 2);
        vm.apply(List.of(
                new FxBridge.Update.Connected(RoomViewFixture.joinedOf(welcome())),
                new FxBridge.Update.Resumed(1, false),
                new FxBridge.Update.Event(a, null),
                new FxBridge.Update.Event(b, null),
                new FxBridge.Update.Event(c, null)));
        assertThat(msgs()).extracting(ChatItem.Message::text).containsExactly("one", "two", "three", "written offline");
        var echo = new RoomEvent.Posted(
                new ChatMessage(++seq, "m" + seq, "alice", "written offline", T0.plusSeconds(400)));
        vm.apply(List.of(new FxBridge.Update.Event(echo, "cid-x")));
        assertThat(msgs()).extracting(ChatItem.Message::text).containsExactly("one", "two", "three", "written offline");
        assertThat(msgs().getLast().unconfirmed()).isFalse();
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.CONNECTED);
    }

    @Test
    void reconnectingShowsACountdownKeepsTheComposerAndAGapIsSaid() {
        openConnected(joined("alice"));
        vm.apply(List.of(new FxBridge.Update.Reconnecting(4000, 2, "Connection to h:1 lost.")));
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.RECONNECTING);
        assertThat(vm.titleProperty().get()).isEqualTo("Lunch (reconnecting…) — Confab");
        assertThat(vm.disconnectTextProperty().get()).isEqualTo("Connection to h:1 lost.");
        Instant at = vm.reconnectAtProperty().get();
        assertThat(at).isNotNull();
        vm.tick(at.minusMillis(3200));
        assertThat(vm.bannerTitleProperty().get()).isEqualTo("Connection lost — reconnecting in 4 s");
        vm.tick(at.minusMillis(900));
        assertThat(vm.bannerTitleProperty().get()).isEqualTo("Connection lost — reconnecting in 1 s");
        vm.tick(at.plusMillis(10));
        assertThat(vm.bannerTitleProperty().get()).isEqualTo("Connection lost — reconnecting…");

        vm.draftProperty().set("offline words");
        assertThat(vm.canSendProperty().get()).as("offline writing").isTrue();
        assertThat(vm.send()).isTrue();
        assertThat(msgs().getLast().delivery()).isEqualTo(MessageState.PENDING);

        vm.retryNow();
        assertThat(vm.reconnectAtProperty().get()).isNull();
        vm.apply(List.of(
                new FxBridge.Update.Connected(RoomViewFixture.joinedOf(welcome())),
                new FxBridge.Update.Resumed(0, true)));
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.CONNECTED);
        assertThat(vm.bannerTitleProperty().get()).isEmpty();
        assertThat(rows().getLast()).as("our pending row stays last").isInstanceOf(ChatItem.Message.class);
        assertThat(rows())
                .anyMatch(i -> i instanceof ChatItem.Notice n
                        && n.kind() == ChatItem.Notice.Kind.WARNING
                        && n.text().equals("Some older messages could not be recovered."));
    }

    @Test
    void aHistoryResetClearsTheRoomButKeepsWhatWeWrote() {
        openConnected(joined("alice"), posted("bob", "old room", 0));
        vm.draftProperty().set("mine");
        vm.send();
        vm.apply(List.of(
                new FxBridge.Update.HistoryReset(),
                new FxBridge.Update.Event(new RoomEvent.Joined(1, "n1", T0, "alice"), null)));
        assertThat(msgs()).extracting(ChatItem.Message::text).containsExactly("mine");
        assertThat(rows()).hasSize(2);
    }

    @Test
    void anEndedConnectionDisablesWriting() {
        openConnected(joined("alice"));
        vm.apply(List.of(new FxBridge.Update.Disconnected(
                new Disconnect(Disconnect.Kind.ROOM_CLOSED, "The host closed the room."))));
        assertThat(vm.stateProperty().get()).isEqualTo(RoomViewModel.State.DISCONNECTED);
        assertThat(vm.canWrite()).isFalse();
        assertThat(vm.bannerTitleProperty().get()).isEqualTo("You are disconnected");
    }

    // ------------------------------------------------------------------ the list's bound

    /** A session whose history cache holds {@code stored} (oldest first), as the app's store does. */
    private RoomActions withHistory(List<StoredEvent> stored) {
        return new RoomActions() {
            @Override
            public String nick() {
                return "alice";
            }

            @Override
            public String send(String text) {
                sent.add(text);
                return "cid-" + sent.size();
            }

            @Override
            public void leave() {}

            @Override
            public boolean hasHistory() {
                return true;
            }

            @Override
            public List<StoredEvent> earlier(long beforeSeq, int max) {
                List<StoredEvent> older =
                        stored.stream().filter(e -> e.event().seq() < beforeSeq).toList();
                return older.subList(Math.max(0, older.size() - max), older.size());
            }
        };
    }

    private List<Long> messageSeqs() {
        return vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(ChatItem::seq)
                .toList();
    }

    /** {@code n} messages from bob, cached in {@code store} first (as the client cache has them) and then applied in one batch. */
    private void postCached(List<StoredEvent> store, int n) {
        List<RoomEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RoomEvent e = posted("bob", "m" + (seq + 1), 0);
            events.add(e);
            store.add(new StoredEvent(e, null));
        }
        vm.apply(updates(events.toArray(RoomEvent[]::new)));
    }

    @Test
    void theListKeepsTheNewestRowsAndLoadsEarlierOnesOnDemandInOrderWithoutDuplicates() {
        List<StoredEvent> store = new ArrayList<>();
        RoomViewFixture.joined(vm, withHistory(store), welcome(), new InviteLink("h", 1));
        vm.window(50);
        assertThat(vm.earlierAvailableProperty().get()).isFalse();
        for (int batch = 0; batch < 6; batch++) { // 300 messages in batches, as the bridge delivers them
            postCached(store, 50);
        }
        assertThat(vm.messages()).as("bounded: the window").hasSize(50);
        assertThat(vm.messages().getFirst())
                .as("the kept rows start with their day")
                .isInstanceOf(ChatItem.Day.class);
        List<Long> kept = messageSeqs();
        assertThat(kept).hasSize(49).last().isEqualTo(300L);
        assertThat(kept).isSorted().doesNotHaveDuplicates();
        assertThat(kept.getFirst()).isEqualTo(252L);
        assertThat(((ChatItem.Message) vm.messages().get(1)).continued())
                .as("the first kept message shows its sender (the row above it left)")
                .isFalse();
        assertThat(vm.earlierAvailableProperty().get()).isTrue();

        // reading further up: the list may hold twice the window, filled with older pages
        vm.following(false);
        var loaded = vm.loadEarlier(Runnable::run);
        assertThat(background).hasSize(1);
        background.removeFirst().run(); // the store read (off the FX thread in the app)
        assertThat(loaded.join()).as("50 rows and their day divider").isEqualTo(51);
        List<Long> after = messageSeqs();
        assertThat(after)
                .as("older rows above, in order, no duplicates")
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(after.getFirst()).isEqualTo(202L);
        assertThat(after).containsSequence(List.of(251L, 252L, 253L)).last().isEqualTo(300L);
        assertThat(vm.messages().stream().filter(i -> i instanceof ChatItem.Day).count())
                .as("one day divider, not one per page")
                .isEqualTo(1);
        assertThat(vm.messages()).hasSize(100); // 99 messages + the divider

        assertThat(vm.loadEarlier(Runnable::run).join())
                .as("full: twice the window")
                .isZero();
        assertThat(background).isEmpty();

        // new messages while reading up: kept up to twice the window, then back to the window at the bottom
        vm.apply(updates(posted("bob", "new", 0)));
        assertThat(vm.messages()).hasSize(100);
        assertThat(messageSeqs().getLast()).isEqualTo(301L);
        vm.following(true);
        assertThat(vm.messages()).hasSize(50);
        assertThat(messageSeqs().getLast()).isEqualTo(301L);
        assertThat(messageSeqs()).isSorted().doesNotHaveDuplicates().hasSize(49);
    }

    @Test
    void loadingEarlierReachesTheStartOfTheHistoryAndThenStops() {
        List<StoredEvent> store = new ArrayList<>();
        RoomViewFixture.joined(vm, withHistory(store), welcome(), new InviteLink("h", 1));
        vm.window(40);
        postCached(store, 60);
        assertThat(messageSeqs().getFirst()).isEqualTo(22L);
        vm.following(false);
        var loaded = vm.loadEarlier(Runnable::run);
        background.removeFirst().run();
        assertThat(loaded.join()).isEqualTo(22);
        assertThat(messageSeqs())
                .as("every message exactly once, in order")
                .isEqualTo(LongStream.rangeClosed(1, 60).boxed().toList());
        assertThat(vm.earlierAvailableProperty().get())
                .as("nothing older than seq 1")
                .isFalse();
        assertThat(vm.loadEarlier(Runnable::run).join()).isZero();
        assertThat(background).isEmpty();
    }

    @Test
    void ownPendingRowsStayAtTheBottomWhenTheListIsTrimmed() {
        RoomViewFixture.joined(vm, session, welcome(), new InviteLink("h", 1));
        vm.window(10);
        vm.draftProperty().set("mine");
        assertThat(vm.send()).isTrue();
        List<RoomEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(posted("bob", "m" + i, 0));
        }
        vm.apply(updates(events.toArray(RoomEvent[]::new)));
        assertThat(vm.messages()).hasSize(11); // the window and our pending row below it
        var last = (ChatItem.Message) vm.messages().getLast();
        assertThat(last.text()).isEqualTo("mine");
        assertThat(last.delivery()).isEqualTo(MessageState.PENDING);
        assertThat(messageSeqs().stream().filter(s -> s > 0).toList()).last().isEqualTo(30L);
        assertThat(vm.earlierAvailableProperty().get())
                .as("no history cache behind this session")
                .isFalse();
    }

    @Test
    void messagesWhileAwayAreUnreadBelowANewSinceRowAndComingBackFindsIt() {
        RoomViewFixture.joined(vm, session, welcome(), new InviteLink("h", 1));
        vm.apply(updates(posted("bob", "before you left", 0)));
        assertThat(vm.seen(false)).as("going away").isEqualTo(-1);
        vm.apply(updates(posted("bob", "first while away", 1), posted("bob", "alice: lunch?", 2)));
        assertThat(vm.unreadProperty().get()).isEqualTo(2);
        assertThat(vm.mentionsProperty().get()).isEqualTo(1);
        List<ChatItem> r = vm.messages();
        int marker = vm.newSinceIndex();
        assertThat(r.get(marker)).isInstanceOf(ChatItem.NewSince.class);
        assertThat(((ChatItem.Message) r.get(marker + 1)).text()).isEqualTo("first while away");
        assertThat(((ChatItem.Message) r.get(marker + 1)).continued())
                .as("the sender's name again below the marker")
                .isFalse();
        assertThat(((ChatItem.Message) r.get(marker - 1)).text()).isEqualTo("before you left");

        assertThat(vm.seen(true)).as("back: where the unread messages start").isEqualTo(marker);
        assertThat(vm.unreadProperty().get()).isZero();
        assertThat(vm.mentionsProperty().get()).isZero();
        vm.apply(updates(posted("bob", "while you read", 3)));
        assertThat(vm.unreadProperty().get()).as("read while in front").isZero();

        // away again: the marker moves to the next unread message, one marker at a time
        vm.seen(false);
        vm.apply(updates(posted("bob", "second time away", 4)));
        assertThat(vm.messages().stream()
                        .filter(i -> i instanceof ChatItem.NewSince)
                        .count())
                .isEqualTo(1);
        assertThat(((ChatItem.Message) vm.messages().get(vm.newSinceIndex() + 1)).text())
                .isEqualTo("second time away");
        assertThat(vm.seen(true)).isEqualTo(vm.newSinceIndex());
        vm.seen(false);
        assertThat(vm.seen(true)).as("nothing new while away: no jump").isEqualTo(-1);
    }

    @Test
    void mentionsAreWholeWordsInAnyCase() {
        assertThat(RoomViewModel.mentions("@Alice can you look?", "alice")).isTrue();
        assertThat(RoomViewModel.mentions("thanks alice.", "alice")).isTrue();
        assertThat(RoomViewModel.mentions("malice aforethought", "alice")).isFalse();
        assertThat(RoomViewModel.mentions("alicea", "alice")).isFalse();
        assertThat(RoomViewModel.mentions("anything", "")).isFalse();
    }

    @Test
    void theComposerRenamesWithSlashNickAndSendsDoubleSlashLinesAsText() {
        List<String> renames = new ArrayList<>();
        RoomActions actions = new RoomActions() {
            @Override
            public String nick() {
                return "alice";
            }

            @Override
            public String send(String text) {
                sent.add(text);
                return "cid-" + sent.size();
            }

            @Override
            public void leave() {}

            @Override
            public boolean rename(String newNick) {
                renames.add(newNick);
                return true;
            }
        };
        RoomViewFixture.joined(vm, actions, welcome(), new InviteLink("h", 1));
        vm.draftProperty().set("/nick  Ally ");
        assertThat(vm.send()).isTrue();
        assertThat(renames).containsExactly("Ally");
        assertThat(sent).as("a command is not a message").isEmpty();
        assertThat(vm.draftProperty().get()).isEmpty();
        assertThat(msgs()).as("no pending row for a command").isEmpty();

        vm.draftProperty().set("//nick is a command");
        assertThat(vm.send()).isTrue();
        assertThat(sent).containsExactly("/nick is a command");

        vm.draftProperty().set("/nick");
        assertThat(vm.send()).isFalse();
        assertThat(vm.lastErrorProperty().get()).isEqualTo("Usage: /nick NEW");
        vm.draftProperty().set("/shrug");
        assertThat(vm.send()).isFalse();
        assertThat(vm.lastErrorProperty().get()).startsWith("Unknown command /shrug.");
        assertThat(vm.draftProperty().get()).as("kept to fix").isEqualTo("/shrug");
    }

    // ------------------------------------------------------------------ replies, edits, reactions, typing

    private RoomEvent.Edited edited(long target, String by, String text) {
        return new RoomEvent.Edited(++seq, "e" + seq, T0, target, by, text);
    }

    private RoomEvent.Reacted reacted(long target, String by, String emoji, boolean on) {
        return new RoomEvent.Reacted(++seq, "r" + seq, T0, target, by, emoji, on);
    }

    private ChatItem.Message messageAt(long s) {
        return (ChatItem.Message) vm.messages().get(vm.indexOfSeq(s));
    }

    @Test
    void changesApplyToTheirMessagesRowsAndRepliesQuoteTheCurrentText() {
        RoomViewFixture.joined(vm, session, welcome(joined("bob"), joined("alice")), new InviteLink("h", 1));
        var typo = posted("bob", "helo", 1);
        vm.apply(updates(typo));
        int rowsBefore = vm.messages().size();
        var reply = new RoomEvent.Posted(
                new ChatMessage(++seq, "m" + seq, "alice", "hi!", T0.plusSeconds(120), typo.seq()));
        vm.apply(updates(reply));
        assertThat(messageAt(reply.seq()).extras().quoteSender()).isEqualTo("bob");
        assertThat(messageAt(reply.seq()).extras().quoteText()).isEqualTo("helo");

        vm.apply(updates(edited(typo.seq(), "bob", "hello"), reacted(typo.seq(), "alice", "👍", true)));
        vm.apply(updates(reacted(typo.seq(), "carol", "👍", true), reacted(typo.seq(), "alice", "👍", false)));
        ChatItem.Message m = messageAt(typo.seq());
        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.extras().edited()).isTrue();
        assertThat(m.extras().reactions()).singleElement().satisfies(r -> {
            assertThat(r.emoji()).isEqualTo("👍");
            assertThat(r.by()).containsExactly("carol");
        });
        assertThat(m.extras().reactedBy("👍", "alice")).isFalse();
        assertThat(messageAt(reply.seq()).extras().quoteText())
                .as("the quote follows the edit")
                .isEqualTo("hello");
        assertThat(vm.messages()).as("changes make no rows").hasSize(rowsBefore + 1);
        assertThat(vm.unreadProperty().get()).isZero();

        vm.apply(updates(new RoomEvent.Deleted(++seq, "d" + seq, T0, typo.seq(), "bob")));
        assertThat(messageAt(typo.seq()).extras().deleted()).isTrue();
        assertThat(messageAt(typo.seq()).extras().reactions()).isEmpty();
        assertThat(messageAt(reply.seq()).extras().quoteText()).doesNotContain("hello");
        vm.apply(updates(edited(typo.seq(), "bob", "back")));
        assertThat(messageAt(typo.seq()).text())
                .as("nothing changes a deleted message")
                .isEmpty();
    }

    @Test
    void aChangeToAMessageNotShownYetWaitsForItsRow() {
        var old = posted("bob", "an old message", 0);
        var reaction = reacted(old.seq(), "alice", "🎉", true);
        // the live stream starts after the old message (it is only in the cache): the reaction comes first
        RoomViewFixture.joined(vm, session, welcome(joined("alice")), new InviteLink("h", 1));
        vm.apply(updates(reaction));
        assertThat(vm.indexOfSeq(old.seq())).isNegative();
        RoomActions withCache = new RoomActions() {
            @Override
            public String nick() {
                return "alice";
            }

            @Override
            public String send(String text) {
                return null;
            }

            @Override
            public void leave() {}

            @Override
            public boolean hasHistory() {
                return true;
            }

            @Override
            public List<StoredEvent> earlier(long beforeSeq, int max) {
                return List.of(new StoredEvent(old, null));
            }
        };
        var fresh = new RoomViewModel(false, Runnable::run);
        fresh.open(withCache, new InviteLink("h", 1), "Lunch", List.of(), List.of(), true);
        fresh.apply(updates(reaction, posted("bob", "a newer one", 3)));
        assertThat(fresh.loadEarlier(Runnable::run).join()).isPositive();
        ChatItem.Message loaded = (ChatItem.Message) fresh.messages().get(fresh.indexOfSeq(old.seq()));
        assertThat(loaded.extras().reactions())
                .singleElement()
                .satisfies(r -> assertThat(r.emoji()).isEqualTo("🎉"));
    }

    @Test
    void aRowShownAgainFromTheCacheKeepsTheChangesMadeSince() {
        var old = posted("bob", "from long ago", 0);
        var newer = posted("bob", "a newer one", 3);
        // made while its row was in the list, which has since been trimmed: in the cache only
        var edit = new RoomEvent.Edited(++seq, "e" + seq, T0, old.seq(), "bob", "from long ago (fixed)");
        var reaction = reacted(old.seq(), "alice", "👍", true);
        RoomActions withCache = new RoomActions() {
            @Override
            public String nick() {
                return "alice";
            }

            @Override
            public String send(String text) {
                return null;
            }

            @Override
            public void leave() {}

            @Override
            public boolean hasHistory() {
                return true;
            }

            @Override
            public List<StoredEvent> earlier(long beforeSeq, int max) {
                // as ClientStore.before gives it: the page, then what was changed in it since
                return List.of(
                        new StoredEvent(old, null), new StoredEvent(edit, null), new StoredEvent(reaction, null));
            }
        };
        var fresh = new RoomViewModel(false, Runnable::run);
        fresh.open(withCache, new InviteLink("h", 1), "Lunch", List.of(), List.of(), true);
        fresh.apply(updates(newer));
        assertThat(fresh.loadEarlier(Runnable::run).join()).isPositive();
        ChatItem.Message loaded = (ChatItem.Message) fresh.messages().get(fresh.indexOfSeq(old.seq()));
        assertThat(loaded.text()).isEqualTo("from long ago (fixed)");
        assertThat(loaded.extras().edited()).isTrue();
        assertThat(loaded.extras().reactions())
                .singleElement()
                .satisfies(r -> assertThat(r.emoji()).isEqualTo("👍"));
    }

    @Test
    void editingAndReplyingTakeTheComposerAndGiveItBack() {
        List<String> edits = new ArrayList<>();
        List<Long> replies = new ArrayList<>();
        RoomActions actions = new RoomActions() {
            @Override
            public String nick() {
                return "alice";
            }

            @Override
            public String send(String text) {
                return send(text, 0);
            }

            @Override
            public String send(String text, long replyTo) {
                replies.add(replyTo);
                return "cid-" + replies.size();
            }

            @Override
            public boolean edit(long s, String text) {
                edits.add(s + ":" + text);
                return true;
            }

            @Override
            public void leave() {}
        };
        RoomViewFixture.joined(vm, actions, welcome(joined("bob"), joined("alice")), new InviteLink("h", 1));
        var mine = posted("alice", "my first", 1);
        var bobs = posted("bob", "a question", 2);
        vm.apply(updates(mine, bobs));
        vm.draftProperty().set("half a thought");
        assertThat(vm.startEdit(vm.lastOwnMessage())).isTrue();
        assertThat(vm.draftProperty().get()).isEqualTo("my first");
        vm.cancelEdit();
        assertThat(vm.draftProperty().get()).as("Esc gives the draft back").isEqualTo("half a thought");
        vm.startEdit(messageAt(mine.seq()));
        vm.draftProperty().set("my first, fixed");
        assertThat(vm.send()).isTrue();
        assertThat(edits).containsExactly(mine.seq() + ":my first, fixed");
        assertThat(vm.draftProperty().get()).isEqualTo("half a thought");
        assertThat(vm.startEdit(messageAt(bobs.seq()))).as("not ours").isFalse();

        vm.replyTo(messageAt(bobs.seq()));
        vm.draftProperty().set("the answer");
        assertThat(vm.send()).isTrue();
        assertThat(replies).containsExactly(bobs.seq());
        assertThat(vm.replyingToProperty().get()).isNull();
        ChatItem.Message pending = (ChatItem.Message) vm.messages().getLast();
        assertThat(pending.extras().quoteSender()).isEqualTo("bob");
    }

    @Test
    void typingShowsWhoUntilTheirMessageTheirLeaveOrAPause() {
        RoomViewFixture.joined(vm, session, welcome(joined("bob"), joined("alice")), new InviteLink("h", 1));
        vm.typing("alice", T0);
        assertThat(vm.typingTextProperty().get()).as("not ourselves").isEmpty();
        vm.typing("bob", T0);
        assertThat(vm.typingTextProperty().get()).isEqualTo("bob is typing…");
        vm.typing("carol", T0.plusSeconds(1));
        assertThat(vm.typingTextProperty().get()).isEqualTo("bob and carol are typing…");
        vm.typing("dave", T0.plusSeconds(1));
        assertThat(vm.typingTextProperty().get()).isEqualTo("Several people are typing…");
        vm.apply(updates(posted("dave", "done", 1)));
        assertThat(vm.typingTextProperty().get()).isEqualTo("bob and carol are typing…");
        vm.expireTyping(T0.plus(RoomViewModel.TYPING_SHOWN));
        assertThat(vm.typingTextProperty().get()).as("bob paused").isEqualTo("carol is typing…");
        vm.apply(updates(new RoomEvent.Left(++seq, "l" + seq, T0, "carol", "left")));
        assertThat(vm.typingTextProperty().get()).isEmpty();
    }

    @Test
    void typingIsSignalledOnlyWhileTheSwitchIsOnAndNeverForCommands() {
        var signals = new ArrayList<String>();
        RoomActions typist = new RoomActions() {
            @Override
            public String nick() {
                return "alice";
            }

            @Override
            public String send(String text) {
                sent.add(text);
                return "cid-" + sent.size();
            }

            @Override
            public void leave() {
                left = true;
            }

            @Override
            public void typing() {
                signals.add(vm.draftProperty().get());
            }
        };
        RoomViewFixture.joined(vm, typist, welcome(joined("bob"), joined("alice")), new InviteLink("h", 1));
        vm.draftProperty().set("hel");
        vm.draftEdited();
        assertThat(signals).containsExactly("hel");

        vm.sendTypingProperty().set(false);
        vm.draftProperty().set("hello");
        vm.draftEdited();
        vm.draftProperty().set("hello there");
        vm.draftEdited();
        assertThat(signals)
                .as("the privacy switch is off: nothing is signalled")
                .containsExactly("hel");

        vm.sendTypingProperty().set(true);
        vm.draftProperty().set("/away lunch");
        vm.draftEdited();
        vm.draftProperty().set("   ");
        vm.draftEdited();
        assertThat(signals).as("commands and blank drafts are not typing").containsExactly("hel");
        vm.draftProperty().set("hello again");
        vm.draftEdited();
        assertThat(signals).containsExactly("hel", "hello again");
    }
}
