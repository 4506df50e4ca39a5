package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the frame decoder and the JSON codec with arbitrary bytes, split into arbitrary reads.
 * The only acceptable failure is a {@link ProtocolException} with a code and a message; whatever
 * decodes must encode and decode again to an equal message. Plain {@code mvn test} replays the
 * committed corpus (src/test/resources/org/confab/protocol/CodecFuzzTestInputs/); fuzz with
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=CodecFuzzTest}.
 */
class CodecFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void decoderAndCodec(FuzzedDataProvider data) {
        int max = data.consumeInt(1, 4096);
        var decoder = new FrameDecoder(max);
        List<Frame> frames = new ArrayList<>();
        try {
            while (data.remainingBytes() > 0) {
                int chunk = data.consumeInt(0, 64);
                byte[] bytes = data.consumeBytes(chunk);
                if (bytes.length == 0) {
                    bytes = data.consumeRemainingAsBytes();
                }
                frames.addAll(decoder.feed(bytes, 0, bytes.length));
            }
        } catch (ProtocolException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
        for (Frame f : frames) {
            assertThat(f.payload().length).isBetween(1, max);
            try {
                Message m = JsonCodec.decode(f);
                Message again = JsonCodec.decode(JsonCodec.encode(m));
                assertThat(again).isEqualTo(m);
            } catch (ProtocolException e) {
                assertThat(e.code()).isNotNull();
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    /** The JSON layer alone, with payloads that are mostly JSON-like, so the fuzzer gets past the framing quickly. */
    @FuzzTest(maxDuration = "5m")
    void jsonPayload(byte[] payload) {
        try {
            Message m = JsonCodec.decode(payload);
            assertThat(JsonCodec.decode(JsonCodec.encode(m))).isEqualTo(m);
        } catch (ProtocolException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
