package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.store.HostHistory;
import org.confab.store.HostStore;
import org.confab.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit through a real host: posts wait for the committer (nobody gets one, not even the
 * sender's echo or the ack of a retry, while the history's sync is held), many posts become
 * durable in one sync, and once it returns everyone gets them in seq order, before a join that came
 * while they waited; the late joiner's welcome holds them.
 */
@Timeout(120)
class GroupCommitTest {
    private static final int POSTS = 50;
    private static final int T = 30;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private HeldHistory history;

    @AfterEach
    void closeAll() throws Exception {
        if (history != null) {
            history.gate.countDown(); // a failed test leaves nothing waiting at the gate
        }
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /**
     * The real history file, whose {@link #sync} (and so every durable save: joins too) waits at a
     * gate while {@link #held}; counts the syncs that made something durable.
     */
    static final class HeldHistory implements HostHistory {
        final HostStore store;
        volatile boolean held;
        final CountDownLatch gate = new CountDownLatch(1);
        /** One permit per sync waiting at the gate. */
        final Semaphore atGate = new Semaphore(0);
        /** One permit per message staged. */
        final Semaphore postsStaged = new Semaphore(0);
        /** One permit per join staged. */
        final Semaphore joinsStaged = new Semaphore(0);

        final AtomicInteger durableSyncs = new AtomicInteger();

        HeldHistory(Path file) {
            store = HostStore.open(file);
        }

        @Override
        public long sync() {
            if (held) {
                atGate.release();
                try {
                    if (!gate.await(T, TimeUnit.SECONDS)) {
                        throw new AssertionError("the gate was never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            long before = store.durableSeq();
            long after = store.sync();
            if (after > before) {
                durableSyncs.incrementAndGet();
            }
            return after;
        }

        @Override
        public void stage(RoomEvent event, String cid) {
            store.stage(event, cid);
            if (event instanceof RoomEvent.Posted) {
                postsStaged.release();
            } else if (event instanceof RoomEvent.Joined) {
                joinsStaged.release();
            }
        }

        @Override
        public void append(RoomEvent event, String cid) {
            stage(event, cid);
            sync();
        }

        @Override
        public boolean groupCommits() {
            return true;
        }

        @Override
        public long durableSeq() {
            return store.durableSeq();
        }

        @Override
        public String roomId() {
            return store.roomId();
        }

        @Override
        public Path file() {
            return store.file();
        }

        @Override
        public long lastSeq() {
            return store.lastSeq();
        }

        @Override
        public long firstSeq() {
            return store.firstSeq();
        }

        @Override
        public OptionalLong seqOf(String cid) {
            return store.seqOf(cid);
        }

        @Override
        public List<StoredEvent> range(long from, long to, int limit) {
            return store.range(from, to, limit);
        }

        @Override
        public List<StoredEvent> range(long from, long to, int limit, long presenceFrom, String nick) {
            return store.range(from, to, limit, presenceFrom, nick);
        }

        @Override
        public int presenceCount(long from, long to, String nick, int most) {
            return store.presenceCount(from, to, nick, most);
        }

        @Override
        public List<StoredEvent> recent(int n) {
            return store.recent(n);
        }

        @Override
        public List<StoredEvent> about(long target) {
            return store.about(target);
        }

        @Override
        public void redact(long target) {
            store.redact(target);
        }

        @Override
        public String setting(String key) {
            return store.setting(key);
        }

        @Override
        public void setting(String key, String value) {
            store.setting(key, value);
        }

        @Override
        public int trim(long keep) {
            return store.trim(keep);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** A raw member whose messages (an {@code events} batch as its events) a reader thread queues. */
    private final class Heard implements AutoCloseable {
        final RawPeer peer;
        final LinkedBlockingQueue<Message> got = new LinkedBlockingQueue<>();

        Heard(int port, Message.Hello hello) throws Exception {
            peer = new RawPeer(port, false);
            open.add(this);
            peer.send(hello);
            Thread.ofVirtual().start(this::read);
        }

        private void read() {
            try {
                while (true) {
                    Message m;
                    try {
                        m = peer.read();
                    } catch (SocketTimeoutException idle) {
                        continue;
                    }
                    if (m == null) {
                        return;
                    }
                    if (m instanceof Message.Events batch) {
                        got.addAll(batch.events());
                    } else {
                        got.add(m);
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        /** Takes messages until one matches; returns those before it and it (last). */
        List<Message> until(Predicate<Message> wanted) throws InterruptedException {
            List<Message> seen = new ArrayList<>();
            while (true) {
                Message m = got.poll(T, TimeUnit.SECONDS);
                assertThat(m).as("a message within %d s after %s", T, seen).isNotNull();
                seen.add(m);
                if (wanted.test(m)) {
                    return seen;
                }
            }
        }

        @Override
        public void close() throws Exception {
            peer.close();
        }
    }

    private static boolean posted(Message m) {
        return m instanceof Message.Event e && e.event() instanceof RoomEvent.Posted;
    }

    private static boolean typingFrom(Message m, String nick) {
        return m instanceof Message.Typing t && t.nick().equals(nick);
    }

    @Test
    void postsReachNobodyBeforeTheirCommitThenEveryoneInOrderBeforeALaterJoin() throws Exception {
        history = new HeldHistory(dir.resolve("room.db"));
        var host = new RoomHost(
                HostConfig.defaults("Held", 0)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withRateLimit(1000, 1000),
                HostSecurity.insecure(),
                null,
                () -> history);
        int port = host.start().getPort();
        open.add(host);
        // alice resumes (an extension client: a retry is acked), bob is a plain member
        var alice = new Heard(
                port, new Message.Hello(1, "alice", "raw", new Message.Resume(host.roomId(), 0), Message.CAPS));
        alice.until(m -> m instanceof Message.Welcome);
        var bob = new Heard(port, new Message.Hello(1, "bob", "raw", null, Message.CAPS));
        bob.until(m -> m instanceof Message.Welcome);
        alice.until(m -> m instanceof Message.Event e
                && e.event() instanceof RoomEvent.Joined j
                && j.nick().equals("bob"));

        history.held = true;
        int syncsBefore = history.durableSyncs.get();
        for (int i = 0; i < POSTS; i++) {
            alice.peer.send(new Message.Send("m" + i, "c" + i));
        }
        assertThat(history.postsStaged.tryAcquire(POSTS, T, TimeUnit.SECONDS))
                .as("all posts staged")
                .isTrue();
        assertThat(history.atGate.tryAcquire(T, TimeUnit.SECONDS))
                .as("the committer waits at the gate")
                .isTrue();
        alice.peer.send(new Message.Send("m0", "c0")); // a retry of a post still waiting: acked only once durable
        alice.peer.send(new Message.Typing("alice"));
        // bob's queue would hold the posts before alice's typing had they been sent before their commit
        assertThat(bob.until(m -> typingFrom(m, "alice"))).noneMatch(GroupCommitTest::posted);
        bob.peer.send(new Message.Typing("bob"));
        assertThat(alice.until(m -> typingFrom(m, "bob"))).noneMatch(m -> posted(m) || m instanceof Message.Ack);

        // a join while the posts wait: staged behind them, it waits for the same commit (no welcome,
        // no fan-out before it is durable), and the room goes on meanwhile
        history.joinsStaged.drainPermits();
        var carol = new Heard(port, new Message.Hello(1, "carol", "raw", null, Message.CAPS));
        assertThat(history.joinsStaged.tryAcquire(T, TimeUnit.SECONDS))
                .as("carol's join staged")
                .isTrue();
        bob.peer.send(new Message.Ping(7)); // its pong comes after anything already queued to bob
        assertThat(bob.until(m -> m instanceof Message.Pong))
                .as("nothing of carol's join (nor the posts) before its commit")
                .noneMatch(m -> posted(m) || m instanceof Message.Event);
        assertThat(history.store.durableSeq()).isLessThan(history.store.lastSeq());
        history.gate.countDown();

        List<Message> alicesGot = null;
        for (Heard h : List.of(alice, bob)) {
            List<Message> got = h.until(m -> m instanceof Message.Event e
                    && e.event() instanceof RoomEvent.Joined j
                    && j.nick().equals("carol"));
            List<RoomEvent.Posted> posts = got.stream()
                    .filter(GroupCommitTest::posted)
                    .map(m -> (RoomEvent.Posted) ((Message.Event) m).event())
                    .toList();
            assertThat(posts)
                    .extracting(p -> p.message().text())
                    .as("every post, in order, before carol's join")
                    .containsExactlyElementsOf(
                            IntStream.range(0, POSTS).mapToObj(i -> "m" + i).toList());
            assertThat(posts).extracting(RoomEvent::seq).isSorted();
            if (h == alice) {
                alicesGot = got;
            }
        }
        // alice's echoes carry her client ids; the ack of her retry names the seq of the first, after them
        assertThat(alicesGot.stream().filter(GroupCommitTest::posted).map(m -> ((Message.Event) m).cid()))
                .containsExactlyElementsOf(
                        IntStream.range(0, POSTS).mapToObj(i -> "c" + i).toList());
        long first = history.seqOf("c0").orElseThrow();
        int lastEcho = 0;
        int ack = -1;
        for (int i = 0; i < alicesGot.size(); i++) {
            if (posted(alicesGot.get(i))) {
                lastEcho = i;
            } else if (alicesGot.get(i) instanceof Message.Ack a) {
                assertThat(a.seq()).isEqualTo(first);
                ack = i;
            }
        }
        assertThat(ack).as("the ack of the retry, after the echoes").isGreaterThan(lastEcho);

        List<Message> welcomed = carol.until(m -> m instanceof Message.Welcome);
        var welcome = (Message.Welcome) welcomed.getLast();
        assertThat(welcome.history().stream().filter(e -> e instanceof RoomEvent.Posted))
                .as("the late joiner's welcome holds the posts, durable by then")
                .hasSize(POSTS);
        assertThat(history.durableSyncs.get() - syncsBefore)
                .as("syncs that made the %d posts and the join durable", POSTS)
                .isLessThanOrEqualTo(2);
        assertThat(welcome.lastSeq())
                .as("the welcome is as of carol's own join")
                .isEqualTo(history.store.seqOf("c" + (POSTS - 1)).orElseThrow() + 1);
        assertThat(history.store.durableSeq()).isEqualTo(history.store.lastSeq());
    }
}
