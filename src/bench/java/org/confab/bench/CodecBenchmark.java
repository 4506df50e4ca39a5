package org.confab.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
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
        event = new Message.Event(new RoomEvent.Posted(
                new ChatMessage(123456, UUID.randomUUID().toString(), "alice", FanOut.text(textBytes), Instant.now())));
        wire = JsonCodec.encode(event).encode();
        decoder = new FrameDecoder();
    }

    /**
     * CPU nanoseconds per call of {@code op}, by this thread's CPU time (ThreadMXBean): unlike JMH's
     * wall-clock throughput it barely moves when other processes share the cores, so it is what
     * the before/after comparisons in docs/benchmarks.md use.
     */
    static double cpuNanosPerOp(Callable<Object> op, int warmup, int count) throws Exception {
        var threads = ManagementFactory.getThreadMXBean();
        Object sink = null;
        for (int i = 0; i < warmup; i++) {
            sink = op.call();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < count; i++) {
                sink = op.call();
            }
            best = Math.min(best, threads.getCurrentThreadCpuTime() - c0);
        }
        if (sink == null) {
            throw new IllegalStateException();
        }
        return best / (double) count;
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
