package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.store.HostStore;
import org.confab.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence and read receipts through a real host: told to the others, in a later welcome, never
 * sequenced or saved; a status is told again after a reconnect; receipts only go forward; a bad
 * status is refused for that member only.
 */
@Timeout(120)
class PresenceReceiptsTest {
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

    /** Records statuses and receipts besides what the base listener records. */
    static final class Heard extends RecordingLinkListener {
        final List<String> statuses = new CopyOnWriteArrayList<>();
        final List<String> reads = new CopyOnWriteArrayList<>();

        @Override
        public void presence(String nick, String state, String text) {
            statuses.add(nick + " " + state + " " + text);
            poke(); // wakes await()
        }

        @Override
        public void read(String nick, long seq, boolean direct) {
            reads.add(nick + " " + seq + (direct ? " direct" : ""));
            poke();
        }
    }

    private RoomLink join(String nick, LinkListener listener) throws JoinException {
        var c = RoomLink.connect("127.0.0.1", port, nick, JoinOptions.pinned(host.fingerprint()), listener);
        open.add(c);
        return c;
    }

    @Test
    void statusesAndReceiptsReachTheOthersAndAreNeverSaved() throws Exception {
        Path file = dir.resolve("room.db");
        host = new RoomHost(
                HostConfig.defaults("Here", 0)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withHistoryFile(file),
                security,
                null);
        port = host.start().getPort();
        open.add(host);
        var a = new Heard();
        var b = new Heard();
        RoomLink alice = join("alice", a);
        RoomLink bob = join("bob", b);
        bob.send("lunch?");
        assertThat(a.awaitMessages(1, T)).isTrue();
        long seq = a.messages().getFirst().seq();
        long before = host.lastSeq();

        assertThat(alice.presence("away", "at lunch \u202Euntil 2")).isTrue();
        assertThat(alice.read(seq)).isTrue();
        assertThat(b.await(ev -> !b.statuses.isEmpty() && !b.reads.isEmpty(), T))
                .isTrue();
        assertThat(b.statuses).containsExactly("alice away at lunch until 2");
        assertThat(b.reads).containsExactly("alice " + seq);
        assertThat(a.statuses).as("not echoed to the member itself").isEmpty();

        // a direct conversation's receipt goes to its other member alone
        var ev3 = new Heard();
        join("eve", ev3);
        bob.send("just you", "d1", 0, "alice");
        assertThat(a.await(
                        ev -> ev.stream()
                                .anyMatch(x -> x instanceof RoomEvent.Posted p
                                        && p.message().direct()),
                        T))
                .isTrue();
        long dm = a.events.stream()
                .filter(x -> x instanceof RoomEvent.Posted p && p.message().direct())
                .findFirst()
                .orElseThrow()
                .seq();
        assertThat(alice.read(dm, "bob")).isTrue();
        assertThat(b.await(ev -> b.reads.contains("alice " + dm + " direct"), T))
                .isTrue();
        bob.send("after", "d2", 0); // answered after the receipt: eve has had her chance to hear it
        assertThat(ev3.await(
                        ev -> ev.stream()
                                .anyMatch(x -> x instanceof RoomEvent.Posted p
                                        && p.message().text().equals("after")),
                        T))
                .isTrue();
        assertThat(ev3.reads).as("never to a third member").isEmpty();

        // receipts only go forward; a bad status is refused for alice alone
        alice.read(seq - 1);
        alice.change(new Message.Edit(seq, "x")); // anything answered in order after the read
        assertThat(a.awaitErrors(1, T)).isTrue();
        alice.presence("sleeping", "");
        assertThat(a.awaitErrors(2, T)).isTrue();
        assertThat(a.errors.getLast()).contains("A status is online, away or dnd");
        assertThat(b.reads).filteredOn(r -> !r.endsWith("direct")).hasSize(1);

        // a later member learns both from its welcome
        var c = new Heard();
        RoomLink carol = join("carol", c);
        assertThat(carol.welcome().presence()).containsEntry("alice", new Message.Status("away", "at lunch until 2"));
        assertThat(carol.welcome().reads()).containsEntry("alice", seq);

        // neither is a room event: no seq, nothing saved
        assertThat(host.lastSeq())
                .as("eve, two messages, carol: no status or receipt")
                .isEqualTo(before + 4);
        host.close();
        try (var store = HostStore.open(file)) {
            List<StoredEvent> all = store.range(1, store.lastSeq(), 1000);
            assertThat(all)
                    .allMatch(e -> e.event() instanceof RoomEvent.Posted
                            || e.event() instanceof RoomEvent.Joined
                            || e.event() instanceof RoomEvent.Left);
        }
    }

    @Test
    void aConnectionTellsItsStatusAgainAfterAReconnect() throws Exception {
        host = new RoomHost(
                HostConfig.defaults("Here", 0).withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        port = host.start().getPort();
        open.add(host);
        var b = new Heard();
        join("bob", b);
        var heard = new RecordingConnectionListener();
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "alice")
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                heard);
        open.add(alice);
        alice.connect();
        alice.presence("dnd", "focus time");
        assertThat(b.await(ev -> b.statuses.contains("alice dnd focus time"), T))
                .isTrue();
        alice.dropForTest(); // the connection drops: a new one comes
        assertThat(heard.await(() -> heard.welcomes.size() >= 2, T)).isTrue();
        // the status goes out after the new welcome: once bob hears it again, the host has it
        assertThat(b.await(
                        ev -> b.statuses.stream()
                                        .filter("alice dnd focus time"::equals)
                                        .count()
                                >= 2,
                        T))
                .as("the reconnected connection tells its status again")
                .isTrue();
        var c = new Heard();
        RoomLink carol = join("carol", c);
        assertThat(host.awaitMembers(3, T, TimeUnit.SECONDS)).isTrue();
        assertThat(carol.welcome().presence().get("alice")).isEqualTo(new Message.Status("dnd", "focus time"));
    }
}
