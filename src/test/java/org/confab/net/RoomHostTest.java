package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.net.ssl.SSLSocket;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class RoomHostTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private RoomHost host;
    private int port;

    private void startHost(HostConfig config) throws Exception {
        // these tests send thousands of messages as fast as they can with plain v1 clients (which do
        // not retry): no rate limit here; RoomConnectionTest covers the limit
        host = new RoomHost(
                config.withBindAddress(InetAddress.getLoopbackAddress()).withRateLimit(1_000_000, 1_000_000), null);
        port = host.start().getPort();
        open.add(host);
    }

    private void startHost() throws Exception {
        startHost(HostConfig.defaults("Test room", 0));
    }

    private RoomLink join(String nick, LinkListener listener) throws JoinException {
        var client = RoomLink.connect("127.0.0.1", port, nick, JoinOptions.pinned(host.fingerprint()), listener);
        open.add(0, client);
        return client;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void tenClientsEachGetEveryMessageExactlyOnceInTheSameOrder() throws Exception {
        startHost();
        int clients = 10;
        int perClient = 200;
        var listeners = new ArrayList<RecordingLinkListener>();
        var roomClients = new ArrayList<RoomLink>();
        for (int i = 0; i < clients; i++) {
            var l = new RecordingLinkListener();
            listeners.add(l);
            roomClients.add(join("user" + i, l));
        }
        assertThat(host.awaitMembers(clients, 30, TimeUnit.SECONDS)).isTrue();
        var go = new CountDownLatch(1);
        var senders = new ArrayList<Thread>();
        for (int i = 0; i < clients; i++) {
            var c = roomClients.get(i);
            int who = i;
            senders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int m = 0; m < perClient; m++) {
                    assertThat(c.send("m" + m + " from user" + who)).isTrue();
                }
            }));
        }
        go.countDown();
        for (Thread t : senders) {
            t.join();
        }
        int total = clients * perClient;
        for (var l : listeners) {
            assertThat(l.awaitMessages(total, 60)).as("all messages arrive").isTrue();
        }
        List<RoomEvent.Posted> reference = listeners.getFirst().messages();
        assertThat(reference).hasSize(total);
        assertThat(new HashSet<>(reference.stream().map(RoomEvent::id).toList()))
                .hasSize(total);
        for (var l : listeners) {
            assertThat(l.messages())
                    .as("same messages, same order, no duplicates")
                    .isEqualTo(reference);
        }
        // sequence strictly increasing; each sender's own messages in the order sent
        long last = 0;
        for (var p : reference) {
            assertThat(p.seq()).isGreaterThan(last);
            last = p.seq();
        }
        for (int i = 0; i < clients; i++) {
            String sender = "user" + i;
            List<String> texts = reference.stream()
                    .filter(p -> p.message().sender().equals(sender))
                    .map(p -> p.message().text())
                    .toList();
            assertThat(texts).hasSize(perClient);
            for (int m = 0; m < perClient; m++) {
                assertThat(texts.get(m)).isEqualTo("m" + m + " from " + sender);
            }
        }
    }

    @Test
    void membersSeeJoinsAndLeaves() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        join("alice", a);
        var bob = join("bob", new RecordingLinkListener());
        assertThat(a.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Joined j
                                        && j.nick().equals("bob")),
                        20))
                .isTrue();
        bob.leave();
        assertThat(a.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Left l
                                        && l.nick().equals("bob")
                                        && l.reason().equals("left")),
                        20))
                .isTrue();
        assertThat(host.awaitMembers(1, 20, TimeUnit.SECONDS)).isTrue();
        assertThat(host.members()).containsExactly("alice");
    }

    @Test
    void aVanishedMemberIsReportedAsLost() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        join("alice", a);
        try (var raw = new RawPeer(port)) {
            raw.send(new Message.Hello(1, "mallory", "raw"));
            assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
        } // socket closed without a leave
        assertThat(a.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Left l
                                        && l.nick().equals("mallory")
                                        && l.reason().contains("closed")),
                        20))
                .isTrue();
    }

    @Test
    void nicknameCollisionIsRefusedIgnoringCase() throws Exception {
        startHost();
        join("Alice", new RecordingLinkListener());
        assertThatThrownBy(() -> join("alice", new RecordingLinkListener()))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.NICK_TAKEN);
                    assertThat(e.getMessage()).contains("already taken");
                });
        // the refused attempt left nothing behind: the name is still usable by nobody else, room has one member
        assertThat(host.members()).containsExactly("Alice");
        join("alice2", new RecordingLinkListener());
    }

    @Test
    void invalidNicknameAndFullRoomAreRefused() throws Exception {
        startHost(HostConfig.defaults("Small", 0).withLimits(1 << 20, 200, 2, 1024));
        assertThatThrownBy(() -> join("evil\u202Eoverride", new RecordingLinkListener()))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.NICK_INVALID));
        join("a", new RecordingLinkListener());
        join("b", new RecordingLinkListener());
        assertThatThrownBy(() -> join("c", new RecordingLinkListener()))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.ROOM_FULL);
                    assertThat(e.getMessage()).contains("full");
                });
    }

    @Test
    void lateJoinerGetsRecentHistoryIncludingItsOwnJoin() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        var alice = join("alice", a);
        for (int i = 0; i < 250; i++) {
            alice.send("msg " + i);
        }
        assertThat(a.awaitMessages(250, 30)).isTrue();
        var late = join("late", new RecordingLinkListener());
        var history = late.welcome().history();
        assertThat(history).hasSize(200);
        assertThat(history.getLast())
                .isInstanceOfSatisfying(
                        RoomEvent.Joined.class, j -> assertThat(j.nick()).isEqualTo("late"));
        // the 199 before it are the newest messages, in order
        var texts = history.subList(0, 199).stream()
                .map(e -> ((RoomEvent.Posted) e).message().text())
                .toList();
        assertThat(texts.getFirst()).isEqualTo("msg 51");
        assertThat(texts.getLast()).isEqualTo("msg 249");
        assertThat(late.welcome().members()).containsExactly("alice", "late");
        assertThat(late.welcome().lastSeq()).isEqualTo(history.getLast().seq());
    }

    @Test
    void stopTellsMembersReleasesThePortAndLeavesNoThreads() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        var b = new RecordingLinkListener();
        join("alice", a);
        join("bob", b);
        host.close();
        assertThat(a.disconnected.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(b.disconnected.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(a.why.kind()).isEqualTo(Disconnect.Kind.ROOM_CLOSED);
        assertThat(a.why.text()).contains("closed the room");
        assertThat(host.liveThreads()).isZero();
        assertThat(host.isRunning()).isFalse();
        try (var again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("confab-accept-" + port)
                        || t.getName().startsWith("confab-heartbeat-" + port));
    }

    @Test
    void portInUseIsAClearError() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var h = new RoomHost(
                    HostConfig.defaults("X", taken.getLocalPort()).withBindAddress(InetAddress.getLoopbackAddress()),
                    null);
            assertThatThrownBy(h::start)
                    .isInstanceOf(HostStartException.class)
                    .hasMessageContaining("already in use")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void refusedConnectionIsReportedAsSuch() throws Exception {
        int free;
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        assertThatThrownBy(() -> RoomLink.connect("127.0.0.1", free, "x", new RecordingLinkListener()))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.REFUSED);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + free);
                });
        assertThatThrownBy(() -> RoomLink.connect("no-such-host.invalid", 4747, "x", new RecordingLinkListener()))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.UNKNOWN_HOST));
    }

    @Test
    void olderOrNewerProtocolVersionIsRejectedWithACode() throws Exception {
        startHost();
        try (var raw = new RawPeer(port)) {
            raw.send(new Message.Hello(2, "future", "Confab 9"));
            var answer = raw.readUntilClosed();
            assertThat(answer).singleElement().isInstanceOfSatisfying(Message.Reject.class, r -> {
                assertThat(r.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
                assertThat(r.reason()).contains("version 1").contains("version 2");
            });
        }
    }

    /** Each hostile peer gets a clear error and is dropped; the room keeps serving the others. */
    @Test
    void hostilePeersAreDroppedAloneAndNothingIsLost() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        var b = new RecordingLinkListener();
        var alice = join("alice", a);
        join("bob", b);

        record Case(byte[] bytes, ErrorCode code) {}
        var cases = List.of(
                new Case(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}, ErrorCode.FRAME_TOO_LARGE),
                new Case(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}, ErrorCode.BAD_FRAME),
                new Case(new byte[] {0, 0, 0, 0, 1}, ErrorCode.BAD_FRAME),
                new Case(new byte[] {0, 0, 0, 2, 7, 1, 2}, ErrorCode.BAD_FRAME),
                new Case(new byte[] {0, 0, 0, 3, 1, (byte) 0xC3, (byte) 0x28, '}'}, ErrorCode.BAD_UTF8),
                new Case(new byte[] {0, 0, 0, 3, 1, 'a', 'b', 'c'}, ErrorCode.BAD_JSON),
                new Case(new byte[] {0, 0, 0, 2, 1, '{', '}'}, ErrorCode.BAD_MESSAGE),
                new Case(
                        JsonCodec.encode(new Message.Send("before hello", null)).encode(), ErrorCode.UNEXPECTED));
        int sent = 0;
        for (var c : cases) {
            try (var raw = new RawPeer(port)) {
                raw.write(c.bytes());
                var got = raw.readUntilClosed();
                assertThat(got)
                        .as("answer to %s", c.code())
                        .singleElement()
                        .isInstanceOfSatisfying(Message.Error.class, e -> {
                            assertThat(e.code()).isEqualTo(c.code());
                            assertThat(e.fatal()).isTrue();
                            assertThat(e.text()).isNotBlank();
                        });
            }
            alice.send("still here " + sent++);
        }
        // a joined member that turns hostile mid-session is dropped too, and announced as left
        try (var raw = new RawPeer(port)) {
            raw.send(new Message.Hello(1, "mallory", "raw"));
            assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
            raw.write(new byte[] {0, 0, 0, 4, 1, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD, (byte) 0xFC});
            var got = raw.readUntilClosed();
            assertThat(got)
                    .last()
                    .isInstanceOfSatisfying(
                            Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_UTF8));
        }
        alice.send("still here " + sent++);
        assertThat(b.awaitMessages(sent, 30)).isTrue();
        assertThat(b.messages())
                .extracting(p -> p.message().text())
                .containsExactlyElementsOf(IntStream.range(0, sent)
                        .mapToObj(i -> "still here " + i)
                        .toList());
        assertThat(b.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Left l
                                        && l.nick().equals("mallory")
                                        && l.reason().contains("protocol error")),
                        20))
                .as("mallory announced as dropped: %s", b.events)
                .isTrue();
        assertThat(host.isRunning()).isTrue();
        assertThat(host.members()).containsExactly("alice", "bob");
    }

    @Test
    void nonFatalErrorsKeepTheSession() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        var alice = join("alice", a);
        join("bob", new RecordingLinkListener());
        alice.send("x".repeat(Room.MAX_MESSAGE_LENGTH + 1));
        alice.send("   ");
        alice.rename("BOB");
        alice.send("fine");
        assertThat(a.awaitMessages(1, 20)).isTrue();
        assertThat(a.errors).hasSize(3);
        assertThat(a.errors.get(0)).startsWith("message-invalid").contains("too long");
        assertThat(a.errors.get(2)).startsWith("nick-taken");
        assertThat(a.messages()).extracting(p -> p.message().text()).containsExactly("fine");
        assertThat(alice.isConnected()).isTrue();
    }

    @Test
    void renameIsBroadcastAndTracked() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        var b = new RecordingLinkListener();
        var alice = join("alice", a);
        join("bob", b);
        alice.rename("alicia");
        assertThat(b.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Renamed r
                                        && r.oldNick().equals("alice")
                                        && r.newNick().equals("alicia")),
                        20))
                .isTrue();
        assertThat(a.await(ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.Renamed), 20))
                .isTrue();
        assertThat(alice.nick()).isEqualTo("alicia");
        alice.send("renamed");
        assertThat(b.awaitMessages(1, 20)).isTrue();
        assertThat(b.messages().getFirst().message().sender()).isEqualTo("alicia");
    }

    @Test
    void silentConnectionsAreCutAtTheHandshakeTimeoutAndDoNotBlockJoins() throws Exception {
        startHost(HostConfig.defaults("T", 0)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(15)));
        var silentTcp = new ArrayList<RawPeer>();
        for (int i = 0; i < 50; i++) {
            silentTcp.add(new RawPeer(port, false)); // not even a TLS hello
        }
        var silentAfterTls = new RawPeer(port); // finishes TLS, then never says hello
        silentAfterTls.socket.getOutputStream().flush();
        ((SSLSocket) silentAfterTls.socket).startHandshake();
        join("alice", new RecordingLinkListener()); // not held up by the silent ones
        for (var raw : silentTcp) {
            assertThat(raw.readUntilClosed()).isEmpty(); // closed by the host, nothing said in clear
            raw.close();
        }
        assertThat(silentAfterTls.readUntilClosed())
                .singleElement()
                .isInstanceOfSatisfying(
                        Message.Error.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT));
        silentAfterTls.close();
        assertThat(host.members()).containsExactly("alice");
    }

    @Test
    void aMemberThatStopsReadingIsCutAndNeverDelaysTheOthers() throws Exception {
        startHost(HostConfig.defaults("Q", 0).withLimits(1 << 20, 200, 16, 256));
        var b = new RecordingLinkListener();
        var alice = join("alice", new RecordingLinkListener());
        join("bob", b);
        var stuck = new RawPeer(port);
        open.add(stuck);
        stuck.socket.setReceiveBufferSize(4096);
        stuck.send(new Message.Hello(1, "stuck", "raw"));
        assertThat(host.awaitMembers(3, 20, TimeUnit.SECONDS)).isTrue();
        String big = "y".repeat(8000);
        int count = 3000; // ~24 MB: far beyond socket buffers plus the 256-frame queue
        int batch = 50; // paced by bob's progress, so only the stuck member can fall behind
        for (int i = 0; i < count; i += batch) {
            for (int j = i; j < i + batch; j++) {
                assertThat(alice.send(big + j)).isTrue();
            }
            assertThat(b.awaitMessages(i + batch, 30))
                    .as("bob keeps receiving while one member is stuck")
                    .isTrue();
        }
        assertThat(b.awaitMessages(count, 90)).isTrue();
        assertThat(b.messages()).hasSize(count);
        assertThat(b.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Left l
                                        && l.nick().equals("stuck")
                                        && l.reason().contains("stopped reading")),
                        30))
                .isTrue();
        assertThat(host.members()).containsExactly("alice", "bob");
    }

    @Test
    void historyTooBigForOneFrameIsTrimmedSoJoiningStillWorks() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        var alice = join("alice", a);
        int count = 70; // 70 x 16,000 chars > 1 MiB
        for (int i = 0; i < count; i++) {
            alice.send(i + "x".repeat(16_000));
        }
        assertThat(a.awaitMessages(count, 30)).isTrue();
        var bob = join("bob", new RecordingLinkListener());
        var history = bob.welcome().history();
        assertThat(history.size()).isBetween(2, count);
        assertThat(history.getLast()).isInstanceOf(RoomEvent.Joined.class);
        // what is kept is the newest, contiguous tail
        long seq = history.getFirst().seq();
        for (var e : history) {
            assertThat(e.seq()).isEqualTo(seq++);
        }
    }

    @Test
    void aRefusedRenameSaysWhy() throws Exception {
        startHost();
        var a = new RecordingLinkListener();
        var alice = join("alice", a);
        join("bob", new RecordingLinkListener());
        alice.rename("bad\u0007bell");
        alice.rename("Bob");
        alice.send("done");
        assertThat(a.awaitMessages(1, 20)).isTrue();
        assertThat(a.errors).hasSize(2);
        assertThat(a.errors.get(0)).startsWith("nick-invalid");
        assertThat(a.errors.get(1)).startsWith("nick-taken");
    }

    @Test
    void leavingRightAfterSendingStillDeliversWhatTheHostHadQueued() throws Exception {
        startHost();
        var b = new RecordingLinkListener();
        join("bob", b);
        for (int round = 0; round < 20; round++) {
            var a = new RecordingLinkListener();
            var alice = RoomLink.connect("127.0.0.1", port, "alice", JoinOptions.pinned(host.fingerprint()), a);
            alice.send("bye " + round);
            alice.leave();
            assertThat(a.messages())
                    .as("round %d: own message echoed before the host closed", round)
                    .extracting(p -> p.message().text())
                    .containsExactly("bye " + round);
            assertThat(a.why.kind()).isEqualTo(Disconnect.Kind.LEFT);
            assertThat(host.awaitMembers(1, 20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(b.awaitMessages(20, 20)).isTrue();
    }
}
