package org.confab.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FavouriteRoomsTest {
    private static final Fingerprint A = Fingerprint.ofCertificate(new byte[] {1});
    private static final Fingerprint B = Fingerprint.ofCertificate(new byte[] {2});

    @TempDir
    Path dir;

    private static InviteLink link(String host, Fingerprint fp, String... alt) {
        return InviteLink.of(
                Stream.concat(Stream.of(host), Stream.of(alt))
                        .map(h -> new InviteLink.Candidate(h, 4747))
                        .toList(),
                fp);
    }

    @Test
    void remembersNewestFirstWithKeyAndEveryAddress_acrossRestarts() throws Exception {
        Path file = dir.resolve("favourite-rooms");
        var store = new FavouriteRooms(file);
        store.remember("r1", "Team\troom\n", link("10.0.0.5", A, "100.101.7.9", "fd00::5"));
        store.remember("r2", "Other", link("10.0.0.6", B));
        var again = new FavouriteRooms(file);
        assertThat(again.list()).extracting(FavouriteRooms.Favourite::roomId).containsExactly("r2", "r1");
        var r1 = again.list().getLast();
        assertThat(r1.name()).isEqualTo("Team room");
        assertThat(r1.link()).isEqualTo(link("10.0.0.5", A, "100.101.7.9", "fd00::5"));
        assertThat(r1.identity()).isEqualTo("r1/" + A.base64url());
        assertThat(Files.getPosixFilePermissions(file).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void theSameRoomOrAddressReplacesItsEntry_keylessRoomsAreNotKept_andTheListIsBounded() throws Exception {
        var store = new FavouriteRooms(dir.resolve("f"));
        store.remember("r1", "Old name", link("10.0.0.5", A));
        store.remember("r1", "New name", link("192.168.1.5", A)); // same room, moved
        store.remember("r9", "Reinstalled", link("192.168.1.5", B)); // same address, another room now
        store.remember("plain", "No key", new InviteLink("10.0.0.7", 4747));
        store.remember(null, "No id", link("10.0.0.8", A));
        assertThat(store.list()).extracting(FavouriteRooms.Favourite::name).containsExactly("Reinstalled");
        for (int i = 0; i < FavouriteRooms.MAX + 5; i++) {
            store.remember("x" + i, "Room " + i, link("10.1.0." + (i + 1), A));
        }
        assertThat(store.list()).hasSize(FavouriteRooms.MAX);
        assertThat(store.list().getFirst().roomId()).isEqualTo("x" + (FavouriteRooms.MAX + 4));
        store.forget(store.list().getFirst().identity());
        assertThat(store.list()).hasSize(FavouriteRooms.MAX - 1);
    }

    @Test
    void theKeyARoomIdWasJoinedWithIsLookedUp() throws Exception {
        var store = new FavouriteRooms(dir.resolve("f"));
        store.remember("r1", "Team", link("10.0.0.5", A));
        assertThat(store.keyOf("r1")).contains(A);
        assertThat(store.keyOf("r2")).isEmpty();
        assertThat(new FavouriteRooms(dir.resolve("f")).keyOf("r1"))
                .as("after a restart")
                .contains(A);
    }

    @Test
    void damagedLinesAreSkipped() throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(
                file,
                "# comment\n" + "r1\tGood\t" + link("10.0.0.5", A).format() + "\n"
                        + "r2\tBad link\tconfab://10.0.0.6:4747/?alt=999.1.1.1:5\n"
                        + "r3\tNo key\tconfab://10.0.0.7:4747\n"
                        + "just garbage\n");
        assertThat(new FavouriteRooms(file).list())
                .extracting(FavouriteRooms.Favourite::roomId)
                .isEqualTo(List.of("r1"));
    }
}
