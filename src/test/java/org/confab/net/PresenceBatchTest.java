package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Batched presence (docs/protocol.md §19): a member that speaks {@code batch} gets a burst of
 * joins and leaves in {@code events} frames, one that does not gets one frame per event, and both
 * end with the same events in the same order and the same member list as the host; a member that
 * resumes in the middle of a burst gets every event after its resume point exactly once.
 */
@Timeout(60)
class PresenceBatchTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RoomHost host() throws Exception {
        var h = new RoomHost(
                HostConfig.defaults("Batch", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.insecure(),
                null);
        h.start();
        open.add(h);
        return h;
    }

    /** A raw member and what it was told: the welcome, then every event, unpacked from batches, in order. */
    private static final class Watcher {
        final RawPeer raw;
        final Message.Welcome welcome;
        final List<RoomEvent> events = new ArrayList<>();
        int batches;
        int largestBatch;

        Watcher(RawPeer raw, Message.Welcome welcome) {
            this.raw = raw;
            this.welcome = welcome;
        }

        /** Reads until it has seen the event with {@code seq} (or fails after the socket's timeout). */
        void readThrough(long seq) throws Exception {
            while (events.isEmpty() || events.getLast().seq() < seq) {
                switch (raw.read()) {
                    case Message.Event e -> events.add(e.event());
                    case Message.Events b -> {
                        batches++;
                        largestBatch = Math.max(largestBatch, b.events().size());
                        b.events().forEach(e -> events.add(e.event()));
                    }
                    case null -> throw new AssertionError("closed before seq " + seq + "; got " + events);
                    default -> {}
                }
            }
        }

        /** The member list the welcome and the events make, in join order. */
        List<String> members() {
            return fold(welcome.members(), events);
        }
    }

    private Watcher watcher(RoomHost h, String nick, List<String> caps, Message.Resume resume) throws Exception {
        var raw = new RawPeer(h.port(), false);
        open.add(raw);
        raw.send(new Message.Hello(1, nick, "raw", resume, caps));
        Message first = raw.read();
        assertThat(first).isInstanceOf(Message.Welcome.class);
        return new Watcher(raw, (Message.Welcome) first);
    }

    private RawPeer plainMember(RoomHost h, String nick) throws Exception {
        var raw = new RawPeer(h.port(), false);
        open.add(raw);
        raw.send(new Message.Hello(1, nick, "raw"));
        assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
        return raw;
    }

    /**
     * Forty joins, every other one leaving again at once ({@code midway} runs after the twentieth);
     * returns the room's last seq once the room holds {@code expected} members.
     */
    private long burst(RoomHost h, String prefix, int expected, ThrowingRunnable midway) throws Exception {
        for (int i = 0; i < 40; i++) {
            RawPeer m = plainMember(h, prefix + i);
            if (i % 2 == 1) {
                m.send(new Message.Leave("bye"));
            }
            if (i == 20) {
                midway.run();
            }
        }
        // joins are answered in turn; the leaves are handled once the room is down to the members that stayed
        assertThat(h.room().awaitMembers(expected, 20, TimeUnit.SECONDS))
                .as("%d members: %s", expected, h.members())
                .isTrue();
        return h.room().lastSeq();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The member list {@code start} and then {@code events} make, in join order. */
    static List<String> fold(List<String> start, List<RoomEvent> events) {
        List<String> in = new ArrayList<>(start);
        for (RoomEvent e : events) {
            switch (e) {
                case RoomEvent.Joined j -> {
                    if (!in.contains(j.nick())) {
                        in.add(j.nick());
                    }
                }
                case RoomEvent.Left l -> in.remove(l.nick());
                case RoomEvent.Renamed r -> in.replaceAll(n -> n.equals(r.oldNick()) ? r.newNick() : n);
                default -> {}
            }
        }
        return List.copyOf(in);
    }

    @Test
    void aBatchingMemberAndAnOldOneSeeTheSameEventsAndMembers() throws Exception {
        var h = host();
        Watcher batching = watcher(h, "newer", List.of(Message.CAP_BATCH), null);
        Watcher old = watcher(h, "older", List.of(), null);
        long last = burst(h, "m", 22, () -> {});

        batching.readThrough(last);
        old.readThrough(last);

        assertThat(batching.batches).as("joins and leaves came batched").isPositive();
        assertThat(batching.largestBatch).as("several events in one frame").isGreaterThan(1);
        assertThat(old.batches).as("an older client gets no batch").isZero();
        // the same events, in the same order, with nothing missing in between
        List<RoomEvent> afterOlder = batching.events.stream()
                .filter(e -> e.seq() > old.welcome.lastSeq())
                .toList();
        assertThat(afterOlder).isEqualTo(old.events);
        assertThat(batching.events.stream().mapToLong(RoomEvent::seq).toArray())
                .isEqualTo(LongStream.rangeClosed(batching.welcome.lastSeq() + 1, last)
                        .toArray());
        assertThat(batching.members()).isEqualTo(old.members()).isEqualTo(h.members());
    }

    @Test
    void aMessageAfterABurstComesAfterTheBatchOfJoinsBeforeIt() throws Exception {
        var h = host();
        Watcher batching = watcher(h, "newer", List.of(Message.CAP_BATCH), null);
        RawPeer carol = plainMember(h, "carol");
        RawPeer dave = plainMember(h, "dave");
        dave.send(new Message.Send("hello", null));
        batching.readThrough(4);
        assertThat(batching.events)
                .extracting(e -> e.getClass().getSimpleName() + " " + e.seq())
                .containsExactly("Joined 2", "Joined 3", "Posted 4");
        carol.close();
    }

    @Test
    void aMemberResumingInTheMiddleOfABurstGetsEveryLaterEventOnce() throws Exception {
        var h = host();
        Watcher first = watcher(h, "newer", List.of(Message.CAP_BATCH), null);
        long mid = burst(h, "a", 21, () -> {});
        first.readThrough(mid);
        first.raw.close(); // dropped; it comes back with a resume in the middle of the next burst
        assertThat(h.room().awaitMembers(20, 20, TimeUnit.SECONDS)).isTrue();
        Watcher[] back = new Watcher[1];
        long last = burst(
                h,
                "b",
                41,
                () -> back[0] = watcher(
                        h,
                        "newer",
                        List.of(Message.CAP_BATCH),
                        new Message.Resume(h.room().roomId(), mid)));
        assertThat(back[0].welcome.resume().status()).isEqualTo(Message.ResumeResult.Status.COMPLETE);
        back[0].readThrough(last);
        assertThat(back[0].events.stream().mapToLong(RoomEvent::seq).toArray())
                .as("every event after the resume point, once, in order")
                .isEqualTo(LongStream.rangeClosed(mid + 1, last).toArray());
        // its view (what it had at the drop, then what it was sent since) is the host's
        List<RoomEvent> all = new ArrayList<>(first.events);
        all.addAll(back[0].events);
        assertThat(fold(first.welcome.members(), all)).isEqualTo(h.members());
        assertThat(back[0].batches)
                .as("the events after its catch-up came batched")
                .isPositive();
    }

    @Test
    void aWelcomeAfterARenameAndALeaveNamesTheMembersAsTheyAreNow() throws Exception {
        var h = host();
        Watcher batching = watcher(h, "newer", List.of(Message.CAP_BATCH), null);
        RawPeer carol = plainMember(h, "carol");
        RawPeer dave = plainMember(h, "dave");
        plainMember(h, "erin");
        carol.send(new Message.Rename("caroline"));
        dave.send(new Message.Leave("bye"));
        batching.readThrough(6); // carol, dave and erin joined, carol renamed, dave left
        Watcher late = watcher(h, "late", List.of(Message.CAP_BATCH), null);
        assertThat(late.welcome.members()).containsExactly("newer", "caroline", "erin", "late");
        assertThat(fold(batching.welcome.members(), batching.events)).containsExactly("newer", "caroline", "erin");
    }
}
