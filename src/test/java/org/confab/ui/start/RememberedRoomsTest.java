package org.confab.ui.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.confab.core.InviteLink;
import org.confab.core.InviteLink.Candidate;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomHost;
import org.confab.net.RoomProbe;
import org.confab.net.discovery.KeyCheck;
import org.confab.net.discovery.NetworkRoom;
import org.confab.net.tls.HostIdentity;
import org.confab.store.FavouriteRooms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remembered rooms on the start screen's list, probed for real over loopback (no multicast: the
 * announced rooms come from a {@link FakeRoomSource}).
 */
@Timeout(60)
class RememberedRoomsTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private RoomHost host(String name, HostIdentity id) throws Exception {
        var h = new RoomHost(
                HostConfig.defaults(name, 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.tls(id),
                null);
        h.start();
        open.add(h);
        return h;
    }

    private static int closedPort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<NetworkRoom> await(BlockingQueue<List<NetworkRoom>> lists, Predicate<List<NetworkRoom>> p)
            throws InterruptedException {
        while (true) {
            List<NetworkRoom> l = lists.poll(30, TimeUnit.SECONDS);
            assertThat(l).as("a list matching in time").isNotNull();
            if (p.test(l)) {
                return l;
            }
        }
    }

    @Test
    void aRememberedRoomThatAnswersWithItsKeyIsListedAsRemembered_oneWithAnotherKeyIsNot_andAnAnnouncedOneOnce()
            throws Exception {
        var id = HostIdentity.generate();
        var good = host("Kept room", id);
        var impostor = host("Impostor", HostIdentity.generate());
        var favourites = new FavouriteRooms(dir.resolve("favourite-rooms"));
        int closed = closedPort();
        var keptLink = InviteLink.of(
                List.of(new Candidate("127.0.0.1", closed), new Candidate("127.0.0.1", good.port())), id.fingerprint());
        favourites.remember(good.roomId(), "Kept room", keptLink);
        // a favourite whose address now answers with another key: never listed
        favourites.remember(
                "gone",
                "Gone room",
                new InviteLink(
                        "127.0.0.1", impostor.port(), HostIdentity.generate().fingerprint()));

        var announced = new FakeRoomSource();
        var source = new RememberedRooms(
                announced, favourites::list, l -> RoomProbe.reach(l, Duration.ofSeconds(3)), Duration.ofMillis(200));
        BlockingQueue<List<NetworkRoom>> lists = new LinkedBlockingQueue<>();
        open.add(source.browse(lists::add));

        List<NetworkRoom> listed = await(lists, l -> !l.isEmpty());
        assertThat(listed).singleElement().satisfies(r -> {
            assertThat(r.ad().roomName()).isEqualTo("Kept room");
            assertThat(r.remembered()).isNotNull();
            // the answering address first, the others kept, the key with it
            assertThat(r.remembered().candidates())
                    .containsExactly(new Candidate("127.0.0.1", good.port()), new Candidate("127.0.0.1", closed));
            assertThat(r.remembered().fingerprint()).isEqualTo(id.fingerprint());
            var row = NetworkRoomRow.of(r, KeyCheck.NEW);
            assertThat(row.remembered()).isTrue();
            assertThat(row.detail()).startsWith("Remembered  ·  127.0.0.1:" + good.port());
            assertThat(row.link()).isEqualTo(r.remembered());
        });

        // the same room announced (same id and key): listed once, as announced
        announced.rooms(List.of(FakeRoomSource.room(
                "Kept room", good.roomId(), id.fingerprint(), false, 1, "ann", "127.0.0.1", good.port())));
        List<NetworkRoom> both = await(lists, l -> l.stream().anyMatch(r -> r.remembered() == null));
        assertThat(both)
                .singleElement()
                .satisfies(r -> assertThat(r.remembered()).isNull());

        // the host goes: the next probe no longer lists it (the announcement aside)
        announced.rooms(List.of());
        good.close();
        await(lists, List::isEmpty);
    }
}
