package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two fuzz targets: the frame codec ({@link FrameDecoder} fed arbitrary bytes in arbitrary splits)
 * and the JSON codec ({@link JsonCodec#decode(byte[])}, then an encode/decode round trip of whatever
 * decodes). The only acceptable failure is a {@link ProtocolException} with a code and a message.
 * Plain {@code mvn test} replays the committed corpus
 * (src/test/resources/org/confab/protocol/CodecFuzzTestInputs/&lt;method&gt;/); fuzz one method per run
 * with {@code JAZZER_FUZZ=1 mvn test -Dtest='CodecFuzzTest#frameDecoder'} (docs/reliability.md).
 */
class CodecFuzzTest {
    /**
     * The frame codec: a fuzzer-chosen maximum, then the stream in fuzzer-chosen chunks (empty ones
     * included). Whatever the split, the decoder must agree with one that got the whole stream at
     * once and with one fed byte by byte: the same frames, the same error code, the same
     * "mid-frame" state. The frames it returns re-encode to exactly the bytes they came from, and
     * once it has failed it refuses every further read.
     */
    @FuzzTest(maxDuration = "5m")
    void frameDecoder(FuzzedDataProvider data) {
        int max = data.consumeInt(1, 4096);
        var stream = new ByteArrayOutputStream();
        var chunked = new Run(new FrameDecoder(max));
        while (data.remainingBytes() > 0) {
            int chunk = data.consumeInt(0, 64);
            byte[] bytes = data.consumeBytes(chunk);
            if (bytes.length == 0) {
                bytes = data.consumeRemainingAsBytes();
            }
            stream.writeBytes(bytes);
            chunked.feed(bytes, 0, 0); // an empty read changes nothing
            chunked.feed(bytes, 0, bytes.length);
        }
        byte[] all = stream.toByteArray();
        var whole = new Run(new FrameDecoder(max));
        whole.feed(all, 0, all.length);
        var bytewise = new Run(new FrameDecoder(max));
        for (int i = 0; i < all.length && bytewise.error == null; i++) {
            bytewise.feed(all, i, 1);
        }

        for (Run r : List.of(chunked, whole, bytewise)) {
            var reencoded = new ByteArrayOutputStream();
            for (Frame f : r.frames) {
                assertThat(f.payload().length).isBetween(1, max);
                reencoded.writeBytes(f.encode());
            }
            byte[] re = reencoded.toByteArray();
            assertThat(re.length).isLessThanOrEqualTo(all.length);
            assertThat(Arrays.equals(re, 0, re.length, all, 0, re.length))
                    .as("frames re-encode to their bytes")
                    .isTrue();
            if (r.error != null) {
                assertThat(r.error.code()).isNotNull();
                assertThat(r.error.getMessage()).isNotBlank();
                assertThatThrownBy(() -> r.decoder.feed(new byte[] {0, 0, 0, 1, 1, '{'}))
                        .isInstanceOf(ProtocolException.class);
            }
        }
        assertThat(errorCode(chunked)).isEqualTo(errorCode(whole)).isEqualTo(errorCode(bytewise));
        if (whole.error == null) {
            assertSameFrames(chunked.frames, whole.frames);
            assertSameFrames(chunked.frames, bytewise.frames);
            assertThat(chunked.decoder.midFrame())
                    .isEqualTo(whole.decoder.midFrame())
                    .isEqualTo(bytewise.decoder.midFrame());
        } else {
            // a failing read returns no frames, not even those before the bad header in that read
            // (the connection is closed with the error anyway), so fewer reads keep fewer frames
            assertSameFrames(
                    chunked.frames,
                    bytewise.frames.subList(0, Math.min(chunked.frames.size(), bytewise.frames.size())));
            assertThat(chunked.frames.size()).isLessThanOrEqualTo(bytewise.frames.size());
        }
    }

    private static final class Run {
        final FrameDecoder decoder;
        final List<Frame> frames = new ArrayList<>();
        ProtocolException error;

        Run(FrameDecoder decoder) {
            this.decoder = decoder;
        }

        void feed(byte[] b, int off, int len) {
            if (error != null) {
                return;
            }
            try {
                frames.addAll(decoder.feed(b, off, len));
            } catch (ProtocolException e) {
                error = e;
            }
        }
    }

    private static ErrorCode errorCode(Run r) {
        return r.error == null ? null : r.error.code();
    }

    private static void assertSameFrames(List<Frame> a, List<Frame> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).kind()).isEqualTo(b.get(i).kind());
            assertThat(a.get(i).payload()).isEqualTo(b.get(i).payload());
        }
    }

    /**
     * The JSON codec alone: arbitrary payload bytes (the seeds are one valid message of each type).
     * Whatever decodes must encode to a payload that decodes to an equal message and encodes to the
     * same bytes again.
     */
    @FuzzTest(maxDuration = "5m")
    void jsonPayload(byte[] payload) {
        try {
            Message m = JsonCodec.decode(payload);
            byte[] encoded = JsonCodec.encode(m).payload();
            Message again = JsonCodec.decode(encoded);
            assertThat(again).isEqualTo(m);
            assertThat(JsonCodec.encode(again).payload())
                    .as("encoding is stable")
                    .isEqualTo(encoded);
        } catch (ProtocolException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
