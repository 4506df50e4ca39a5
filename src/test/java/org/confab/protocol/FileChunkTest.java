package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.confab.core.FileRef;
import org.junit.jupiter.api.Test;

class FileChunkTest {

    private static byte[] payload(FileChunk c) {
        byte[] frame = c.encodeFrame();
        return Arrays.copyOfRange(frame, Frame.HEADER_BYTES, frame.length);
    }

    @Test
    void aChunkRoundTripsThroughABinaryFrame_andItsHashIsChecked() throws Exception {
        byte[] data = "hello, file".getBytes();
        FileChunk c = FileChunk.of(FileChunk.UPLOAD, "f-1_Ab", 4_000_000_000L, data);
        byte[] frame = c.encodeFrame();
        Frame decoded = new FrameDecoder().feed(frame).getFirst();
        assertThat(decoded.kind()).isEqualTo(Frame.Kind.BINARY);
        FileChunk back = FileChunk.decode(decoded.payload());
        assertThat(back).isEqualTo(c);
        assertThat(back.index()).isEqualTo(4_000_000_000L);
        assertThat(back.intact()).isTrue();

        byte[] corrupt = payload(c);
        corrupt[corrupt.length - 1] ^= 1;
        assertThat(FileChunk.decode(corrupt).intact()).isFalse();
    }

    @Test
    void aFrameFilledInPlaceIsTheSameAsAnEncodedChunk_withTheHashGivenOrSealedAfter() throws Exception {
        byte[] data = new byte[1000];
        new Random(3).nextBytes(data);
        FileChunk c = FileChunk.of(FileChunk.UPLOAD, "abc_DEF-9", 77, data);

        byte[] given = FileChunk.frame(FileChunk.UPLOAD, "abc_DEF-9", 77, c.sha256(), data.length);
        System.arraycopy(data, 0, given, FileChunk.dataOffset("abc_DEF-9"), data.length);
        assertThat(given).isEqualTo(c.encodeFrame());

        byte[] sealed = FileChunk.frame(FileChunk.UPLOAD, "abc_DEF-9", 77, null, data.length);
        System.arraycopy(data, 0, sealed, FileChunk.dataOffset("abc_DEF-9"), data.length);
        assertThat(FileChunk.seal(sealed, "abc_DEF-9")).isEqualTo(c.sha256());
        assertThat(sealed).isEqualTo(c.encodeFrame());
        FileChunk back =
                FileChunk.decode(new FrameDecoder().feed(sealed).getFirst().payload());
        assertThat(back).isEqualTo(c);
        assertThat(back.intact()).isTrue();
    }

    @Test
    void somethingThatIsNotAChunkIsABadFrame() {
        byte[] good = payload(FileChunk.of(FileChunk.DOWNLOAD, "f1", 0, new byte[] {1, 2, 3}));
        byte[] badOp = good.clone();
        badOp[0] = 9;
        byte[] badIdLength = good.clone();
        badIdLength[1] = (byte) 200;
        byte[] badId = good.clone();
        badId[2] = '/';
        byte[] noData = Arrays.copyOf(good, good.length - 3);
        for (byte[] p : new byte[][] {badOp, badIdLength, badId, noData, new byte[0], new byte[] {1}}) {
            assertThatThrownBy(() -> FileChunk.decode(p))
                    .isInstanceOf(ProtocolException.class)
                    .extracting(e -> ((ProtocolException) e).code())
                    .isEqualTo(ErrorCode.BAD_FRAME);
        }
    }

    @Test
    void aChunkLongerThanTheLimitIsRefused() {
        byte[] p = payload(FileChunk.of(FileChunk.UPLOAD, "f1", 0, new byte[FileRef.MAX_CHUNK + 1]));
        assertThatThrownBy(() -> FileChunk.decode(p)).hasMessageContaining("longer than");
        byte[] ok = payload(FileChunk.of(FileChunk.UPLOAD, "f1", 0, new byte[FileRef.MAX_CHUNK]));
        assertThat(ok.length).isLessThan(Frame.DEFAULT_MAX_PAYLOAD);
    }

    @Test
    void aFileRefKnowsItsChunks() {
        var f = new FileRef("f1", "a.bin", 600_000, "A".repeat(43), null, 262_144);
        assertThat(f.chunks()).isEqualTo(3);
        assertThat(f.chunkLength(0)).isEqualTo(262_144);
        assertThat(f.chunkLength(2)).isEqualTo(600_000 - 2 * 262_144);
        assertThat(f.mime()).isEqualTo("application/octet-stream");
        assertThat(new FileRef("e", "empty", 0, "A".repeat(43), null, 262_144).chunks())
                .isZero();
        assertThatThrownBy(() -> new FileRef("../x", "a", 1, "A".repeat(43), null, 262_144))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileRef("f", "a", 1, "short", null, 262_144))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
