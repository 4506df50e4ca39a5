package org.confab.net;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * One TCP connection, either side: a blocking frame reader (used by the caller's read loop) and a
 * bounded outbound queue drained by its own writer thread, which batches queued frames into one
 * write and one flush. {@link #offer} never blocks: a full queue means the peer is not reading.
 */
final class Connection {
    private static final byte[] CLOSE = new byte[0];

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder;
    private final BlockingQueue<byte[]> outbound;
    private final ArrayDeque<Frame> pending = new ArrayDeque<>();
    private final byte[] readBuffer = new byte[64 * 1024];
    private final String name;
    private volatile Thread writer;
    private volatile boolean closed;

    Connection(Socket socket, int maxFrame, int sendQueue, String name) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.decoder = new FrameDecoder(maxFrame);
        this.outbound = new ArrayBlockingQueue<>(sendQueue);
        this.name = name;
        socket.setTcpNoDelay(true);
    }

    String name() {
        return name;
    }

    Socket socket() {
        return socket;
    }

    /** Starts the writer thread (a virtual thread named after the connection). */
    Thread startWriter() {
        return startWriter(t -> { });
    }

    /**
     * Starts the writer unstarted-first so {@code tracker} can register it, and calls
     * {@code onExit} with it as its last act (the host forgets finished writers; without that,
     * every connection ever made stayed reachable: found by SessionFuzzTest as an OutOfMemoryError).
     */
    Thread startWriter(java.util.function.Consumer<Thread> onExit) {
        Thread t = Thread.ofVirtual().name(name + "-writer").unstarted(() -> {
            try {
                writeLoop();
            } finally {
                onExit.accept(Thread.currentThread());
            }
        });
        writer = t;
        return t;
    }

    /**
     * Blocks until a whole frame has arrived. Returns null at a clean end of stream.
     * Throws {@link java.net.SocketTimeoutException} when the socket's read timeout passes.
     */
    Frame readFrame() throws IOException, ProtocolException {
        while (pending.isEmpty()) {
            int n = in.read(readBuffer);
            if (n < 0) {
                if (decoder.midFrame()) {
                    throw new IOException("connection closed in the middle of a frame");
                }
                return null;
            }
            pending.addAll(decoder.feed(readBuffer, 0, n));
        }
        return pending.removeFirst();
    }

    /** Queues an encoded frame; false if the queue is full or the connection is closed. */
    boolean offer(byte[] encodedFrame) {
        return !closed && outbound.offer(encodedFrame);
    }

    /** Queues an encoded frame, waiting up to {@code timeout} for room; false if it did not fit or closed. */
    boolean put(byte[] encodedFrame, java.time.Duration timeout) {
        try {
            return !closed && outbound.offer(encodedFrame, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean send(Message m) {
        return offer(JsonCodec.encode(m).encode());
    }

    /**
     * Sends this last message (best effort, even past a full queue), lets the writer flush what is
     * queued, then closes. Waits at most {@code millis} for the writer.
     */
    void closeAfter(Message last, long millis) {
        if (closed) {
            return;
        }
        if (last != null) {
            byte[] bytes = JsonCodec.encode(last).encode();
            if (!outbound.offer(bytes)) {
                outbound.clear();
                outbound.offer(bytes);
            }
        }
        if (!outbound.offer(CLOSE)) {
            closeNow();
            return;
        }
        Thread w = writer;
        if (w != null && w != Thread.currentThread()) {
            try {
                if (!w.join(java.time.Duration.ofMillis(millis))) {
                    closeNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeNow();
            }
        } else if (w == null) {
            closeNow();
        }
    }

    /** Closes the socket at once; unblocks the reader and the writer. */
    void closeNow() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        outbound.clear();
        outbound.offer(CLOSE);
    }

    boolean isClosed() {
        return closed || socket.isClosed();
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] next = outbound.poll(1, TimeUnit.DAYS);
                if (next == null) {
                    continue;
                }
                do {
                    if (next == CLOSE) {
                        out.flush();
                        return;
                    }
                    out.write(next);
                    next = outbound.poll();
                } while (next != null);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the peer went away or we were closed; the reader reports it
        } finally {
            closeNow();
        }
    }
}
