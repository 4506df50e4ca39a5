package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.protocol.FileChunk;
import org.confab.protocol.FolderManifest;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared folders (§18.4) through a real host over TLS on loopback: one message for a whole tree,
 * structure and empty folders kept on the receiver's disk, many small files without a round trip
 * each, and a list naming a path outside the folder refused by the host.
 */
@Timeout(180)
class FileFoldersTest extends FilesTestBase {

    private static List<RoomEvent.Posted> fileMessages(RecordingConnectionListener l) {
        return l.messages().stream().filter(p -> p.message().file() != null).toList();
    }

    @Test
    void aFolderIsSharedAsOneMessage_andArrivesWithItsStructureAndEmptyFolders() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        RoomConnection bob = member("bob", bl);

        Path src = Files.createDirectories(dir.resolve("alice").resolve("project"));
        Files.createDirectories(src.resolve("docs/old"));
        Files.writeString(src.resolve("docs/readme.txt"), "read me");
        Files.write(src.resolve("docs/old/data.bin"), random(2 * FileRef.DEFAULT_CHUNK + 99, 7));
        Files.write(src.resolve("zero.txt"), new byte[0]);
        Files.createDirectories(src.resolve("empty"));
        Files.createDirectories(src.resolve("build/out/classes"));
        Files.writeString(src.resolve("CON.txt"), "a device name elsewhere");

        var up = new Told();
        String key = alice.files().uploadFolder(src, null, "the project", up);
        assertThat(up.ended(key)).isTrue();
        assertThat(up.failed).isEmpty();
        FileRef sent = up.finished.get(key);
        assertThat(sent.folder()).isTrue();
        assertThat(sent.name()).isEqualTo("project");
        long total = 7 + 2 * FileRef.DEFAULT_CHUNK + 99 + 23;
        assertThat(up.progress).last().isEqualTo(total);

        assertThat(bl.await(
                        () -> fileMessages(bl).stream()
                                .anyMatch(p -> p.message().file().folder()),
                        T))
                .isTrue();
        alice.send("after the folder");
        assertThat(bl.await(() -> bl.texts().contains("after the folder"), T)).isTrue();
        assertThat(fileMessages(bl)).hasSize(1); // one message for the folder, none per file
        RoomEvent.Posted posted = fileMessages(bl).getFirst();
        assertThat(posted.message().text()).isEqualTo("the project");
        // the message tells the folder's size: its files' bytes, as the host counted them from its list
        assertThat(posted.message().file().total()).isEqualTo(total);
        assertThat(sent.total()).isEqualTo(total);

        Path downloads = Files.createDirectories(dir.resolve("bob"));
        Files.createDirectories(downloads.resolve("project")); // bob's own folder of that name stays his
        var down = new Told();
        String dk = bob.files().download(posted.message().file(), downloads, down);
        assertThat(down.ended(dk)).isTrue();
        assertThat(down.failed).isEmpty();
        Path saved = down.saved.get(dk);
        assertThat(saved).isEqualTo(downloads.resolve("project (1)"));
        assertThat(down.finished).hasSize(1);
        assertThat(down.progress).last().isEqualTo(total);
        assertThat(down.total).isEqualTo(total);
        assertThat(tree(saved))
                .containsExactly(
                        "_CON.txt",
                        "build/",
                        "build/out/",
                        "build/out/classes/",
                        "docs/",
                        "docs/old/",
                        "docs/old/data.bin",
                        "docs/readme.txt",
                        "empty/",
                        "zero.txt");
        assertThat(Files.readAllBytes(saved.resolve("docs/old/data.bin")))
                .isEqualTo(Files.readAllBytes(src.resolve("docs/old/data.bin")));
        assertThat(Files.readString(saved.resolve("docs/readme.txt"))).isEqualTo("read me");
        assertThat(Files.size(saved.resolve("zero.txt"))).isZero();
        assertThat(tree(downloads.resolve("project"))).isEmpty();
    }

    @Test
    void aThousandSmallFilesGoAsOneMessage_withoutARoundTripEach() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        RoomConnection bob = member("bob", bl);
        int n = 1000;
        Path src = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < n; i++) {
            Files.write(Files.createDirectories(src.resolve("d" + i % 10)).resolve("f" + i + ".txt"), random(1024, i));
        }
        var up = new Told();
        long t0 = System.nanoTime();
        String key = alice.files().uploadFolder(src, null, "", up);
        assertThat(up.ended(key)).isTrue();
        long t1 = System.nanoTime();
        assertThat(up.failed).isEmpty();
        assertThat(bl.await(() -> !fileMessages(bl).isEmpty(), T)).isTrue();
        var down = new Told();
        String dk = bob.files().download(fileMessages(bl).getFirst().message().file(), dir.resolve("got"), down);
        assertThat(down.ended(dk)).isTrue();
        long t2 = System.nanoTime();
        assertThat(down.failed).isEmpty();
        try (var files = Files.walk(down.saved.get(dk))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(n);
        }
        assertThat(Files.readAllBytes(down.saved.get(dk).resolve("d7/f517.txt")))
                .isEqualTo(random(1024, 517));
        System.out.printf(
                "FileFoldersTest: %d files of 1 KiB: upload (with hashing) %.0f files/s, download %.0f files/s%n",
                n, n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9));
        assertThat(fileMessages(bl)).hasSize(1);
        assertThat(alice.files().active()).isZero();
        assertThat(bob.files().active()).isZero();
    }

    @Test
    void aMemberThatDoesNotSpeakFilesReadsALineForAFolder() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        RoomConnection alice = member("alice", new RecordingConnectionListener());
        Path src = Files.createDirectories(dir.resolve("proj"));
        Files.writeString(src.resolve("a.txt"), "a");
        try (var old = new RawPeer(port)) {
            old.send(new Message.Hello(1, "oldie", "old client", null, List.of(Message.CAP_EDIT)));
            assertThat(old.read()).isInstanceOf(Message.Welcome.class);
            alice.files().uploadFolder(src, null, "the sources", new Told());
            Message m;
            do {
                m = old.read();
            } while (!(m instanceof Message.Event e
                    && e.event() instanceof RoomEvent.Posted p
                    && p.message().sender().equals("alice")));
            var line = (RoomEvent.Posted) ((Message.Event) m).event();
            assertThat(line.message().file()).isNull();
            assertThat(line.message().text()).isEqualTo("(shared a folder: proj) the sources");
        }
    }

    @Test
    void aListNamingAPathOutsideTheFolder_isRefusedByTheHost_andByTheReceiver() throws Exception {
        try (HostFiles files = HostFiles.open(dir.resolve("host"), 1 << 20, 1 << 30)) {
            String who = HostFiles.identity(null, "mallory");
            byte[] data = "x".getBytes();
            String sha = FileTransfers.sha256(data);
            var a = files.offer(who, "mallory", new Message.FileOffer("u1", "f/x", 1, sha, 262_144, null, null));
            files.chunk(who, FileChunk.of(FileChunk.UPLOAD, a.file(), 0, data));
            for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "C:/x")) {
                byte[] json = ("{\"confab-folder\":1,\"chunk\":262144,\"files\":[{\"path\":\"" + bad
                                + "\",\"size\":1,\"sha256\":\"" + sha + "\",\"file\":\"" + a.file()
                                + "\"}],\"dirs\":[]}")
                        .getBytes();
                var l = files.offer(
                        who,
                        "mallory",
                        new Message.FileOffer(
                                "list" + bad.length(),
                                "f",
                                json.length,
                                FileTransfers.sha256(json),
                                262_144,
                                FileRef.FOLDER_MIME,
                                null));
                files.chunk(who, FileChunk.of(FileChunk.UPLOAD, l.file(), 0, json));
                assertThatThrownBy(() -> files.shareable(l.file(), who, null))
                        .isInstanceOf(HostFiles.Refused.class)
                        .hasMessageContaining(bad)
                        .hasMessageContaining("not a path inside it");
                // the receiver reads such a list the same way and acts on none of it
                assertThatThrownBy(() -> FolderManifest.decode(json))
                        .isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("not a path inside it");
            }
        }
    }
}
