package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static List<Frame> sampleFrames() {
        var frames = new ArrayList<Frame>();
        frames.add(new Frame(Frame.Kind.JSON, "{\"type\":\"ping\",\"nonce\":1}".getBytes(StandardCharsets.UTF_8)));
        frames.add(new Frame(
                Frame.Kind.JSON, "{\"type\":\"send\",\"text\":\"héllo wörld ✓ 🙂\"}".getBytes(StandardCharsets.UTF_8)));
        frames.add(new Frame(Frame.Kind.BINARY, new byte[] {0, 1, 2, (byte) 0xFF}));
        byte[] big = new byte[70_000]; // larger than one read buffer
        new Random(7).nextBytes(big);
        frames.add(new Frame(Frame.Kind.BINARY, big));
        frames.add(new Frame(Frame.Kind.JSON, new byte[] {'x'}));
        return frames;
    }

    private static byte[] concat(List<Frame> frames) {
        var out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(f.encode()));
        return out.toByteArray();
    }

    private static void assertSameFrames(List<Frame> actual, List<Frame> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).kind()).isEqualTo(expected.get(i).kind());
            assertThat(actual.get(i).payload()).isEqualTo(expected.get(i).payload());
        }
    }

    @Test
    void manyFramesInOneRead() throws Exception {
        var frames = sampleFrames();
        var decoded = new FrameDecoder().feed(concat(frames));
        assertSameFrames(decoded, frames);
    }

    @Test
    void splitAtEveryByteBoundaryReassemblesExactly() throws Exception {
        // small frames so that every split of the whole stream is tried (quadratic, keep it modest)
        var frames = List.of(
                new Frame(Frame.Kind.JSON, "{\"type\":\"ping\",\"nonce\":1}".getBytes(StandardCharsets.UTF_8)),
                new Frame(
                        Frame.Kind.JSON,
                        "{\"type\":\"send\",\"text\":\"ünïcødé 🙂\"}".getBytes(StandardCharsets.UTF_8)),
                new Frame(Frame.Kind.BINARY, new byte[] {9}),
                new Frame(Frame.Kind.JSON, "{\"type\":\"leave\"}".getBytes(StandardCharsets.UTF_8)));
        byte[] stream = concat(frames);
        for (int split = 0; split <= stream.length; split++) {
            var decoder = new FrameDecoder();
            var got = new ArrayList<Frame>(decoder.feed(stream, 0, split));
            got.addAll(decoder.feed(stream, split, stream.length - split));
            assertSameFrames(got, frames);
            assertThat(decoder.midFrame()).isFalse();
        }
        // and every pair of split points: three reads
        for (int a = 0; a <= stream.length; a++) {
            for (int b = a; b <= stream.length; b++) {
                var decoder = new FrameDecoder();
                var got = new ArrayList<Frame>(decoder.feed(stream, 0, a));
                got.addAll(decoder.feed(stream, a, b - a));
                got.addAll(decoder.feed(stream, b, stream.length - b));
                assertSameFrames(got, frames);
            }
        }
    }

    @Test
    void oneByteAtATimeAndRandomChunks() throws Exception {
        var frames = sampleFrames();
        byte[] stream = concat(frames);
        var decoder = new FrameDecoder();
        var got = new ArrayList<Frame>();
        for (int i = 0; i < stream.length; i++) {
            got.addAll(decoder.feed(stream, i, 1));
        }
        assertSameFrames(got, frames);

        var random = new Random(42);
        for (int round = 0; round < 200; round++) {
            decoder = new FrameDecoder();
            got = new ArrayList<>();
            int pos = 0;
            while (pos < stream.length) {
                int n = Math.min(stream.length - pos, random.nextInt(1, 9000));
                got.addAll(decoder.feed(stream, pos, n));
                pos += n;
            }
            assertSameFrames(got, frames);
        }
    }

    @Test
    void aBigFrameReadStraightIntoItsPayloadComesOutWhole_andTheFramesAroundItToo() throws Exception {
        var frames = sampleFrames();
        byte[] stream = concat(frames);
        var decoder = new FrameDecoder();
        var out = new ArrayList<Frame>();
        int at = 0;
        var random = new Random(11);
        while (at < stream.length) {
            int missing = decoder.missing();
            if (missing > 0 && random.nextBoolean()) {
                // as FramedSocket reads a chunk: into the payload, never past its end
                int n = 1 + random.nextInt(missing);
                System.arraycopy(stream, at, decoder.payloadBuffer(), decoder.payloadOffset(), n);
                at += n;
                Frame f = decoder.filled(n);
                if (f != null) {
                    out.add(f);
                }
            } else {
                int n = Math.min(stream.length - at, 1 + random.nextInt(5000));
                out.addAll(decoder.feed(stream, at, n));
                at += n;
            }
        }
        assertSameFrames(out, frames);
        assertThat(decoder.missing()).isZero();
        assertThat(decoder.midFrame()).isFalse();
        assertThatThrownBy(() -> decoder.filled(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void midFrameTellsACutStreamFromACleanEnd() throws Exception {
        byte[] stream = sampleFrames().getFirst().encode();
        var decoder = new FrameDecoder();
        decoder.feed(stream, 0, 3);
        assertThat(decoder.midFrame()).isTrue();
        decoder.feed(stream, 3, stream.length - 3);
        assertThat(decoder.midFrame()).isFalse();
    }

    @Test
    void oversizedLengthIsRejectedBeforeAllocating() {
        // claims 2 GiB - 1: must fail on the header alone, without trying to allocate it
        byte[] header = {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1};
        assertThatThrownBy(() -> new FrameDecoder().feed(header)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(e.getMessage()).contains("exceeds the maximum of 1048576 bytes");
        });
        byte[] justOver = {0, 0x10, 0, 1, 1}; // 1 MiB + 1
        assertThatThrownBy(() -> new FrameDecoder().feed(justOver))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
    }

    @Test
    void maximumLengthItselfIsAccepted() throws Exception {
        var frame = new Frame(Frame.Kind.BINARY, new byte[16]);
        assertThat(new FrameDecoder(16).feed(frame.encode())).hasSize(1);
        assertThatThrownBy(() -> new FrameDecoder(15).feed(frame.encode())).isInstanceOf(ProtocolException.class);
    }

    @Test
    void negativeZeroAndUnknownKindAreProtocolErrors() {
        byte[] negative = {(byte) 0x80, 0, 0, 5, 1};
        assertThatThrownBy(() -> new FrameDecoder().feed(negative))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
                    assertThat(e.getMessage()).contains("negative");
                });
        byte[] zero = {0, 0, 0, 0, 1};
        assertThatThrownBy(() -> new FrameDecoder().feed(zero))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME));
        byte[] unknownKind = {0, 0, 0, 1, 9, 'x'};
        assertThatThrownBy(() -> new FrameDecoder().feed(unknownKind))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
                    assertThat(e.getMessage()).contains("kind 9");
                });
    }

    @Test
    void aFailedDecoderStaysFailed() {
        var decoder = new FrameDecoder();
        assertThatThrownBy(() -> decoder.feed(new byte[] {0, 0, 0, 0, 1})).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decoder.feed(new Frame(Frame.Kind.JSON, new byte[] {'x'}).encode()))
                .isInstanceOf(ProtocolException.class);
    }
}
