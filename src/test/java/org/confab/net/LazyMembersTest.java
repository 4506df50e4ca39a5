package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.confab.core.RoomEvent;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lazily loaded member list (docs/protocol.md §20): a member that names {@code lazymembers}
 * gets a welcome with the count and itself, no other member's {@code joined} or {@code left},
 * and {@code count} frames instead; once it watches, the list as of a seq and every change after
 * it, so it ends with the host's member list, as a member without the capability does.
 */
@Timeout(60)
class LazyMembersTest {
    private static final List<String> LAZY = List.of(Message.CAP_BATCH, Message.CAP_LAZY_MEMBERS);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @TempDir
    Path dir;

    /** A host that loads the list lazily in a room of more than {@code above} members. */
    private RoomHost host(int above) throws Exception {
        return host(HostConfig.defaults("Lazy", 0)
                .withBindAddress(InetAddress.getLoopbackAddress())
                .withLazyMembersAbove(above));
    }

    private RoomHost host(HostConfig config) throws Exception {
        var h = new RoomHost(config, HostSecurity.insecure(), null);
        h.start();
        open.add(h);
        return h;
    }

    /** A raw member and all it was told after its welcome, batches unpacked, in order. */
    private final class Member {
        final RawPeer raw;
        final Message.Welcome welcome;
        final List<RoomEvent> events = new ArrayList<>();
        final List<Integer> counts = new ArrayList<>();
        Message.MemberList list;

        Member(RoomHost h, String nick, List<String> caps, Message.Resume resume) throws Exception {
            raw = new RawPeer(h.port(), false);
            open.add(raw);
            raw.send(new Message.Hello(1, nick, "raw", resume, caps));
            Message first = raw.read();
            assertThat(first).isInstanceOf(Message.Welcome.class);
            welcome = (Message.Welcome) first;
        }

        /** Reads one frame and files it; false once the connection closed. */
        boolean readOne() throws Exception {
            switch (raw.read()) {
                case Message.Event e -> events.add(e.event());
                case Message.Events b -> b.events().forEach(e -> events.add(e.event()));
                case Message.MemberCount c -> counts.add(c.members());
                case Message.MemberList l -> list = l;
                case null -> {
                    return false;
                }
                default -> {}
            }
            return true;
        }

        /** Reads until it has the event with {@code seq} (the socket's read timeout bounds it). */
        void readThrough(long seq) throws Exception {
            while (events.isEmpty() || events.getLast().seq() < seq) {
                assertThat(readOne())
                        .as("open until seq %d; got %s", seq, events)
                        .isTrue();
            }
        }

        /** Reads until the host told it the room has {@code n} members. */
        void readCount(int n) throws Exception {
            while (counts.isEmpty() || counts.getLast() != n) {
                assertThat(readOne())
                        .as("open until a count of %d; got %s", n, counts)
                        .isTrue();
            }
        }

        void readList() throws Exception {
            while (list == null) {
                assertThat(readOne()).as("open until the member list").isTrue();
            }
        }

        /** Other members' joins and leaves it was sent. */
        List<RoomEvent> othersPresence(String me) {
            return events.stream()
                    .filter(e -> e instanceof RoomEvent.Joined j && !j.nick().equals(me)
                            || e instanceof RoomEvent.Left l && !l.nick().equals(me))
                    .toList();
        }
    }

    /** Alice on the Java client's path (plain TCP), connected. */
    private RoomConnection client(RoomHost h, RecordingConnectionListener heard) throws Exception {
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", h.port(), "alice").withSecurity(JoinOptions.insecureTcp()),
                null,
                heard);
        open.add(alice);
        alice.connect();
        return alice;
    }

    private RawPeer plainMember(RoomHost h, String nick) throws Exception {
        var raw = new RawPeer(h.port(), false);
        open.add(raw);
        raw.send(new Message.Hello(1, nick, "raw"));
        assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
        return raw;
    }

    /** Sends {@code text} from {@code from} and reads until its echo is back: then the room has it. Returns its seq. */
    private static long post(RawPeer from, String text) throws Exception {
        from.send(new Message.Send(text, null));
        while (true) {
            Message m = from.read();
            assertThat(m).as("open until the echo of %s", text).isNotNull();
            if (m instanceof Message.Event e
                    && e.event() instanceof RoomEvent.Posted p
                    && p.message().text().equals(text)) {
                return p.seq();
            }
        }
    }

    /** {@code n} joins, every other one leaving again; returns the room's last seq once it holds {@code expected}. */
    private long burst(RoomHost h, String prefix, int n, int expected) throws Exception {
        for (int i = 0; i < n; i++) {
            RawPeer m = plainMember(h, prefix + i);
            if (i % 2 == 1) {
                m.send(new Message.Leave("bye"));
            }
        }
        assertThat(h.room().awaitMembers(expected, 20, TimeUnit.SECONDS))
                .as("%d members: %s", expected, h.members())
                .isTrue();
        return h.room().lastSeq();
    }

    /** The member list {@code start} and then {@code events} make, in join order (as {@link PresenceBatchTest} folds it). */
    private static List<String> fold(List<String> start, List<RoomEvent> events) {
        return PresenceBatchTest.fold(start, events);
    }

    @Test
    void aLazyMemberIsToldTheCountNotWhoCameOrWent() throws Exception {
        var h = host(0);
        plainMember(h, "ann");
        plainMember(h, "ben");
        Member lazy = new Member(h, "lazy", LAZY, null);
        assertThat(lazy.welcome.lazy()).isTrue();
        assertThat(lazy.welcome.members()).containsExactly("lazy");
        assertThat(lazy.welcome.memberCount()).isEqualTo(3);
        assertThat(lazy.welcome.history())
                .as("its welcome's history holds no other member's join")
                .allSatisfy(e -> assertThat(
                                e instanceof RoomEvent.Joined j && !j.nick().equals("lazy"))
                        .isFalse());

        burst(h, "m", 20, 13); // 3 + 10 that stayed
        lazy.readCount(13);
        long last = post(plainMember(h, "poster"), "after the burst");
        lazy.readThrough(last);
        assertThat(lazy.othersPresence("lazy"))
                .as("no other member's join or leave")
                .isEmpty();
        assertThat(lazy.events.getLast()).isInstanceOf(RoomEvent.Posted.class);
        assertThat(lazy.counts)
                .as("counts only go up and down by what happened")
                .allSatisfy(n -> assertThat(n).isBetween(3, 14));
        assertThat(lazy.list).isNull();
    }

    @Test
    void watchingGivesTheListAsOfASeqThenEveryChangeAndEndsWithTheHostsMembers() throws Exception {
        var h = host(0);
        Member old = new Member(h, "old", List.of(Message.CAP_BATCH), null);
        Member lazy = new Member(h, "lazy", LAZY, null);
        burst(h, "a", 10, 7); // old, lazy and 5 that stayed
        lazy.raw.send(new Message.WatchMembers(true));
        lazy.readList();
        assertThat(lazy.list.members()).as("every member as of its seq").isEqualTo(h.members());
        long asOf = lazy.list.seq();

        long last = burst(h, "b", 10, 12);
        lazy.readThrough(last);
        old.readThrough(last);
        List<RoomEvent> after = lazy.othersPresence("lazy");
        assertThat(after)
                .as("every join and leave after the list, none before")
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.seq()).isGreaterThan(asOf));
        assertThat(after)
                .isEqualTo(old.events.stream().filter(e -> e.seq() > asOf).toList());
        assertThat(fold(lazy.list.members(), after))
                .isEqualTo(fold(old.welcome.members(), old.events))
                .isEqualTo(h.members());

        // it stops watching: the next joins come as a count again
        lazy.raw.send(new Message.WatchMembers(false));
        long stopped = post(plainMember(h, "marker"), "stopped");
        int before = lazy.events.size();
        lazy.readThrough(stopped);
        lazy.readCount(13);
        assertThat(lazy.events.subList(before, lazy.events.size()))
                .as("after the stop, no join: only the message")
                .allSatisfy(e -> assertThat(e).isInstanceOf(RoomEvent.Posted.class));
    }

    @Test
    void aLazyMemberThatResumesIsNotReplayedOthersJoins() throws Exception {
        var h = host(0);
        Member back = awayThenBack(h, 10, false).member();
        assertThat(back.welcome.memberCount()).isEqualTo(8);
        assertThat(back.othersPresence("lazy"))
                .as("the catch-up skips others' joins and leaves")
                .isEmpty();
        assertThat(back.events)
                .filteredOn(e -> e instanceof RoomEvent.Posted)
                .extracting(e -> ((RoomEvent.Posted) e).message().text())
                .contains("while it was away");
    }

    @Test
    void acrossAHostRestartAResumingLazyMemberIsNotReplayedHundredsOfJoinsBeforeItsOwn() throws Exception {
        Member back = resumeAfterChurn(MANY, true);
        assertThat(back.othersPresence("lazy"))
                .as("the catch-up skips the joins and leaves its welcome's list has; then later's join")
                .extracting(e -> ((RoomEvent.Joined) e).nick())
                .containsExactly("later");
    }

    @Test
    void inASmallRoomAResumingLazyMemberIsReplayedAFewJoinsAsTheyHappened() throws Exception {
        Member back = resumeAfterChurn(10, true);
        assertThat(back.othersPresence("lazy"))
                .as("10 joins, 5 leaves, talker2's and later's joins")
                .hasSize(17);
        assertContiguous(back);
    }

    @Test
    void withoutARestartAResumingLazyMemberIsReplayedEvenHundredsOfJoins() throws Exception {
        Member back = resumeAfterChurn(MANY, false);
        assertThat(back.othersPresence("lazy"))
                .as("%d joins, %d leaves, talker2's and later's joins", MANY, MANY / 2)
                .hasSize(MANY + MANY / 2 + 2);
        assertContiguous(back);
    }

    /** Joins that with every other one leaving again make more than the catch-up's most. */
    private static final int MANY = 2 * (HostedRoom.CATCH_UP_PRESENCE_MOST / 3) + 2;

    private static void assertContiguous(Member m) {
        for (int i = 1; i < m.events.size(); i++) {
            assertThat(m.events.get(i).seq())
                    .as("contiguous seqs")
                    .isEqualTo(m.events.get(i - 1).seq() + 1);
        }
    }

    /**
     * "lazy" joins, reads a post and drops; {@code n} others join (every other one leaving again,
     * what a host restart looks like: the others come back before it) and one posts; "lazy"
     * resumes from the post it read. Returns it once it has read through its own join.
     */
    private Back awayThenBack(RoomHost h, int n, boolean restart) throws Exception {
        Member first = new Member(h, "lazy", LAZY, null);
        long mid = post(plainMember(h, "talker"), "before the drop");
        first.readThrough(mid);
        if (restart) {
            HostConfig config = h.config();
            h.close(); // its history file stays: the room comes back with its seqs
            h = host(config);
        } else {
            first.raw.close();
            assertThat(h.room().awaitMembers(1, 20, TimeUnit.SECONDS)).isTrue();
        }
        burst(h, "c", n, (restart ? 0 : 1) + n / 2);
        long last = post(plainMember(h, "talker2"), "while it was away");

        Member back = new Member(h, "lazy", LAZY, new Message.Resume(h.room().roomId(), mid));
        assertThat(back.welcome.resume().status()).isEqualTo(Message.ResumeResult.Status.COMPLETE);
        back.readThrough(last + 1); // its own join is the newest event
        return new Back(h, back);
    }

    /** The host (the restarted one after a restart) and the member that came back. */
    private record Back(RoomHost host, Member member) {}

    /**
     * A lazy member in a room of at most 100 resumes (across a host restart if {@code restart}) after {@code n} others joined (every other
     * one leaving again) and one posted; returns it after its catch-up and one later join, its
     * list checked against the host's.
     */
    private Member resumeAfterChurn(int n, boolean restart) throws Exception {
        var came = awayThenBack(
                host(HostConfig.defaults("Lazy", 0)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withLazyMembersAbove(100)
                        .withHistoryFile(dir.resolve("room.db"))),
                n,
                restart);
        var h = came.host();
        Member back = came.member();
        assertThat(back.welcome.lazy()).as("not above 100").isFalse();
        assertThat(back.welcome.members()).as("the list as of its join").isEqualTo(h.members());
        assertThat(back.events)
                .filteredOn(e -> e instanceof RoomEvent.Posted)
                .extracting(e -> ((RoomEvent.Posted) e).message().text())
                .containsExactly("while it was away");
        int before = h.members().size();
        plainMember(h, "later");
        assertThat(h.room().awaitMembers(before + 1, 20, TimeUnit.SECONDS)).isTrue();
        back.readThrough(h.room().lastSeq());
        assertThat(back.othersPresence("lazy").getLast())
                .as("it still watches: the join after its own")
                .isInstanceOf(RoomEvent.Joined.class);
        assertThat(fold(h.members().subList(0, before), List.of(back.events.getLast())))
                .isEqualTo(h.members());
        return back;
    }

    @Test
    void inARoomUpToTheThresholdALazyMemberGetsTheListAndEveryJoinAsBefore() throws Exception {
        var h = host(3);
        plainMember(h, "ann");
        plainMember(h, "ben");
        Member third = new Member(h, "third", LAZY, null);
        assertThat(third.welcome.lazy()).as("3 members: not above 3").isFalse();
        assertThat(third.welcome.members()).containsExactly("ann", "ben", "third");
        Member fourth = new Member(h, "fourth", LAZY, null);
        assertThat(fourth.welcome.lazy()).as("4 members: above 3").isTrue();
        long last = burst(h, "d", 6, 7);
        third.readThrough(last);
        assertThat(fold(third.welcome.members(), third.events))
                .as("the one that joined the small room hears every join since")
                .isEqualTo(h.members());
        long posted = post(plainMember(h, "poster"), "hello");
        fourth.readThrough(posted);
        assertThat(fourth.othersPresence("fourth")).isEmpty();
    }

    @Test
    void theClientAsksForABigRoomsListAndKeepsItCurrent() throws Exception {
        var h = host(2);
        plainMember(h, "ann");
        plainMember(h, "ben");
        var heard = new RecordingConnectionListener();
        RoomConnection alice = client(h, heard);
        assertThat(heard.await(() -> !heard.welcomes.isEmpty(), 20)).isTrue();
        assertThat(heard.welcomes.getFirst().complete()).as("a lazy welcome").isFalse();
        assertThat(heard.welcomes.getFirst().memberCount()).isEqualTo(3);
        assertThat(heard.welcomes.getFirst().members()).containsExactly("alice");

        plainMember(h, "cat");
        assertThat(heard.await(() -> heard.counts.contains(4), 20))
                .as("the count: %s", heard.counts)
                .isTrue();
        assertThat(heard.memberList).isNull();

        alice.watchMembers(true);
        assertThat(heard.await(() -> heard.memberList != null, 20))
                .as("the list came")
                .isTrue();
        assertThat(heard.memberList).containsExactly("ann", "ben", "alice", "cat");
        RawPeer dan = plainMember(h, "dan");
        plainMember(h, "eve");
        dan.send(new Message.Leave("bye"));
        assertThat(h.room().awaitMembers(5, 20, TimeUnit.SECONDS)).isTrue();
        assertThat(heard.await(
                        () -> fold(
                                        heard.memberList,
                                        heard.events.stream()
                                                .filter(e -> e.seq() > heard.memberListAsOf)
                                                .toList())
                                .equals(h.members()),
                        20))
                .as("the list and the joins and leaves after it make the host's members: %s", h.members())
                .isTrue();
    }

    @Test
    void aListTooLongForOneFrameComesInPagesEachWithinTheLimit() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add((i % 3 == 0 ? "zoë-" : i % 3 == 1 ? "🙂 smile " : "bob \"q\" ") + i);
        }
        List<Message.MemberList> pages = HostedRoom.memberPages(9, names, 1024);
        assertThat(pages).hasSizeGreaterThan(1);
        assertThat(pages.subList(0, pages.size() - 1))
                .allSatisfy(p -> assertThat(p.more()).isTrue());
        assertThat(pages.getLast().more()).isFalse();
        assertThat(pages)
                .allSatisfy(
                        p -> assertThat(JsonCodec.encode(p).payload().length).isLessThanOrEqualTo(1024));
        assertThat(pages.stream().flatMap(p -> p.members().stream()).toList()).isEqualTo(names);
        assertThat(HostedRoom.memberPages(9, List.of("a"), 1024))
                .singleElement()
                .satisfies(p -> assertThat(p.more()).isFalse());

        // end to end: a host with 1 KiB frames, 40 members with long names, the Java client's list whole
        var h = new RoomHost(
                HostConfig.defaults("Paged", 0)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withLimits(1024, 20, 256, HostConfig.DEFAULT_SEND_QUEUE)
                        .withLazyMembersAbove(0),
                HostSecurity.insecure(),
                null);
        h.start();
        open.add(h);
        for (int i = 0; i < 40; i++) {
            new Member(h, "member-with-a-long-name-" + i, LAZY, null);
        }
        var heard = new RecordingConnectionListener();
        RoomConnection alice = client(h, heard);
        alice.watchMembers(true);
        assertThat(heard.await(() -> heard.memberList != null, 20))
                .as("the list came")
                .isTrue();
        assertThat(heard.memberList).hasSize(41).isEqualTo(h.members());
    }
}
