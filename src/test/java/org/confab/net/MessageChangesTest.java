package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.confab.core.Room;
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
 * Edits, deletions, reactions and replies through a real host: its rules (only the sender edits or
 * deletes, one of each emoji per member, nothing changes a deleted message), members that speak
 * the capabilities get the events, an older client reading raw frames gets readable messages with
 * the same sequence numbers, late joiners see the final state, and a deletion leaves no trace of
 * the text in the host's file or a member's cache.
 */
@Timeout(120)
class MessageChangesTest {
    private static final int T = 20;
    private final List<AutoCloseable> open = new ArrayList<>();
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

    /** One key for the room across restarts in a test (its members pin it). */
    private final HostSecurity security = HostSecurity.ephemeral();

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

    /** An older client: a hello without capabilities, reading raw frames. */
    private RawPeer legacy(String nick) throws Exception {
        var raw = new RawPeer(port);
        open.add(raw);
        raw.send(new Message.Hello(1, nick, "an older client"));
        assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
        return raw;
    }

    /** The next room event the raw peer reads, skipping others' joins. */
    private static RoomEvent next(RawPeer raw) throws Exception {
        while (true) {
            Message m = raw.read();
            if (m instanceof Message.Event e && !(e.event() instanceof RoomEvent.Joined)) {
                return e.event();
            }
        }
    }

    private static <T extends RoomEvent> T last(RecordingLinkListener l, Class<T> type) {
        return l.events.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void theHostsRulesDecideAndOlderClientsReadMessages() throws Exception {
        startHost(HostConfig.defaults("Changes", 0));
        var a = new RecordingLinkListener();
        var b = new RecordingLinkListener();
        RoomLink alice = join("alice", a);
        RoomLink bob = join("bob", b);
        RawPeer carol = legacy("carol");
        assertThat(alice.welcome().caps()).contains(Message.CAP_EDIT, Message.CAP_REACTION, Message.CAP_REPLY);

        alice.send("helo wrld");
        assertThat(b.awaitMessages(1, T)).isTrue();
        long first = b.messages().getFirst().seq();
        assertThat(next(carol)).isInstanceOf(RoomEvent.Posted.class);

        // alice fixes her typo: an edited event for those who speak it, a message for carol
        assertThat(alice.change(new Message.Edit(first, "hello world"))).isTrue();
        assertThat(b.await(ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.Edited), T))
                .isTrue();
        RoomEvent.Edited edited = last(b, RoomEvent.Edited.class);
        assertThat(edited.target()).isEqualTo(first);
        assertThat(edited.by()).isEqualTo("alice");
        assertThat(edited.text()).isEqualTo("hello world");
        RoomEvent asText = next(carol);
        assertThat(asText).isInstanceOf(RoomEvent.Posted.class);
        assertThat(asText.seq()).as("the same seq: no hole in carol's sequence").isEqualTo(edited.seq());
        assertThat(((RoomEvent.Posted) asText).message().text()).isEqualTo("(edited) hello world");

        // bob may not edit or delete alice's message: an error for him only, no event for anyone
        long before = host.lastSeq();
        bob.change(new Message.Edit(first, "bob was here"));
        bob.change(new Message.Delete(first));
        assertThat(b.awaitErrors(2, T)).isTrue();
        assertThat(b.errors).allMatch(e -> e.startsWith("not-allowed: You can only"));
        assertThat(host.lastSeq()).isEqualTo(before);

        // reactions: one of each emoji per member, taken back by the one who gave it
        bob.change(new Message.React(first, "👍", true));
        bob.change(new Message.React(first, "👍", true));
        assertThat(b.awaitErrors(3, T)).isTrue();
        assertThat(b.errors.get(2)).startsWith("not-allowed: You reacted with 👍 already");
        bob.change(new Message.React(first, "👍", false));
        assertThat(a.await(
                        ev -> ev.stream()
                                        .filter(e -> e instanceof RoomEvent.Reacted)
                                        .count()
                                == 2,
                        T))
                .isTrue();
        assertThat(a.events.stream()
                        .filter(e -> e instanceof RoomEvent.Reacted)
                        .map(e -> ((RoomEvent.Reacted) e).added()))
                .containsExactly(true, false);
        assertThat(((RoomEvent.Posted) next(carol)).message().text()).isEqualTo("(reacted 👍)");
        assertThat(((RoomEvent.Posted) next(carol)).message().text()).isEqualTo("(took back the reaction 👍)");
        bob.change(new Message.React(first, "hello there", true));
        assertThat(b.awaitErrors(4, T)).isTrue();
        assertThat(b.errors.get(3)).startsWith("not-allowed: A reaction is one emoji");

        // a reply names the message it answers, for everyone (carol's client just shows the text)
        bob.send("thanks!", null, first);
        assertThat(a.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Posted p
                                        && p.message().replyTo() == first),
                        T))
                .isTrue();
        RoomEvent reply = next(carol);
        assertThat(((RoomEvent.Posted) reply).message().replyTo()).isEqualTo(first);

        // alice deletes hers: gone for everyone, and nothing changes it any more
        alice.change(new Message.Delete(first));
        assertThat(b.await(ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.Deleted), T))
                .isTrue();
        assertThat(((RoomEvent.Posted) next(carol)).message().text()).isEqualTo("(deleted a message)");
        alice.change(new Message.Edit(first, "back again"));
        assertThat(a.awaitErrors(1, T)).isTrue();
        assertThat(a.errors.getFirst()).startsWith("not-allowed: This message was deleted");

        // a late joiner sees the final state: the text is gone from the history it gets
        var d = new RecordingLinkListener();
        RoomLink dave = join("dave", d);
        List<RoomEvent> history = dave.welcome().history();
        assertThat(history)
                .filteredOn(e -> e.seq() == first)
                .singleElement()
                .satisfies(
                        e -> assertThat(((RoomEvent.Posted) e).message().text()).isEqualTo(Room.DELETED_TEXT));
        assertThat(history)
                .noneMatch(e -> e instanceof RoomEvent.Edited x && x.text().contains("hello"));
        assertThat(history).anyMatch(e -> e instanceof RoomEvent.Deleted);
        // and an older client joining late gets messages only
        RawPeer erin = new RawPeer(port);
        open.add(erin);
        erin.send(new Message.Hello(1, "erin", "an older client"));
        var welcome = (Message.Welcome) erin.read();
        assertThat(welcome.history())
                .allMatch(e -> e instanceof RoomEvent.Posted
                        || e instanceof RoomEvent.Joined
                        || e instanceof RoomEvent.Left
                        || e instanceof RoomEvent.Renamed);
        assertThat(welcome.history())
                .noneMatch(e ->
                        e instanceof RoomEvent.Posted p && p.message().text().contains("helo"));
        dave.close();
    }

    @Test
    void typingReachesTheOthersThrottledNeverStoredNeverOlderClients() throws Exception {
        startHost(HostConfig.defaults("Typing", 0));
        var a = new RecordingLinkListener();
        var b = new RecordingLinkListener();
        RoomLink alice = join("alice", a);
        join("bob", b);
        RawPeer carol = legacy("carol");
        long before = host.lastSeq();
        for (int i = 0; i < 5; i++) {
            assertThat(alice.typing()).isTrue();
        }
        alice.send("there");
        // the frames reach bob in order: by his copy of the message, every relayed signal is in
        assertThat(b.awaitMessages(1, T)).isTrue();
        assertThat(b.typing).as("five signals in a burst, one relayed").containsExactly("alice");
        assertThat(a.typing).as("not back to the typist").isEmpty();
        assertThat(next(carol))
                .as("an older client gets the message, no typing frame")
                .isInstanceOf(RoomEvent.Posted.class);
        assertThat(host.lastSeq()).as("only the message took a seq").isEqualTo(before + 1);
    }

    @Test
    void changesSurviveAHostRestartAndTheCacheForgetsDeletedText() throws Exception {
        Path file = dir.resolve("room.db");
        startHost(HostConfig.defaults("Kept", 0).withHistoryFile(file));
        ClientStore cache = ClientStore.open(dir.resolve("alice.db"));
        var seen = new ArrayList<RoomEvent>();
        var joins = new Semaphore(0);
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "alice")
                        .withSecurity(JoinOptions.pinned(host.fingerprint()))
                        .withReconnectAfterRoomClosed(true),
                cache,
                new RoomConnectionListener() {
                    @Override
                    public void connected(Joined joined) {
                        joins.release();
                    }

                    @Override
                    public void event(RoomEvent e, String cid) {
                        synchronized (seen) {
                            seen.add(e);
                            seen.notifyAll();
                        }
                    }
                });
        open.add(alice);
        alice.connect();
        assertThat(joins.tryAcquire(T, TimeUnit.SECONDS)).isTrue();
        alice.send("the secret plan");
        alice.send("the public plan");
        awaitSeen(seen, 2, RoomEvent.Posted.class);
        long secret = seen.stream()
                .filter(e ->
                        e instanceof RoomEvent.Posted p && p.message().text().equals("the secret plan"))
                .findFirst()
                .orElseThrow()
                .seq();
        long pub = secret + 1;
        assertThat(alice.edit(pub, "the published plan")).isTrue();
        assertThat(alice.react(pub, "🎉", true)).isTrue();
        assertThat(alice.delete(secret)).isTrue();
        awaitSeen(seen, 1, RoomEvent.Deleted.class);

        // the cache: search finds the new text, not the old one, and nothing of the deleted one
        assertThat(alice.search("published")).extracting(m -> m.seq()).containsExactly(pub);
        assertThat(alice.search("public")).isEmpty();
        assertThat(alice.search("secret")).isEmpty();
        assertThat(cache.recent(50))
                .extracting(StoredEvent::event)
                .noneMatch(e ->
                        e instanceof RoomEvent.Posted p && p.message().text().contains("secret"));

        // the host's file keeps no trace of the deleted text; a restart keeps the final state
        host.close();
        try (HostStore kept = HostStore.open(file)) {
            assertThat(kept.range(1, kept.lastSeq(), 100))
                    .extracting(StoredEvent::event)
                    .noneMatch(e -> e instanceof RoomEvent.Posted p
                            && p.message().text().contains("secret"))
                    .anyMatch(e -> e instanceof RoomEvent.Edited x && x.text().equals("the published plan"))
                    .anyMatch(e -> e instanceof RoomEvent.Reacted r && r.emoji().equals("🎉"));
        }
        startHost(HostConfig.defaults("Kept", port).withHistoryFile(file));
        var b = new RecordingLinkListener();
        RoomLink bob = join("bob", b);
        assertThat(bob.welcome().history())
                .anyMatch(e -> e instanceof RoomEvent.Edited x && x.target() == pub)
                .anyMatch(e -> e instanceof RoomEvent.Reacted r && r.target() == pub)
                .anyMatch(e -> e instanceof RoomEvent.Deleted x && x.target() == secret);
        // the rules still know whose message it is after the restart
        bob.change(new Message.Edit(pub, "bob's plan"));
        assertThat(b.awaitErrors(1, T)).isTrue();
        assertThat(b.errors.getFirst()).startsWith("not-allowed: You can only edit your own messages");
        // alice's connection resumes and may still edit her message
        assertThat(joins.tryAcquire(60, TimeUnit.SECONDS)).as("alice is back").isTrue();
        assertThat(alice.edit(pub, "the final plan")).isTrue();
        assertThat(b.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Edited x
                                        && x.text().equals("the final plan")),
                        T))
                .isTrue();
    }

    private static void awaitSeen(List<RoomEvent> seen, int n, Class<?> type) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(T).toNanos();
        synchronized (seen) {
            while (seen.stream().filter(type::isInstance).count() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("saw " + seen);
                }
                seen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
