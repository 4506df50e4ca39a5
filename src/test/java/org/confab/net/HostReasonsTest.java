package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Frame;
import org.confab.protocol.Message;
import org.confab.store.HostStore;
import org.confab.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What members are told about others and what a peer is told about itself: the host's own words
 * (documented reasons, wire type names), never a peer's bytes or a library's internals; a
 * handshake deadline that trickling cannot stretch; no stray events when the room closes.
 */
@Timeout(60)
class HostReasonsTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RoomHost host(HostConfig config) throws Exception {
        var h = new RoomHost(config.withBindAddress(InetAddress.getLoopbackAddress()), null);
        h.start();
        open.add(h);
        return h;
    }

    private RoomLink join(RoomHost h, String nick, RecordingLinkListener l) throws JoinException {
        var c = RoomLink.connect("127.0.0.1", h.port(), nick, JoinOptions.pinned(h.fingerprint()), l);
        open.add(c);
        return c;
    }

    private RawPeer rawMember(RoomHost h, String nick) throws Exception {
        var raw = new RawPeer(h.port());
        open.add(raw);
        raw.send(new Message.Hello(1, nick, "raw"));
        assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
        return raw;
    }

    private static RoomEvent.Left leftOf(RecordingLinkListener l, String nick) throws InterruptedException {
        assertThat(l.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Left x
                                        && x.nick().equals(nick)),
                        20))
                .as("%s announced as left: %s", nick, l.events)
                .isTrue();
        return l.events.stream()
                .filter(e -> e instanceof RoomEvent.Left x && x.nick().equals(nick))
                .map(e -> (RoomEvent.Left) e)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theReasonOthersSeeIsTheHostsWordsNeverThePeersBytes() throws Exception {
        var h = host(HostConfig.defaults("Reasons", 0));
        var bob = new RecordingLinkListener();
        join(h, "bob", bob);
        var mallory = rawMember(h, "mallory");
        mallory.sendJson("{\"type\":\"pwned\\n* alice left (she said: \\u001b[31mhi)\"}");
        var answer = mallory.readUntilClosed();
        assertThat(answer).last().isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_MESSAGE);
            assertThat(e.text()).doesNotContain("\n").doesNotContain("\u001b");
        });
        assertThat(leftOf(bob, "mallory").reason()).isEqualTo("protocol error (bad-message)");

        var eve = rawMember(h, "eve");
        eve.send(new Message.AuthOk("not yours to send"));
        assertThat(eve.readUntilClosed())
                .last()
                .isInstanceOfSatisfying(
                        Message.Error.class, e -> assertThat(e.text()).isEqualTo("A client may not send \"auth-ok\"."));
        assertThat(leftOf(bob, "eve").reason()).isEqualTo("protocol error (unexpected)");

        var carol = rawMember(h, "carol");
        carol.send(new Message.Leave("my own words\nthat nobody else should see"));
        assertThat(leftOf(bob, "carol").reason()).isEqualTo("left");
    }

    @Test
    void othersSeeALeaveBeforeTheLeaversConnectionIsClosed() throws Exception {
        var h = host(HostConfig.defaults("Prompt", 0));
        var bob = new RecordingLinkListener();
        join(h, "bob", bob);
        var carol = rawMember(h, "carol");
        // carol says leave and then neither reads nor answers the TLS close: the host's close of her
        // connection waits (bounded) for that, and must not hold back the news for everyone else
        long sent = System.nanoTime();
        carol.send(new Message.Leave(null));
        leftOf(bob, "carol");
        long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        assertThat(millis).as("left seen after %d ms", millis).isLessThan(500);
        var dave = rawMember(h, "dave");
        sent = System.nanoTime();
        dave.write(new byte[] {0, 0, 0, 1, 1, 'x'}); // bad JSON: fatal
        leftOf(bob, "dave");
        millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        assertThat(millis)
                .as("left after a fatal error seen after %d ms", millis)
                .isLessThan(500);
    }

    @Test
    void aHelloTrickledByteByByteGetsNoMoreTimeThanASilentOne() throws Exception {
        var timeout = Duration.ofSeconds(2);
        var h = host(
                HostConfig.defaults("Trickle", 0).withTimeouts(timeout, Duration.ofSeconds(5), Duration.ofSeconds(15)));
        var raw = new RawPeer(h.port());
        open.add(raw);
        byte[] hello = new Frame(
                        Frame.Kind.JSON,
                        "{\"type\":\"hello\",\"version\":1,\"nick\":\"slowpoke\",\"client\":\"drip\"}"
                                .getBytes(StandardCharsets.UTF_8))
                .encode();
        long start = System.nanoTime();
        int written = 0;
        try {
            for (byte b : hello) {
                raw.write(new byte[] {b});
                written++;
                Thread.sleep(250); // the fault itself: one byte every 250 ms, well inside the 2 s read timeout
            }
        } catch (IOException closedByHost) {
            // expected: the host ended it at the deadline
        }
        assertThat(written)
                .as("the host must end the connection before the whole hello (%d bytes) is in", hello.length)
                .isLessThan(hello.length);
        assertThat(raw.readUntilClosed())
                .last()
                .isInstanceOfSatisfying(
                        Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertThat(seconds)
                .as("closed after %d s with a %d s deadline", seconds, timeout.toSeconds())
                .isLessThan(8);
        assertThat(h.members()).isEmpty();
    }

    @Test
    void closingTheRoomWritesNoLeftEventsIntoItsHistory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("room.db");
        var h = new RoomHost(
                HostConfig.defaults("Closing", 0)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withHistoryFile(file),
                null);
        h.start();
        var alice = new RecordingLinkListener();
        var a = RoomLink.connect("127.0.0.1", h.port(), "alice", JoinOptions.pinned(h.fingerprint()), alice);
        var b = RoomLink.connect(
                "127.0.0.1", h.port(), "bob", JoinOptions.pinned(h.fingerprint()), new RecordingLinkListener());
        a.send("last words");
        assertThat(alice.awaitMessages(1, 20)).isTrue();
        long lastSeq = h.lastSeq();
        h.close();
        a.close();
        b.close();
        try (var store = HostStore.open(file, false)) {
            assertThat(store.lastSeq()).isEqualTo(lastSeq);
            assertThat(store.recent(100)).extracting(StoredEvent::event).noneMatch(e -> e instanceof RoomEvent.Left);
        }
    }
}
