package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
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
