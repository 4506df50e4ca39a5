package org.confab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Recorder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * Latency listeners that cost the load process as little as a listener can: N plain sockets read
 * by <em>one</em> platform thread through a {@link Selector} (one {@code epoll_wait} serves every
 * socket that is ready), frames walked by their 5-byte header, and the send time parsed straight
 * from the bytes after {@code ts:} (no JSON decoding). With them, the latency measured is the
 * relay's (host or floor) plus the kernel's loopback, not 50 JVM-side clients' wake-ups and
 * decoding, which is what {@link Latency}'s {@code RoomConnection} rows add on top.
 *
 * <p>Against Confab they join with a pre-encoded hello and wait for the welcome before switching
 * to non-blocking mode, and answer the host's idle timeout with a {@code pong} every 5 s.
 */
final class SelectorListeners implements AutoCloseable {
    private static final byte[] TS = "ts:".getBytes(StandardCharsets.US_ASCII);

    private final List<SocketChannel> channels = new ArrayList<>();
    private final Selector selector;
    private final Recorder recorder;
    private final boolean confab;
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;

    private SelectorListeners(Recorder recorder, boolean confab) throws IOException {
        this.selector = Selector.open();
        this.recorder = recorder;
        this.confab = confab;
    }

    /** Connects {@code n} listeners (for Confab: joined, welcome read) and starts the reading thread. */
    static SelectorListeners connect(int port, int n, boolean confab, Recorder recorder) throws IOException {
        var l = new SelectorListeners(recorder, confab);
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = SocketChannel.open();
                l.channels.add(ch);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                if (confab) {
                    write(
                            ch,
                            JsonCodec.encode(new Message.Hello(Message.VERSION, "sl" + i, "confab-bench"))
                                    .encode());
                    awaitWelcome(ch);
                }
                ch.configureBlocking(false);
                ch.register(l.selector, SelectionKey.OP_READ, new Parser());
            }
        } catch (IOException e) {
            l.close();
            throw e;
        }
        l.thread = Thread.ofPlatform().name("selector-listeners").daemon(true).start(l::loop);
        return l;
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Blocking: reads exactly the first frame and checks it is a welcome. */
    private static void awaitWelcome(SocketChannel ch) throws IOException {
        InputStream in = Channels.newInputStream(ch);
        byte[] head = in.readNBytes(5);
        if (head.length < 5) {
            throw new IOException("closed before the welcome");
        }
        int len = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        byte[] payload = in.readNBytes(len);
        String s = new String(payload, 0, Math.min(payload.length, 40), StandardCharsets.UTF_8);
        if (!s.startsWith("{\"type\":\"welcome\"")) {
            throw new IOException("not welcomed: " + s);
        }
    }

    private void loop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        byte[] heap = new byte[64 * 1024];
        long nextPong = System.nanoTime() + 5_000_000_000L;
        try {
            while (!stop.get()) {
                selector.select(1_000);
                var it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    var ch = (SocketChannel) k.channel();
                    buf.clear();
                    int n = ch.read(buf);
                    long now = System.nanoTime();
                    if (n < 0) {
                        k.cancel();
                        continue;
                    }
                    buf.flip();
                    buf.get(heap, 0, n);
                    ((Parser) k.attachment()).feed(heap, n, now, recorder);
                }
                if (confab && System.nanoTime() > nextPong) {
                    nextPong = System.nanoTime() + 5_000_000_000L;
                    for (SocketChannel ch : channels) {
                        ch.write(ByteBuffer.wrap(RawMember.PONG)); // a few bytes into an empty socket buffer
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed
        }
    }

    /** Per-socket frame walker: header, then the payload scanned for {@code ts:<digits>}. */
    private static final class Parser {
        int hdr;
        long left;
        long len;
        int match; // bytes of "ts:" matched, 3 once matched, -1 when the value has been read
        long value;

        void feed(byte[] b, int n, long now, Recorder recorder) {
            int pos = 0;
            while (pos < n) {
                if (hdr < 5) {
                    if (hdr < 4) {
                        len = (len << 8) | (b[pos] & 0xFF);
                    }
                    hdr++;
                    pos++;
                    if (hdr == 5) {
                        left = len;
                        match = 0;
                        value = 0;
                    }
                    continue;
                }
                while (left > 0 && pos < n) {
                    byte c = b[pos++];
                    left--;
                    if (match >= 0 && match < 3) {
                        match = c == TS[match] ? match + 1 : (c == TS[0] ? 1 : 0);
                    } else if (match == 3) {
                        if (c >= '0' && c <= '9') {
                            value = value * 10 + (c - '0');
                        } else {
                            recorder.recordValue(Math.max(0, now - value));
                            match = -1;
                        }
                    }
                }
                if (left == 0) {
                    hdr = 0;
                    len = 0;
                }
            }
        }
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
        for (SocketChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
