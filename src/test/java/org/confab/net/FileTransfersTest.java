package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Files through a real host over TLS on loopback (§18), with the client path the app ships
 * ({@link RoomConnection#files()}): an upload is shared as a message, a second member downloads
 * it intact under a safe name without overwriting, an unfinished download continues after its
 * intact chunks only, the host's limits refuse clearly, a hostile name never leaves the folder, and
 * a member that does not speak files reads a plain line instead.
 */
@Timeout(120)
class FileTransfersTest extends FilesTestBase {
    @Test
    void aSharedFileArrivesWholeAtAnotherMember_underASafeName_neverOverwriting() throws Exception {
        startHost(HostConfig.defaults("Files", 0).withHistoryFile(dir.resolve("host.db")));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        RoomConnection bob = member("bob", bl);

        byte[] content = random(3 * FileRef.DEFAULT_CHUNK + 12_345, 1);
        Path source = Files.write(dir.resolve("report.pdf"), content);
        var up = new Told();
        String key = alice.files().upload(source, null, "the numbers", up);
        assertThat(up.ended(key)).isTrue();
        assertThat(up.failed).isEmpty();
        assertThat(up.progress).last().isEqualTo((long) content.length);

        assertThat(bl.await(() -> sharedIn(bl, "report.pdf") != null, T)).isTrue();
        FileRef ref = sharedIn(bl, "report.pdf");
        assertThat(ref.size()).isEqualTo(content.length);
        assertThat(ref.sha256()).isEqualTo(FileTransfers.sha256(source));
        var posted = bl.messages().stream()
                .filter(p -> p.message().file() != null)
                .findFirst()
                .orElseThrow();
        assertThat(posted.message().text()).isEqualTo("the numbers");
        assertThat(posted.message().sender()).isEqualTo("alice");

        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        Files.writeString(downloads.resolve("report.pdf"), "bob's own file, not to be overwritten");
        var down = new Told();
        String dk = bob.files().download(ref, downloads, down);
        assertThat(down.ended(dk)).isTrue();
        assertThat(down.failed).isEmpty();
        Path saved = down.saved.get(dk);
        assertThat(saved).isEqualTo(downloads.resolve("report (1).pdf"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(content);
        assertThat(Files.readString(downloads.resolve("report.pdf"))).startsWith("bob's own file");
        try (var left = Files.list(downloads)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("report.pdf", "report (1).pdf");
        }

        // chat goes on beside a transfer, and an empty file is a file too
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        var upEmpty = new Told();
        String ek = alice.files().upload(empty, null, "", upEmpty);
        alice.send("still chatting");
        assertThat(bl.await(() -> bl.texts().contains("still chatting") && sharedIn(bl, "empty.txt") != null, T))
                .isTrue();
        assertThat(upEmpty.ended(ek)).isTrue();
        assertThat(upEmpty.finished).containsKey(ek);
        var downEmpty = new Told();
        String edk = bob.files().download(sharedIn(bl, "empty.txt"), downloads, downEmpty);
        assertThat(downEmpty.ended(edk)).isTrue();
        assertThat(Files.size(downEmpty.saved.get(edk))).isZero();
    }

    @Test
    void anUnfinishedDownloadContinuesAfterItsIntactChunks_andADamagedTailIsFetchedAgain() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        RoomConnection bob = member("bob", bl);
        int chunk = FileRef.DEFAULT_CHUNK;
        byte[] content = random(5 * chunk + 7, 2);
        Path source = Files.write(dir.resolve("video.bin"), content);
        var up = new Told();
        alice.files().upload(source, null, "", up);
        assertThat(bl.await(() -> sharedIn(bl, "video.bin") != null, T)).isTrue();
        FileRef ref = sharedIn(bl, "video.bin");

        // what an earlier run left: chunks 0 and 1 intact, chunk 2 half written and damaged
        Path downloads = Files.createDirectories(dir.resolve("d"));
        byte[] partial = new byte[2 * chunk + chunk / 2];
        System.arraycopy(content, 0, partial, 0, partial.length);
        partial[2 * chunk + 10] ^= 0x55;
        Files.write(downloads.resolve("video.bin.part"), partial);
        byte[] hashes = new byte[3 * 32];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(FileChunk.sha256(content, i * chunk, chunk), 0, hashes, i * 32, 32);
        }
        Files.write(downloads.resolve("video.bin.part.sha256"), hashes);

        var down = new Told();
        String dk = bob.files().download(ref, downloads, down);
        assertThat(down.ended(dk)).isTrue();
        assertThat(down.failed).isEmpty();
        assertThat(down.saved.get(dk)).isEqualTo(downloads.resolve("video.bin"));
        assertThat(Files.readAllBytes(down.saved.get(dk))).isEqualTo(content);
        // only what was missing or damaged came again: the first progress report is after chunk 2
        assertThat(down.progress).first().isEqualTo(3L * chunk);
        assertThat(downloads.resolve("video.bin.part")).doesNotExist();
        assertThat(downloads.resolve("video.bin.part.sha256")).doesNotExist();
    }

    @Test
    void theHostsLimitsRefuseClearly_andAHostileNameStaysInTheFolder() throws Exception {
        startHost(HostConfig.defaults("Small files", 0).withFiles(1000, 10_000));
        var al = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        Path big = Files.write(dir.resolve("big.iso"), random(2000, 3));
        var up = new Told();
        String key = alice.files().upload(big, null, "", up);
        assertThat(up.ended(key)).isTrue();
        assertThat(up.failed.get(key)).contains("too big").contains("1.0 KB");
        assertThat(alice.files().active()).isZero();

        // a client that offers a climbing name is refused by the host, whatever the client checked
        try (var raw = new RawPeer(port)) {
            raw.send(new Message.Hello(1, "mallory", "raw", null, Message.CAPS));
            assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
            raw.send(new Message.FileOffer("u1", "../../.bashrc", 10, "A".repeat(43), 262_144, null, null));
            Message answer;
            do {
                answer = raw.read();
            } while (!(answer instanceof Message.Error));
            assertThat(((Message.Error) answer).code()).isEqualTo(ErrorCode.FILE_REFUSED);
            assertThat(((Message.Error) answer).cid()).isEqualTo("u1");
            assertThat(((Message.Error) answer).fatal()).isFalse();
        }
    }

    @Test
    void aSharedFolderKeepsItsStructure_andEveryNameIsMadeSafeOnTheReceiversDisk() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        RoomConnection bob = member("bob", bl);
        Path source = Files.write(dir.resolve("x"), "device".getBytes());
        var up = new Told();
        String key = alice.files().upload(source, "project/CON.txt", null, "", up);
        assertThat(up.ended(key)).isTrue();
        assertThat(bl.await(() -> sharedIn(bl, "project/CON.txt") != null, T)).isTrue();
        Path downloads = Files.createDirectories(dir.resolve("safe"));
        var down = new Told();
        String dk = bob.files().download(sharedIn(bl, "project/CON.txt"), downloads, down);
        assertThat(down.ended(dk)).isTrue();
        assertThat(down.saved.get(dk)).isEqualTo(downloads.resolve("project").resolve("_CON.txt"));
        assertThat(Files.readString(down.saved.get(dk))).isEqualTo("device");
    }

    @Test
    void aMemberThatDoesNotSpeakFilesReadsALine() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        var al = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        try (var old = new RawPeer(port)) {
            old.send(new Message.Hello(1, "oldie", "old client", null, List.of(Message.CAP_EDIT)));
            assertThat(old.read()).isInstanceOf(Message.Welcome.class);
            Path source = Files.write(dir.resolve("notes.txt"), "hello".getBytes());
            alice.files().upload(source, null, "my notes", new Told());
            Message m;
            do {
                m = old.read();
            } while (!(m instanceof Message.Event e
                    && e.event() instanceof RoomEvent.Posted p
                    && p.message().sender().equals("alice")));
            var line = (RoomEvent.Posted) ((Message.Event) m).event();
            assertThat(line.message().file()).isNull();
            assertThat(line.message().text()).isEqualTo("(shared a file: notes.txt, 5 bytes) my notes");
        }
    }

    @Test
    void anImagesPreviewTravelsWithItsMessage_andIsKeptInTheHostsHistory() throws Exception {
        startHost(HostConfig.defaults("Files", 0).withHistoryFile(dir.resolve("host.db")));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        Path photo = Files.write(dir.resolve("beach.png"), random(5000, 7));
        String thumb = "iVBORw0KGgo" + "A".repeat(100);
        var up = new Told();
        String key = alice.files().upload(photo, "beach.png", null, "", thumb, up);
        assertThat(up.ended(key)).isTrue();
        assertThat(up.failed).isEmpty();
        // a member joining later reads it from the host's history, preview and all
        RoomConnection bob = member("bob", bl);
        assertThat(bl.await(() -> sharedIn(bl, "beach.png") != null, T)).isTrue();
        assertThat(sharedIn(bl, "beach.png").thumb()).isEqualTo(thumb);

        // a preview on a file that is no image is refused, and the file is not shared
        Path notes = Files.write(dir.resolve("notes.txt"), "hello".getBytes());
        var refused = new Told();
        String nk = alice.files().upload(notes, "notes.txt", null, "", thumb, refused);
        assertThat(refused.ended(nk)).isTrue();
        assertThat(refused.failed.get(nk)).contains("preview");
        assertThat(bob.files().active()).isZero();
    }
}
