package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.confab.core.FileRef;
import org.confab.protocol.FileChunk;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's file store across a restart: complete files of one chunk and of several are served intact, a partial one resumes. */
class HostFilesTest {
    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void filesSurviveARestartOfTheHost_aOneChunkFileWithoutAHashesFile() throws Exception {
        String who = HostFiles.identity(null, "alice");
        int chunk = FileRef.DEFAULT_CHUNK;
        byte[] small = random(1000, 1);
        byte[] big = random(3 * chunk + 7, 2);
        String smallId;
        String bigId;
        String partialId;
        try (HostFiles files = HostFiles.open(dir, 1L << 30, 1L << 32)) {
            smallId = files.offer(who, "alice", offer("u1", "s.txt", small, chunk))
                    .file();
            files.chunk(who, FileChunk.of(FileChunk.UPLOAD, smallId, 0, small));
            bigId = files.offer(who, "alice", offer("u2", "b.bin", big, chunk)).file();
            for (int i = 0; i < 4; i++) {
                files.chunk(who, FileChunk.of(FileChunk.UPLOAD, bigId, i, slice(big, i, chunk)));
            }
            partialId =
                    files.offer(who, "alice", offer("u3", "p.bin", big, chunk)).file();
            files.chunk(who, FileChunk.of(FileChunk.UPLOAD, partialId, 0, slice(big, 0, chunk)));
            files.chunk(who, FileChunk.of(FileChunk.UPLOAD, partialId, 1, slice(big, 1, chunk)));
        }
        assertThat(dir.resolve(smallId + ".hashes")).doesNotExist();
        assertThat(dir.resolve(bigId + ".hashes")).exists();

        try (HostFiles files = HostFiles.open(dir, 1L << 30, 1L << 32)) {
            FileRef s = files.downloadable(smallId, "bob");
            try (FileChannel ch = files.openForReading(s)) {
                FileChunk c = chunkOf(files.readFrame(s, ch, 0));
                assertThat(c.intact()).isTrue();
                assertThat(c.data()).isEqualTo(small);
            }
            FileRef b = files.downloadable(bigId, "bob");
            try (FileChannel ch = files.openForReading(b)) {
                for (int i = 0; i < 4; i++) {
                    assertThat(chunkOf(files.readFrame(b, ch, i)).intact()).isTrue();
                }
            }
            // the partial upload is offered again: the host holds its first two chunks
            assertThat(files.offer(who, "alice", offer("u3", "p.bin", big, chunk))
                            .have())
                    .isEqualTo(2);
        }
    }

    @Test
    void aKillAfterTheLastChunkBeforeItsDescription_theRestartedHostHasTheFileWhole() throws Exception {
        String who = HostFiles.identity(null, "alice");
        int chunk = FileRef.DEFAULT_CHUNK;
        byte[] big = random(2 * chunk + 5, 3);
        String id;
        try (HostFiles files = HostFiles.open(dir, 1L << 30, 1L << 32)) {
            id = files.offer(who, "alice", offer("u1", "b.bin", big, chunk)).file();
            for (int i = 0; i < 3; i++) {
                files.chunk(who, FileChunk.of(FileChunk.UPLOAD, id, i, slice(big, i, chunk)));
            }
        }
        // as if the host died after writing the last chunk, before its description said complete
        Path meta = dir.resolve(id + ".meta");
        Files.writeString(meta, Files.readString(meta).replace("complete=true", "complete=false"));

        try (HostFiles files = HostFiles.open(dir, 1L << 30, 1L << 32)) {
            assertThat(files.offer(who, "alice", offer("u1", "b.bin", big, chunk))
                            .have())
                    .isEqualTo(3);
            assertThat(files.shareable(id, who, null).size()).isEqualTo(big.length);
            assertThat(files.downloadable(id, "bob").id()).isEqualTo(id);
        }
        assertThat(Files.readString(meta)).contains("complete=true");
    }

    @Test
    void sharingWhatIsNotWholeHere_saysWhatIsMissing() throws Exception {
        String who = HostFiles.identity(null, "alice");
        int chunk = FileRef.DEFAULT_CHUNK;
        byte[] big = random(3 * chunk, 4);
        try (HostFiles files = HostFiles.open(dir, 1L << 30, 1L << 32)) {
            String id =
                    files.offer(who, "alice", offer("u1", "b.bin", big, chunk)).file();
            files.chunk(who, FileChunk.of(FileChunk.UPLOAD, id, 0, slice(big, 0, chunk)));
            assertThatThrownBy(() -> files.shareable(id, who, null))
                    .hasMessage("The host holds 1 of the file's 3 chunks: offer it again to send the rest.");
            assertThatThrownBy(() -> files.shareable(id, HostFiles.identity(null, "mallory"), null))
                    .hasMessageContaining("uploaded by another member");
            assertThatThrownBy(() -> files.shareable(id, who, "bob")).hasMessageContaining("for another conversation");
            assertThatThrownBy(() -> files.shareable("nope", who, null))
                    .hasMessageContaining("does not have this file");
        }
    }

    private static Message.FileOffer offer(String id, String name, byte[] data, int chunk) {
        return new Message.FileOffer(id, name, data.length, FileTransfers.sha256(data), chunk, null, null);
    }

    private static byte[] slice(byte[] data, int index, int chunk) {
        int from = index * chunk;
        byte[] out = new byte[Math.min(chunk, data.length - from)];
        System.arraycopy(data, from, out, 0, out.length);
        return out;
    }

    /** The chunk in a frame the host would send. */
    private static FileChunk chunkOf(byte[] frame) throws Exception {
        return FileChunk.decode(new FrameDecoder().feed(frame).getFirst().payload());
    }
}
