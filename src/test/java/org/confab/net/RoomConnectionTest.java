package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.Assertions;
import org.confab.core.RoomEvent;
import org.confab.net.tls.HostIdentity;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Message;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;
import org.confab.store.OutboxEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Resume, outbox, dedup and rate limiting against a real host over loopback. */
@Timeout(120)
class RoomConnectionTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.2);
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** The room's key: the same across host restarts in one test, as with a key file. */
    private final HostIdentity identity = HostIdentity.generate();

    private final JoinOptions pinned = JoinOptions.pinned(identity.fingerprint());

    private RoomHost host(HostConfig config) throws Exception {
        var h = new RoomHost(
                config.withBindAddress(InetAddress.getLoopbackAddress()), HostSecurity.tls(identity), null);
        h.start();
        open.add(h);
        return h;
    }

    private HostConfig config(int port) {
        return HostConfig.defaults("Resume room", port).withHistoryFile(dir.resolve("host.db"));
    }

    private ClientStore store(String name) {
        var s = ClientStore.open(DataDirs.clientFile(dir, "127.0.0.1", name));
        open.add(s);
        return s;
    }

    private RoomConnection connection(int port, String nick, ClientStore store, RecordingConnectionListener l) {
        var rc = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, nick)
                        .withBackoff(FAST)
                        .withSecurity(pinned),
                store,
                l);
        open.add(rc);
        return rc;
    }

    private static void assertContiguous(List<Long> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i))
                    .as("seq %d follows %d", seqs.get(i), seqs.get(i - 1))
                    .isEqualTo(seqs.get(i - 1) + 1);
        }
    }

    @Test
    void afterADropTheClientResumesAndGetsExactlyWhatItMissed() throws Exception {
        var host = host(config(0));
        var bl = new RecordingConnectionListener();
        var bob = connection(host.port(), "bob", store("bob"), bl);
        bob.connect();
        var al = new RecordingConnectionListener();
        var alice = connection(host.port(), "alice", store("alice"), al);
        alice.connect();
        for (int i = 0; i < 5; i++) {
            alice.send("before " + i);
        }
        assertThat(bl.await(() -> bl.texts().size() == 5, 20)).isTrue();
        bob.dropForTest();
        assertThat(bl.await(() -> !bl.reconnects.isEmpty(), 20)).isTrue();
        for (int i = 0; i < 5; i++) {
            alice.send("while away " + i);
        }
        assertThat(bl.await(() -> bl.texts().size() == 10, 30))
                .as("bob: %s", bl.texts())
                .isTrue();
        assertThat(bl.texts())
                .containsExactly(
                        "before 0",
                        "before 1",
                        "before 2",
                        "before 3",
                        "before 4",
                        "while away 0",
                        "while away 1",
                        "while away 2",
                        "while away 3",
                        "while away 4");
        assertThat(bl.resumes).isNotEmpty();
        assertThat(bl.welcomes.getLast().resume()).isEqualTo(Joined.Resume.COMPLETE);
        // one snapshot: events still arriving (bob's own join comes last, after the catch-up) must not
        // make the two sides of the comparison differ
        var seqs = bl.seqs();
        assertContiguous(seqs);
        assertThat(new HashSet<>(seqs)).as("each event once: %s", seqs).hasSameSizeAs(seqs);
        assertThat(bl.delays.getFirst()).isBetween(40L, 60L);
    }

    @Test
    void messagesWrittenOfflineAreDeliveredOnceWhenTheHostAppearsAndMarkedDelivered() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var al = new RecordingConnectionListener();
        var alice = connection(port, "alice", store("alice"), al);
        alice.start(); // nobody hosts yet: it keeps trying
        assertThat(al.await(() -> al.reconnects.size() >= 2, 20)).isTrue();
        var cids = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            cids.add(alice.send("offline " + i).cid());
        }
        // pending from the write on: the writer knows it, nothing comes back through the listener for it
        assertThat(al.lastState(cids.getFirst())).isNull();
        assertThat(alice.pending()).extracting(OutboxEntry::cid).containsExactlyElementsOf(cids);
        host(config(port));
        alice.retryNow();
        assertThat(al.await(
                        () -> cids.stream().allMatch(c -> al.lastState(c) == RoomConnection.MessageState.DELIVERED),
                        30))
                .as("states %s", al.states)
                .isTrue();
        assertThat(al.texts()).containsExactly("offline 0", "offline 1", "offline 2");
        assertThat(al.states.get(cids.getFirst()))
                .containsExactly(RoomConnection.MessageState.SENT, RoomConnection.MessageState.DELIVERED);
        assertThat(alice.pending()).isEmpty();
        assertThat(al.cids).contains(cids.getFirst());
    }

    @Test
    void aHostRestartKeepsTheRoomIdentityAndTheSequenceAndClientsResume() throws Exception {
        var h1 = host(config(0));
        int port = h1.port();
        String roomId = h1.roomId();
        var bl = new RecordingConnectionListener();
        var bobStore = store("bob");
        var bob = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "bob")
                        .withBackoff(FAST)
                        .withSecurity(pinned)
                        .withReconnectAfterRoomClosed(true),
                bobStore,
                bl);
        open.add(bob);
        bob.connect();
        var al = new RecordingConnectionListener();
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "alice")
                        .withBackoff(FAST)
                        .withSecurity(pinned)
                        .withReconnectAfterRoomClosed(true),
                store("alice"),
                al);
        open.add(alice);
        alice.connect();
        alice.send("one");
        alice.send("two");
        assertThat(bl.await(() -> bl.texts().size() == 2, 20)).isTrue();
        long seqBefore = h1.lastSeq();
        h1.close();
        assertThat(bl.await(() -> !bl.reconnects.isEmpty(), 20)).isTrue();
        alice.send("written while the host is down");
        var h2 = host(config(port));
        assertThat(h2.roomId()).isEqualTo(roomId);
        assertThat(h2.lastSeq()).isGreaterThanOrEqualTo(seqBefore);
        assertThat(bl.await(() -> bl.texts().contains("written while the host is down"), 30))
                .as("bob: %s", bl.texts())
                .isTrue();
        assertThat(bl.welcomes.getLast().resume()).isEqualTo(Joined.Resume.COMPLETE);
        assertThat(bl.texts()).containsExactly("one", "two", "written while the host is down");
        var after = bl.messages().getLast();
        assertThat(after.seq()).isGreaterThan(seqBefore);
        // every event once, in order, across both runs (the "left" events of the shutdown included)
        assertContiguous(bl.seqs());
        assertContiguous(bobStore.recent(1000).stream().map(e -> e.seq()).toList());
        assertThat(bob.search("two")).extracting(m -> m.text()).containsExactly("two");
        assertThat(al.await(() -> alice.pending().isEmpty(), 20)).isTrue();
    }

    @Test
    void aTrimmedHistoryIsReportedAsAGap() throws Exception {
        var host = host(config(0).withKeepEvents(5));
        var bl = new RecordingConnectionListener();
        var bob = connection(host.port(), "bob", store("bob"), bl);
        bob.connect();
        var alice = connection(host.port(), "alice", store("alice"), new RecordingConnectionListener());
        alice.connect();
        bob.dropForTest();
        assertThat(bl.await(() -> !bl.reconnects.isEmpty(), 20)).isTrue();
        bob.close();
        open.remove(bob);
        // with bob away (and his connection closed), alice posts far more than the host keeps
        for (int i = 0; i < 40; i++) {
            alice.send("m" + i);
        }
        var watcher = new RecordingConnectionListener();
        connection(host.port(), "watcher", store("watcher"), watcher).connect();
        assertThat(watcher.await(() -> watcher.texts().contains("m39"), 30)).isTrue();
        var bobStore = (ClientStore) open.stream()
                .filter(o -> o instanceof ClientStore cs
                        && cs.file().getFileName().toString().contains("bob"))
                .findFirst()
                .orElseThrow();
        var bl2 = new RecordingConnectionListener();
        var bob2 = connection(host.port(), "bob", bobStore, bl2);
        bob2.connect();
        assertThat(bl2.welcomes.getFirst().resume()).isEqualTo(Joined.Resume.GAP);
        assertThat(bl2.resumes.getFirst()[1]).isEqualTo(1);
        assertThat(bl2.await(() -> bl2.texts().contains("m39"), 20)).isTrue();
        assertContiguous(bl2.seqs());
    }

    @Test
    void aRetriedClientIdIsAckedNotPostedTwice() throws Exception {
        var host = host(config(0));
        var watcher = new RecordingLinkListener();
        var w = RoomLink.connect("127.0.0.1", host.port(), "watcher", pinned, watcher);
        open.add(w);
        try (var raw = new RawPeer(host.port())) {
            raw.send(new Message.Hello(1, "raw", "raw", new Message.Resume(null, 0)));
            assertThat(raw.read()).isInstanceOfSatisfying(Message.Welcome.class, wel -> {
                assertThat(wel.roomId()).isEqualTo(host.roomId());
                assertThat(wel.resume().status()).isEqualTo(Message.ResumeResult.Status.NEW);
                assertThat(wel.limits().ratePerSecond()).isEqualTo(HostConfig.DEFAULT_RATE_PER_SECOND);
            });
            raw.send(new Message.Send("once", "cid-1"));
            var echo = (Message.Event) raw.read();
            assertThat(echo.cid()).isEqualTo("cid-1");
            raw.send(new Message.Send("once", "cid-1"));
            assertThat(raw.read())
                    .isEqualTo(new Message.Ack("cid-1", echo.event().seq()));
            raw.send(new Message.Send("twice", "cid-2"));
            assertThat(raw.read()).isInstanceOf(Message.Event.class);
        }
        assertThat(watcher.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Posted p
                                        && p.message().text().equals("twice")),
                        20))
                .isTrue();
        assertThat(watcher.messages()).extracting(p -> p.message().text()).containsExactly("once", "twice");
    }

    @Test
    void theRateLimitRefusesWithAClearRetryableErrorAndTheOutboxStillDeliversEverything() throws Exception {
        var host = host(config(0).withRateLimit(20, 10));
        try (var raw = new RawPeer(host.port())) {
            raw.send(new Message.Hello(1, "flood", "raw"));
            assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
            for (int i = 0; i < 30; i++) {
                raw.send(new Message.Send("f" + i, "f" + i));
            }
            int posted = 0;
            Message.Error limited = null;
            for (int i = 0; i < 30; i++) {
                var m = raw.read();
                if (m instanceof Message.Event e && e.event() instanceof RoomEvent.Posted) {
                    posted++;
                } else if (m instanceof Message.Error e && limited == null) {
                    limited = e;
                }
            }
            assertThat(posted).isBetween(10, 29);
            assertThat(limited).isNotNull();
            assertThat(limited.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(limited.fatal()).isFalse();
            assertThat(limited.cid()).startsWith("f");
            assertThat(limited.retryAfterMillis()).isPositive();
            assertThat(limited.text()).contains("20 messages per second");
        }
        // a RoomConnection paces itself and retries what is refused: all 60 arrive once, in order
        var bl = new RecordingConnectionListener();
        connection(host.port(), "bob", store("bob"), bl).connect();
        var al = new RecordingConnectionListener();
        var alice = connection(host.port(), "alice", store("alice"), al);
        alice.connect();
        for (int i = 0; i < 60; i++) {
            alice.send("r" + i);
        }
        assertThat(bl.await(
                        () -> bl.texts().stream().filter(t -> t.startsWith("r")).count() >= 60, 30))
                .isTrue();
        assertThat(bl.texts().stream().filter(t -> t.startsWith("r")).toList())
                .containsExactlyElementsOf(
                        IntStream.range(0, 60).mapToObj(i -> "r" + i).toList());
        assertThat(al.await(() -> alice.pending().isEmpty(), 20)).isTrue();
    }

    @Test
    void tooLongMessagesAreRefusedBeforeTheOutboxAndPlainV1ClientsStillWork() throws Exception {
        var host = host(config(0));
        var al = new RecordingConnectionListener();
        var alice = connection(host.port(), "alice", store("alice"), al);
        alice.connect();
        Assertions.assertThatThrownBy(() -> alice.send("x".repeat(20_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
        Assertions.assertThatThrownBy(() -> alice.send("  ")).isInstanceOf(IllegalArgumentException.class);
        var v1 = new RecordingLinkListener();
        var old = RoomLink.connect("127.0.0.1", host.port(), "old", pinned, v1);
        open.add(old);
        assertThat(old.welcome().resume()).isNull();
        old.send("from v1", "some-cid");
        assertThat(al.await(() -> al.texts().contains("from v1"), 20)).isTrue();
        alice.send("to v1");
        assertThat(v1.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Posted p
                                        && p.message().text().equals("to v1")),
                        20))
                .isTrue();
    }

    @Test
    void backoffDoublesToTheCapWithJitter() {
        var b = Backoff.DEFAULT;
        assertThat(b.delayMillis(1, () -> 0.5)).isEqualTo(500);
        assertThat(b.delayMillis(2, () -> 0.5)).isEqualTo(1000);
        assertThat(b.delayMillis(7, () -> 0.5)).isEqualTo(30_000);
        assertThat(b.delayMillis(100, () -> 0.5)).isEqualTo(30_000);
        assertThat(b.delayMillis(1, () -> 0.0)).isEqualTo(400);
        assertThat(b.delayMillis(1, () -> 0.999999)).isEqualTo(600);
        assertThat(b.delayMillis(50, () -> 0.0)).isEqualTo(24_000);
    }
}
