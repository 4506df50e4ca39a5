package org.confab.ui.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.net.discovery.KeyCheck;
import org.confab.net.discovery.NetworkRoom;
import org.confab.ui.start.NetworkRoomsViewModel.State;
import org.junit.jupiter.api.Test;

/** The start screen's rooms on the network, without the toolkit: a fake source, the FX hop as a queue. */
class NetworkRoomsViewModelTest {
    private static final Fingerprint DESIGN = FakeRoomSource.key("design");
    private static final NetworkRoom DESIGN_ROOM =
            FakeRoomSource.room("Design team", "d1", DESIGN, false, 3, "alice", "192.168.1.20", 4747);
    private static final NetworkRoom LUNCH_ROOM = FakeRoomSource.room(
            "Friday lunch", "l1", FakeRoomSource.key("lunch"), true, 1, "bob", "192.168.1.31", 4800);

    private final Queue<Runnable> fx = new ArrayDeque<>();
    private final Queue<Runnable> closer = new ArrayDeque<>();
    private final FakeRoomSource source = new FakeRoomSource();

    private NetworkRoomsViewModel vm(KeyCheck.Known known) {
        return new NetworkRoomsViewModel(source, known, fx::add, closer::add);
    }

    private static Optional<Fingerprint> none(String host, int port) {
        return Optional.empty();
    }

    private void drainFx() {
        while (!fx.isEmpty()) {
            fx.poll().run();
        }
    }

    @Test
    void discoveryOffSaysWhyAndNeverBrowses() {
        var off = new FakeRoomSource("LAN discovery is turned off (CONFAB_DISCOVERY=off).");
        var vm = new NetworkRoomsViewModel(off, NetworkRoomsViewModelTest::none, fx::add, closer::add);
        vm.start();
        assertThat(vm.stateProperty().get()).isEqualTo(State.OFF);
        assertThat(vm.offReasonProperty().get()).contains("turned off");
        assertThat(off.browses()).isZero();
        vm.stop();
        assertThat(closer).isEmpty();
    }

    @Test
    void emptyThenRoomsAppearAndGo() {
        var vm = vm(NetworkRoomsViewModelTest::none);
        vm.start();
        assertThat(vm.stateProperty().get()).isEqualTo(State.EMPTY);
        source.rooms(List.of(DESIGN_ROOM, LUNCH_ROOM));
        drainFx();
        assertThat(vm.stateProperty().get()).isEqualTo(State.ROOMS);
        assertThat(vm.rows()).extracting(NetworkRoomRow::name).containsExactly("Design team", "Friday lunch");
        source.rooms(List.of(LUNCH_ROOM));
        drainFx();
        assertThat(vm.rows()).extracting(NetworkRoomRow::name).containsExactly("Friday lunch");
        source.rooms(List.of());
        drainFx();
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.stateProperty().get()).isEqualTo(State.EMPTY);
    }

    @Test
    void aBurstOfReportsIsOneHopToTheFxThreadWithTheNewest() throws Exception {
        var vm = vm(NetworkRoomsViewModelTest::none);
        vm.start();
        // from the browser's thread, as a RoomBrowser reports
        var done = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 50; i++) {
                source.rooms(i % 2 == 0 ? List.of(DESIGN_ROOM) : List.of(DESIGN_ROOM, LUNCH_ROOM));
            }
            source.rooms(List.of(LUNCH_ROOM));
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fx).hasSize(1);
        drainFx();
        assertThat(vm.rows()).extracting(NetworkRoomRow::name).containsExactly("Friday lunch");
        source.rooms(List.of(DESIGN_ROOM));
        assertThat(fx).hasSize(1); // the next report hops again
    }

    @Test
    void keyStatusFromTheKnownRooms() {
        Fingerprint other = FakeRoomSource.key("impostor");
        var open = FakeRoomSource.room("Open", "o1", null, false, 0, null, "10.0.0.9", 4747);
        var known = FakeRoomSource.room("Known", "k1", DESIGN, false, 2, "carol", "10.0.0.7", 4747);
        var changed = FakeRoomSource.room("Changed", "c1", DESIGN, false, 2, "mallory", "10.0.0.8", 4747);
        var vm = vm((host, port) -> switch (host) {
            case "10.0.0.7" -> Optional.of(DESIGN);
            case "10.0.0.8" -> Optional.of(other);
            default -> Optional.empty();
        });
        vm.start();
        source.rooms(List.of(DESIGN_ROOM, open, known, changed));
        drainFx();
        assertThat(vm.rows())
                .extracting(NetworkRoomRow::name, NetworkRoomRow::key)
                .containsExactly(
                        tuple("Design team", KeyCheck.NEW),
                        tuple("Open", KeyCheck.UNENCRYPTED),
                        tuple("Known", KeyCheck.KNOWN),
                        tuple("Changed", KeyCheck.DIFFERS));
        NetworkRoomRow warned = vm.rows().get(3);
        assertThat(warned.keyLabel()).isEqualTo("Key changed");
        assertThat(warned.keyText()).startsWith("Warning").contains("10.0.0.8:4747");
    }

    @Test
    void aRowJoinsTheAddressWithoutTheAnnouncedKey() {
        var v6 = FakeRoomSource.room("Lab", "v1", DESIGN, true, 1, "dana", "fd00::2", 4800);
        NetworkRoomRow row = NetworkRoomRow.of(v6, KeyCheck.NEW);
        assertThat(row.link()).isEqualTo(new InviteLink("fd00::2", 4800));
        assertThat(row.link().fingerprint()).isNull();
        assertThat(row.detail()).isEqualTo("Hosted by dana  ·  1 member  ·  [fd00::2]:4800");
        assertThat(NetworkRoomRow.of(DESIGN_ROOM, KeyCheck.NEW).detail())
                .isEqualTo("Hosted by alice  ·  3 members  ·  192.168.1.20:4747");
        var headless = FakeRoomSource.room("Build", "b1", DESIGN, false, -1, null, "10.0.0.5", 4747);
        assertThat(NetworkRoomRow.of(headless, KeyCheck.NEW).detail()).isEqualTo("10.0.0.5:4747");
        assertThat(row.accessibleText()).contains("Join Lab", "Password required");
    }

    @Test
    void aRowJoinsEveryAddressTheRoomWasHeardAt() throws Exception {
        var ad = DESIGN_ROOM.ad();
        var everywhere = new NetworkRoom(
                ad,
                List.of(
                        new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 4747),
                        new InetSocketAddress(InetAddress.getByName("10.8.0.3"), 4747),
                        new InetSocketAddress(InetAddress.getByName("fd00::2"), 4747)));
        InviteLink link = NetworkRoomRow.of(everywhere, KeyCheck.NEW).link();
        assertThat(link.address()).isEqualTo("192.168.1.20:4747");
        assertThat(link.alternates())
                .containsExactly(new InviteLink.Candidate("10.8.0.3", 4747), new InviteLink.Candidate("fd00::2", 4747));
        assertThat(link.fingerprint()).as("the announced key is never pinned").isNull();
        assertThat(NetworkRoomRow.of(everywhere, KeyCheck.NEW).detail()).endsWith("192.168.1.20:4747");
    }

    @Test
    void stopClosesOffTheFxThreadAndIgnoresLateReports() {
        var vm = vm(NetworkRoomsViewModelTest::none);
        vm.start();
        source.rooms(List.of(DESIGN_ROOM));
        vm.stop(); // the hop is still queued
        assertThat(source.closes()).isZero(); // not on this (the FX) thread
        assertThat(closer).hasSize(1);
        closer.poll().run();
        assertThat(source.closes()).isOne();
        drainFx();
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.stateProperty().get()).isEqualTo(State.IDLE);
        assertThat(vm.isBrowsing()).isFalse();

        // shown again: a new browse, and what the old one said late is not applied
        vm.start();
        assertThat(source.browses()).isEqualTo(2);
        source.rooms(List.of(LUNCH_ROOM));
        drainFx();
        assertThat(vm.rows()).extracting(NetworkRoomRow::name).containsExactly("Friday lunch");
        vm.start(); // already browsing: nothing more
        assertThat(source.browses()).isEqualTo(2);
    }
}
