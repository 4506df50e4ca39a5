package org.confab.bench;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Workload 5: the codec alone. A chat event (what the host encodes once per broadcast and every
 * client decodes) encoded to wire bytes, and wire bytes decoded through {@link FrameDecoder} and
 * {@link JsonCodec} back to a {@link Message}. Run by {@link BenchRunner} through the JMH API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
    @Param({"128", "1024"})
    public int textBytes;

    private Message event;
    private byte[] wire;
    private FrameDecoder decoder;

    @Setup
    public void setUp() {
        event = new Message.Event(new RoomEvent.Posted(new ChatMessage(123456, UUID.randomUUID().toString(),
                "alice", FanOut.text(textBytes), Instant.now())));
        wire = JsonCodec.encode(event).encode();
        decoder = new FrameDecoder();
    }

    @Benchmark
    public byte[] encode() {
        return JsonCodec.encode(event).encode();
    }

    @Benchmark
    public Message decode() throws ProtocolException {
        List<Frame> frames = decoder.feed(wire, 0, wire.length);
        return JsonCodec.decode(frames.getFirst());
    }
}
