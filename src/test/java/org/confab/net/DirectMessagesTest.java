package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.store.ClientStore;
import org.confab.store.HostStore;
import org.confab.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct messages through a real host: only the two members receive one (a third member reading
 * raw frames never does, live, in a late welcome or on resume), changes to it stay between them,
 * a third member cannot touch or answer it, the host keeps it for the two only, and the clients
 * cache it marked as direct.
 */
@Timeout(120)
class DirectMessagesTest {
    private static final int T = 20;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HostSecurity security = HostSecurity.ephemeral();
    private RoomHost host;
    private int port;

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private void startHost(HostConfig config) throws Exception {
        host = new RoomHost(config.withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        port = host.start().getPort();
        open.add(host);
    }

    private RoomLink join(String nick, LinkListener listener) throws JoinException {
        var c = RoomLink.connect("127.0.0.1", port, nick, JoinOptions.pinned(host.fingerprint()), listener);
        open.add(c);
        return c;
    }

    /** A third member speaking every capability, reading raw frames. */
    private RawPeer eavesdropper(String nick) throws Exception {
        var raw = new RawPeer(port);
        open.add(raw);
        raw.send(new Message.Hello(1, nick, "raw", null, Message.CAPS));
        Message w = raw.read();
        assertThat(w).isInstanceOf(Message.Welcome.class);
        return raw;
    }

    private static boolean anyText(List<RoomEvent> events, String text) {
        return events.stream()
                .anyMatch(e ->
                        e instanceof RoomEvent.Posted p && p.message().text().contains(text)
                                || e instanceof RoomEvent.Edited x && x.text().contains(text));
    }

    @Test
    void onlyItsTwoMembersEverReceiveADirectMessage() throws Exception {
        Path file = dir.resolve("room.db");
        startHost(HostConfig.defaults("DMs", 0).withHistoryFile(file));
        var a = new RecordingLinkListener();
        var b = new RecordingLinkListener();
        RoomLink alice = join("alice", a);
        RoomLink bob = join("bob", b);
        RawPeer eve = eavesdropper("eve");

        alice.send("secret plan", "c1", 0, "Bob"); // the nickname as typed: the host finds bob
        assertThat(b.await(ev -> anyText(ev, "secret plan"), T)).isTrue();
        RoomEvent.Posted dm = (RoomEvent.Posted) b.events.stream()
                .filter(e -> e instanceof RoomEvent.Posted p && p.message().direct())
                .findFirst()
                .orElseThrow();
        assertThat(dm.message().sender()).isEqualTo("alice");
        assertThat(dm.message().to()).isEqualTo("bob");
        assertThat(a.await(ev -> anyText(ev, "secret plan"), T))
                .as("the sender's echo")
                .isTrue();

        // bob reacts, alice edits: both stay between them
        bob.change(new Message.React(dm.seq(), "👍", true));
        alice.change(new Message.Edit(dm.seq(), "secret plan v2"));
        assertThat(b.await(ev -> anyText(ev, "secret plan v2"), T)).isTrue();
        assertThat(a.await(
                        ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.Reacted r && "bob".equals(r.by())), T))
                .isTrue();
        RoomEvent.Reacted reaction = (RoomEvent.Reacted) a.events.stream()
                .filter(e -> e instanceof RoomEvent.Reacted)
                .findFirst()
                .orElseThrow();
        assertThat(reaction.to()).as("the other member of the conversation").isEqualTo("alice");

        // eve cannot touch it or answer it: for her it does not exist
        eve.send(new Message.Delete(dm.seq()));
        eve.send(new Message.React(dm.seq(), "👎", true));
        eve.send(new Message.Send("answering", "e1", dm.seq()));
        alice.send("room message", "c2", 0);
        List<RoomEvent> eveSaw = new ArrayList<>();
        List<String> eveErrors = new ArrayList<>();
        // her own frames are answered in order: both errors come before the echo of her message
        while (!anyText(eveSaw, "room message") || !anyText(eveSaw, "answering")) {
            switch (eve.read()) {
                case Message.Event e -> eveSaw.add(e.event());
                case Message.Error e -> eveErrors.add(e.text());
                default -> {}
            }
        }
        assertThat(anyText(eveSaw, "secret")).isFalse();
        assertThat(eveSaw).noneMatch(e -> RoomEvent.directTo(e) != null);
        assertThat(eveErrors).hasSize(2).allMatch(t -> t.startsWith("There is no such message in this room."));
        RoomEvent.Posted answer = (RoomEvent.Posted) eveSaw.stream()
                .filter(e ->
                        e instanceof RoomEvent.Posted p && p.message().text().equals("answering"))
                .findFirst()
                .orElseThrow();
        assertThat(answer.message().replyTo())
                .as("not a reply to what she cannot see")
                .isZero();

        // a late joiner's welcome and a resume from before the message carry none of it
        RawPeer late = new RawPeer(port);
        open.add(late);
        late.send(new Message.Hello(1, "late", "raw", null, Message.CAPS));
        var welcome = (Message.Welcome) late.read();
        assertThat(welcome.history()).noneMatch(e -> RoomEvent.directTo(e) != null);
        assertThat(anyText(welcome.history(), "secret")).isFalse();
        RawPeer resumer = new RawPeer(port);
        open.add(resumer);
        resumer.send(new Message.Hello(1, "resumer", "raw", new Message.Resume(host.roomId(), 0), Message.CAPS));
        assertThat(resumer.read()).isInstanceOf(Message.Welcome.class);
        List<RoomEvent> caughtUp = new ArrayList<>();
        while (caughtUp.stream()
                .noneMatch(e -> e instanceof RoomEvent.Joined j && j.nick().equals("resumer"))) {
            if (resumer.read() instanceof Message.Event e) {
                caughtUp.add(e.event());
            }
        }
        assertThat(caughtUp).noneMatch(e -> RoomEvent.directTo(e) != null);
        assertThat(anyText(caughtUp, "secret")).isFalse();

        // the host keeps it, marked for the two of them
        host.close();
        try (var store = HostStore.open(file)) {
            List<StoredEvent> all = store.range(1, store.lastSeq(), 1000);
            assertThat(all)
                    .filteredOn(e -> e.event() instanceof RoomEvent.Posted p
                            && p.message().direct())
                    .singleElement()
                    .satisfies(e -> assertThat(
                                    ((RoomEvent.Posted) e.event()).message().to())
                            .isEqualTo("bob"));
        }
    }

    @Test
    void aDirectMessageNeedsAPresentMemberThatSpeaksIt() throws Exception {
        startHost(HostConfig.defaults("DMs", 0));
        var a = new RecordingLinkListener();
        RoomLink alice = join("alice", a);
        var old = new RawPeer(port);
        open.add(old);
        old.send(new Message.Hello(1, "olga", "an older client"));
        assertThat(old.read()).isInstanceOf(Message.Welcome.class);
        long before = host.lastSeq();
        alice.send("hi", "x1", 0, "nobody");
        alice.send("hi", "x2", 0, "alice");
        alice.send("hi", "x3", 0, "olga");
        assertThat(a.awaitErrors(3, T)).isTrue();
        assertThat(a.errors)
                .containsExactly(
                        "not-allowed: nobody is not in the room; direct messages reach members who are here.",
                        "not-allowed: You cannot send a direct message to yourself.",
                        "not-allowed: olga's app cannot receive direct messages (it needs a newer Confab).");
        assertThat(host.lastSeq()).isEqualTo(before);
    }

    @Test
    void theClientCachesDirectMessagesAsDirectAndKeepsTheRecipientInTheOutbox() throws Exception {
        startHost(HostConfig.defaults("DMs", 0));
        var b = new RecordingLinkListener();
        join("bob", b);
        var store = ClientStore.open(dir.resolve("alice.db"));
        open.add(store);
        var heard = new RecordingConnectionListener();
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "alice")
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                store,
                heard);
        open.add(alice);
        alice.connect();
        var entry = alice.sendDirect("bob", "just for you");
        assertThat(entry.to()).isEqualTo("bob");
        assertThat(b.await(ev -> anyText(ev, "just for you"), T)).isTrue();
        assertThat(heard.await(
                        () -> heard.states
                                .getOrDefault(entry.cid(), List.of())
                                .contains(RoomConnection.MessageState.DELIVERED),
                        T))
                .isTrue();
        List<StoredEvent> direct = store.direct(10);
        assertThat(direct)
                .singleElement()
                .satisfies(
                        e -> assertThat(((RoomEvent.Posted) e.event()).message().to())
                                .isEqualTo("bob"));
        assertThat(store.outbox()).isEmpty();
    }
    /** A member on the real client path, with its own cache. */
    private RoomConnection member(String nick, ClientStore store, RecordingConnectionListener heard)
            throws JoinException {
        var c = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, nick)
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                store,
                heard);
        open.add(c);
        c.connect();
        return c;
    }

    @Test
    void theReceiversCacheKeepsADirectMessageAndAThirdMembersCacheNeverHasIt() throws Exception {
        startHost(HostConfig.defaults("DMs", 0));
        var bobStore = ClientStore.open(dir.resolve("bob.db"));
        var carolStore = ClientStore.open(dir.resolve("carol.db"));
        open.add(bobStore);
        open.add(carolStore);
        var a = new RecordingConnectionListener();
        var b = new RecordingConnectionListener();
        var c = new RecordingConnectionListener();
        RoomConnection alice = member("alice", null, a);
        member("bob", bobStore, b);
        member("carol", carolStore, c);

        alice.sendDirect("bob", "whisper campaign");
        alice.send("everyone hears this");
        assertThat(b.await(() -> b.texts().contains("everyone hears this"), T)).isTrue();
        assertThat(c.await(() -> c.texts().contains("everyone hears this"), T))
                .as("carol got the room message posted after the direct one")
                .isTrue();

        RoomEvent.Posted dm = b.messages().stream()
                .filter(p -> p.message().direct())
                .findFirst()
                .orElseThrow();
        assertThat(bobStore.direct(10)).singleElement().satisfies(e -> {
            assertThat(e.seq()).isEqualTo(dm.seq());
            var m = ((RoomEvent.Posted) e.event()).message();
            assertThat(m.text()).isEqualTo("whisper campaign");
            assertThat(m.sender()).isEqualTo("alice");
            assertThat(m.to()).isEqualTo("bob");
        });
        assertThat(bobStore.search("whisper", 10)).extracting(ChatMessage::text).containsExactly("whisper campaign");

        assertThat(c.texts()).doesNotContain("whisper campaign");
        assertThat(carolStore.direct(10)).isEmpty();
        assertThat(carolStore.search("whisper", 10)).isEmpty();
        assertThat(carolStore.recent(100))
                .as("carol's cache has the room message but never the direct one's seq")
                .anyMatch(e -> e.event() instanceof RoomEvent.Posted p
                        && p.message().text().equals("everyone hears this"))
                .noneMatch(e -> e.seq() == dm.seq());
    }

    /**
     * A host whose welcome does not name {@code dm} (an older Confab) would post {@code send.to}
     * to the whole room: the client refuses the message instead and never sends it.
     */
    @Test
    void theClientRefusesADirectMessageToAHostWithoutTheCapability() throws Exception {
        var heard = new RecordingConnectionListener();
        try (var fake = new FakeHost(List.of(Message.CAP_REPLY, Message.CAP_EDIT));
                var alice = fake.client("alice", heard)) {
            alice.connect();
            var dm = alice.sendDirect("bob", "not for the room");
            var room = alice.send("for the room");
            assertThat(heard.await(() -> heard.lastState(dm.cid()) == RoomConnection.MessageState.FAILED, T))
                    .isTrue();
            assertThat(heard.errors)
                    .singleElement()
                    .asString()
                    .contains("This room's host does not support direct messages")
                    .contains("your message to bob was not sent");
            // frames arrive in order: once the room message is in, a direct one sent before it would be too
            assertThat(fake.until("for the room", T))
                    .filteredOn(m -> m instanceof Message.Send)
                    .singleElement()
                    .satisfies(m -> {
                        assertThat(((Message.Send) m).cid()).isEqualTo(room.cid());
                        assertThat(((Message.Send) m).to()).isNull();
                    });
            assertThat(alice.pending()).noneMatch(e -> e.cid().equals(dm.cid()));
        }
    }
}
