package org.confab.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.confab.core.Fingerprint;
import org.junit.jupiter.api.Test;

class RoomAdTest {
    private static final Fingerprint FP = Fingerprint.ofCertificate(new byte[] {1, 2, 3});
    private static final Fingerprint OTHER = Fingerprint.ofCertificate(new byte[] {4});

    private static RoomAd ad(String id, Fingerprint fp) {
        return new RoomAd(1, "Team room", id, fp, true, 3, "ann");
    }

    private static byte[] txt(String... strings) {
        var out = new ByteArrayOutputStream();
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void theTxtRecordRoundTrips() {
        RoomAd a = ad("4e9b833c-7e55", FP);
        assertThat(RoomAd.parse(a.txtBytes())).contains(a);
        assertThat(a.txt())
                .containsEntry("fp", FP.base64url())
                .containsEntry("pw", "1")
                .containsEntry("n", "3");
        RoomAd open = new RoomAd(1, "Open", "id1", null, false, -1, null);
        assertThat(RoomAd.parse(open.txtBytes())).contains(open);
        assertThat(open.txt()).doesNotContainKeys("fp", "n", "nick");
    }

    @Test
    void aLongNameIsCutToFitOneTxtString() {
        RoomAd a = new RoomAd(1, "é".repeat(300), "id", FP, false, 0, null);
        byte[] b = a.txtBytes();
        assertThat(RoomAd.parse(b)).isPresent();
        assertThat(a.roomName().codePointCount(0, a.roomName().length())).isEqualTo(RoomAd.MAX_NAME);
    }

    @Test
    void peerTextIsCleanedAndBounded() {
        var parsed = RoomAd.parse(txt(
                        "id=evil",
                        "name=\u202Egnp.exe\u202C Evil\u0000\u0007\n room\u200B",
                        "nick=a\u0085b\uFFFD",
                        "n=99999999999",
                        "pv=x"))
                .orElseThrow();
        assertThat(parsed.roomName()).isEqualTo("gnp.exe Evil room");
        assertThat(parsed.hostNick()).isEqualTo("ab"); // NEL is a control character: dropped
        assertThat(parsed.members()).isEqualTo(-1);
        assertThat(parsed.protocolVersion()).isZero();
        byte[] badUtf8 = {
            3, 'i', 'd', '=', 2, 'x', 'y', 9, 'n', 'a', 'm', 'e', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'z'
        };
        assertThat(RoomAd.parse(badUtf8)).isEmpty(); // "id=" is empty: not a room
        byte[] bad2 = txt("id=r1", "name=\u00e9");
        bad2[bad2.length - 1] = (byte) 0xFF;
        assertThat(RoomAd.parse(bad2).orElseThrow().roomName()).isEqualTo("Unnamed room");
    }

    @Test
    void whatIsNotARoomIsIgnored() {
        assertThat(RoomAd.parse(null)).isEmpty();
        assertThat(RoomAd.parse(new byte[0])).isEmpty();
        assertThat(RoomAd.parse(txt("name=x"))).isEmpty();
        assertThat(RoomAd.parse(txt("id=../etc"))).isEmpty();
        assertThat(RoomAd.parse(txt("id=" + "a".repeat(65)))).isEmpty();
        assertThat(RoomAd.parse(txt("id=a", "txtvers=2"))).isEmpty();
        assertThat(RoomAd.parse(txt("id=a", "fp=not-a-key"))).isEmpty();
        assertThat(RoomAd.parse(new byte[] {(byte) 200, 'i', 'd', '='})).isEmpty(); // truncated
        assertThat(RoomAd.parse(txt("id=first", "id=second")).orElseThrow().roomId())
                .isEqualTo("first");
    }

    @Test
    void randomAndHugeRecordsNeverThrow() {
        var rnd = ThreadLocalRandom.current();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(0, 600)];
            rnd.nextBytes(b);
            if (i % 3 == 0 && b.length > 4) {
                System.arraycopy(new byte[] {3, 'i', 'd', '='}, 0, b, 0, 4);
            }
            Optional<RoomAd> ad = RoomAd.parse(b);
            ad.ifPresent(a -> assertThat(a.roomName().length()).isLessThanOrEqualTo(2 * RoomAd.MAX_NAME));
        }
        byte[] huge = new byte[10_000_000];
        long t = System.nanoTime();
        assertThat(RoomAd.parse(huge)).isEmpty();
        assertThat(System.nanoTime() - t).as("read up to MAX_TXT_BYTES only").isLessThan(1_000_000_000L);
    }

    @Test
    void roomsAreOnePerIdAndKeyAcrossInterfacesAndFamilies() throws Exception {
        var rooms = new NetworkRooms();
        var v4 = new InetSocketAddress(InetAddress.getByName("10.0.0.5"), 4747);
        var v6 = new InetSocketAddress(InetAddress.getByName("fd00::5"), 4747);
        var linkLocal = new InetSocketAddress(InetAddress.getByName("fe80::1"), 4747);
        assertThat(rooms.put("0|room", new NetworkRooms.Sighting(ad("r1", FP), List.of(v6, linkLocal))))
                .isTrue();
        assertThat(rooms.put("1|room", new NetworkRooms.Sighting(ad("r1", FP), List.of(v4))))
                .isTrue();
        assertThat(rooms.put("1|room", new NetworkRooms.Sighting(ad("r1", FP), List.of(v4))))
                .isFalse();
        assertThat(rooms.rooms())
                .singleElement()
                .satisfies(r -> assertThat(r.addresses()).containsExactly(v4, v6));
        // the same id with another key is another room (someone else announcing it)
        rooms.put("1|impostor", new NetworkRooms.Sighting(ad("r1", OTHER), List.of(v4)));
        assertThat(rooms.rooms()).hasSize(2);
        rooms.removeAll("1|");
        assertThat(rooms.rooms())
                .singleElement()
                .satisfies(r -> assertThat(r.addresses()).containsExactly(v6));
        assertThat(rooms.put("0|bad", new NetworkRooms.Sighting(ad("r2", FP), List.of(linkLocal))))
                .isFalse();
    }

    /**
     * JmDNS reports a service again as each record arrives; Avahi also publishes its host's IPv6
     * link-local AAAA over IPv4 (unscoped here, so unusable). A resolution with only that address
     * must not take away a room already seen at a usable one (AvahiInteropIT caught it doing so).
     */
    @Test
    void aResolutionWithNoUsableAddressKeepsWhatWasSeen() throws Exception {
        var rooms = new NetworkRooms();
        var v4 = new InetSocketAddress(InetAddress.getByName("10.79.160.2"), 4747);
        var linkLocal = new InetSocketAddress(InetAddress.getByName("fe80::2cc2:ddff:feff:4a62"), 4747);
        assertThat(rooms.put("0|avahi", new NetworkRooms.Sighting(ad("r1", FP), List.of(linkLocal))))
                .as("nothing usable yet")
                .isFalse();
        assertThat(rooms.rooms()).isEmpty();
        assertThat(rooms.put("0|avahi", new NetworkRooms.Sighting(ad("r1", FP), List.of(v4, linkLocal))))
                .isTrue();
        assertThat(rooms.put("0|avahi", new NetworkRooms.Sighting(ad("r1", FP), List.of(linkLocal))))
                .as("the same room, no change")
                .isFalse();
        assertThat(rooms.rooms())
                .singleElement()
                .satisfies(r -> assertThat(r.addresses()).containsExactly(v4));
        // a new TXT (a member joined) with only the link-local address: the new TXT, the address it had
        var fourMembers = new RoomAd(1, "Team room", "r1", FP, true, 4, "ann");
        assertThat(rooms.put("0|avahi", new NetworkRooms.Sighting(fourMembers, List.of(linkLocal))))
                .isTrue();
        assertThat(rooms.rooms()).singleElement().satisfies(r -> {
            assertThat(r.ad().members()).isEqualTo(4);
            assertThat(r.addresses()).containsExactly(v4);
        });
        assertThat(rooms.remove("0|avahi")).as("a goodbye still removes it").isTrue();
        assertThat(rooms.rooms()).isEmpty();
    }

    @Test
    void aFloodIsBounded() throws Exception {
        var rooms = new NetworkRooms();
        var a = new InetSocketAddress(InetAddress.getByName("10.0.0.9"), 1);
        for (int i = 0; i < 5_000; i++) {
            rooms.put("0|flood" + i, new NetworkRooms.Sighting(ad("flood-" + i, FP), List.of(a)));
        }
        assertThat(rooms.rooms()).hasSize(NetworkRooms.MAX_ROOMS);
    }

    /**
     * An impostor announces a room's id (joined before with key FP) from an address of its own
     * with its own key: no key is known for its address, but the id says it is not that room.
     */
    @Test
    void aRoomIdJoinedBeforeWithAnotherKeyIsAWarningFromAnyAddress() throws Exception {
        var elsewhere = List.of(new InetSocketAddress(InetAddress.getByName("10.0.0.66"), 4747));
        KeyCheck.Known noAddresses = (h, p) -> Optional.empty();
        KeyCheck.Known joinedBefore = noAddresses.andRooms(id -> id.equals("r1") ? Optional.of(FP) : Optional.empty());
        assertThat(KeyCheck.of(new NetworkRoom(ad("r1", OTHER), elsewhere), joinedBefore))
                .isEqualTo(KeyCheck.DIFFERS);
        assertThat(KeyCheck.of(new NetworkRoom(ad("r1", FP), elsewhere), joinedBefore))
                .as("the room itself, moved to another address")
                .isEqualTo(KeyCheck.KNOWN);
        assertThat(KeyCheck.of(new NetworkRoom(ad("r2", OTHER), elsewhere), joinedBefore))
                .isEqualTo(KeyCheck.NEW);
        assertThat(KeyCheck.of(new NetworkRoom(ad("r1", OTHER), elsewhere), noAddresses))
                .as("without the rooms joined before, only addresses count")
                .isEqualTo(KeyCheck.NEW);
        // a key known by address that differs still warns, whatever the id says
        KeyCheck.Known both = ((KeyCheck.Known) (h, p) -> Optional.of(OTHER)).andRooms(id -> Optional.of(FP));
        assertThat(KeyCheck.of(new NetworkRoom(ad("r1", FP), elsewhere), both)).isEqualTo(KeyCheck.DIFFERS);
    }

    @Test
    void knownKeysAreCheckedNotTrusted() throws Exception {
        var r = new NetworkRoom(ad("r1", FP), List.of(new InetSocketAddress(InetAddress.getByName("10.0.0.5"), 4747)));
        Map<String, Fingerprint> known = Map.of("10.0.0.5:4747", FP);
        Map<String, Fingerprint> changed = Map.of("10.0.0.5:4747", OTHER);
        assertThat(KeyCheck.of(r, (h, p) -> Optional.empty())).isEqualTo(KeyCheck.NEW);
        assertThat(KeyCheck.of(r, (h, p) -> Optional.ofNullable(known.get(h + ":" + p))))
                .isEqualTo(KeyCheck.KNOWN);
        assertThat(KeyCheck.of(r, (h, p) -> Optional.ofNullable(changed.get(h + ":" + p))))
                .isEqualTo(KeyCheck.DIFFERS);
        var open = new NetworkRoom(ad("r1", null), r.addresses());
        assertThat(KeyCheck.of(open, (h, p) -> Optional.of(FP))).isEqualTo(KeyCheck.UNENCRYPTED);
    }

    @Test
    void testsNeverAnnounceOrBrowse() throws Exception {
        // the build's switch (pom.xml): this JVM and every process it starts
        assertThat(Discovery.allowed()).isFalse();
        assertThat(System.getenv(Discovery.ENV)).isEqualTo("off");
        assertThat(Announcer.start(ad("r1", FP), 4747, null).interfaces()).isEmpty();
        try (RoomBrowser b = RoomBrowser.start(list -> {})) {
            assertThat(b.interfaces()).isEmpty();
        }
    }
}
