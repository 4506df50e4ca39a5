package org.confab.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * One TCP connection, either side: a blocking frame reader (used by the caller's read loop) and a
 * bounded outbound queue drained by its own writer thread, which batches queued frames into one
 * write. {@link #offer} never blocks: a full queue means the peer is not reading.
 *
 * <p>Memory: an idle connection holds only its read buffer (1 KiB until reads fill it, then
 * doubled up to the size asked for). The outbound queue is linked (no
 * array of {@code sendQueue} slots up front) and the writer keeps no buffer of its own: a lone
 * frame is written as it is, several queued frames are copied into one array sized to them.
 */
final class FramedSocket {
    /** Read buffer of a host-side session: members send little, and a host holds thousands. */
    static final int HOST_READ_BUFFER = 8 * 1024;
    /** Read buffer of a client, which receives the whole room's traffic. */
    static final int CLIENT_READ_BUFFER = 64 * 1024;
    /** A writer gathers queued frames into writes of at most this many bytes (one pooled buffer), ... */
    static final int MAX_BATCH = 64 * 1024;
    /** ... taking queued frames this many at a time (one queue lock each) until it has about that many bytes. */
    static final int DRAIN_STEP = 64;

    static final boolean YIELD_BEFORE_LONE_WRITE = !Boolean.getBoolean("confab.noWriterYield");
    private static final byte[] CLOSE = new byte[0];
    /** In {@link #outbound}: one more frame waits in the bulk lane ({@link #offerBulk}). */
    private static final byte[] BULK = new byte[0];

    private final Socket socket;
    private final Socket raw;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder;
    private final BlockingQueue<byte[]> outbound;
    /** The lower-priority lane (file chunks); each frame here has a {@link #BULK} marker in {@link #outbound}. */
    private final ConcurrentLinkedDeque<byte[]> bulk = new ConcurrentLinkedDeque<>();

    private final ArrayDeque<Frame> pending = new ArrayDeque<>();
    /** Starts at {@link #FIRST_READ_BUFFER} and doubles, up to {@link #maxReadBuffer}, each time a read fills it. */
    private byte[] readBuffer;

    private final int maxReadBuffer;
    /** An idle member's connection reads a hello and pings: a small buffer, grown for one that sends more. */
    static final int FIRST_READ_BUFFER = 1024;

    private final String name;
    private volatile Thread writer;
    private volatile boolean closed;

    FramedSocket(Socket socket, int maxFrame, int sendQueue, int readBuffer, String name) throws IOException {
        this(socket, socket, maxFrame, sendQueue, readBuffer, name);
    }

    /**
     * {@code socket} is what we read and write (a TLS socket layered over {@code raw}, or
     * {@code raw} itself). A hard close closes {@code raw} first: closing a TLS socket would try to
     * send close_notify and could wait behind a writer stuck on a peer that stopped reading.
     */
    FramedSocket(Socket socket, Socket raw, int maxFrame, int sendQueue, int readBuffer, String name)
            throws IOException {
        this.socket = socket;
        this.raw = raw;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.maxReadBuffer = readBuffer;
        this.readBuffer = new byte[Math.min(FIRST_READ_BUFFER, readBuffer)];
        this.decoder = new FrameDecoder(maxFrame);
        this.outbound = new LinkedBlockingQueue<>(sendQueue);
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
        return startWriter(t -> {});
    }

    /**
     * Starts the writer unstarted-first so {@code tracker} can register it, and calls
     * {@code onExit} with it as its last act (the host forgets finished writers; without that,
     * every connection ever made stayed reachable: found by SessionFuzzTest as an OutOfMemoryError).
     */
    Thread startWriter(Consumer<Thread> onExit) {
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
            int missing = decoder.missing();
            if (missing >= readBuffer.length) {
                // the rest of a big frame (a file chunk): read straight into it, not through the read buffer
                int n = in.read(decoder.payloadBuffer(), decoder.payloadOffset(), missing);
                if (n < 0) {
                    throw new IOException("connection closed in the middle of a frame");
                }
                Frame f = decoder.filled(n);
                if (f != null) {
                    return f;
                }
                continue;
            }
            int n = in.read(readBuffer);
            if (n < 0) {
                if (decoder.midFrame()) {
                    throw new IOException("connection closed in the middle of a frame");
                }
                return null;
            }
            pending.addAll(decoder.feed(readBuffer, 0, n));
            if (n == readBuffer.length && n < maxReadBuffer) {
                readBuffer = new byte[Math.min(maxReadBuffer, n * 2)];
            }
        }
        return pending.removeFirst();
    }

    /** Queues an encoded frame; false if the queue is full or the connection is closed. */
    boolean offer(byte[] encodedFrame) {
        return !closed && outbound.offer(encodedFrame);
    }

    /** Queues an encoded frame, waiting up to {@code timeout} for room; false if it did not fit or closed. */
    boolean put(byte[] encodedFrame, Duration timeout) {
        try {
            return !closed && outbound.offer(encodedFrame, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Queues a bulk frame (a file chunk) in the lower-priority lane: the writer sends it only when
     * no other frame is waiting, so a room event queued behind chunks waits for at most the one
     * chunk being written. It counts against the same bounded queue as every frame (a slow member
     * is still cut as a slow consumer); false if that is full or the connection is closed.
     */
    boolean offerBulk(byte[] encodedFrame) {
        synchronized (bulk) {
            if (closed) {
                return false;
            }
            bulk.addLast(encodedFrame);
            if (outbound.offer(BULK)) {
                return true;
            }
            // every frame before this one has its marker and the writer takes one frame per marker: the
            // last one is still this one
            bulk.pollLast();
            return false;
        }
    }

    boolean send(Message m) {
        return offer(JsonCodec.encodeFrame(m));
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
            byte[] bytes = JsonCodec.encodeFrame(last);
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
                if (!w.join(Duration.ofMillis(millis))) {
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
        closeQuietly(raw);
        closeQuietly(socket);
        outbound.clear();
        bulk.clear();
        outbound.offer(CLOSE);
    }

    /** Closes a socket (or the host's server socket) that is being given up: a failure changes nothing. */
    static void closeQuietly(Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    /** After the last queued frame of an orderly close: TLS close_notify, then FIN. */
    private void closeOrderly() {
        if (socket != raw && !closed) {
            closed = true;
            closeQuietly(socket);
        }
    }

    boolean isClosed() {
        return closed || socket.isClosed();
    }

    /**
     * Drains the queue in batches: the first frame is awaited, then whatever else is queued is
     * taken a few frames per lock ({@code drainTo}) and written with as few {@code write} calls as the
     * batch buffer allows. A lone frame is written as it is (no copy); several are copied into a
     * pooled 64 KiB buffer ({@link BatchBuffers}), so a busy writer allocates nothing per batch
     * (it used to allocate a new array of the batch's size per write: at 50 members that was
     * ~200 MB/s of garbage, and the heap growth showed as page faults in the kernel) and an idle
     * connection still holds no buffer.
     */
    private void writeLoop() {
        boolean busy = false;
        int bulkWaiting = 0; // markers taken whose bulk frame is not written yet
        try {
            while (true) {
                byte[] first = bulkWaiting > 0 ? outbound.poll() : outbound.take();
                if (first == null) {
                    // nothing else waits: one bulk frame, then the queue is looked at again
                    bulkWaiting--;
                    byte[] chunk = bulk.pollFirst();
                    if (chunk != null) { // null: closed meanwhile, and the CLOSE is queued
                        out.write(chunk);
                    }
                    busy = false;
                    continue;
                }
                if (first == BULK) {
                    bulkWaiting++;
                    continue;
                }
                if (first == CLOSE) {
                    closeOrderly();
                    return;
                }
                byte[] second = outbound.poll();
                if (second == null && busy && YIELD_BEFORE_LONE_WRITE) {
                    // busy (the last wake-up found a batch): let the producers run once before paying a
                    // syscall for one frame; the next frames are usually being queued right now, and one
                    // write then carries them all. A quiet room does not yield: that would only add a
                    // scheduling round per delivery.
                    Thread.yield();
                    second = outbound.poll();
                }
                if (second == BULK) {
                    bulkWaiting++;
                    second = null;
                }
                if (second == null) {
                    busy = false;
                    out.write(first); // the common case when the room is quiet: no copy
                    continue;
                }
                busy = true;
                List<byte[]> batch = new ArrayList<>(); // per batch: an idle connection keeps nothing
                batch.add(first);
                batch.add(second);
                // take what is queued, a few frames per lock, until about MAX_BATCH bytes are in hand (as
                // before, so a slow member's frames stay counted in its bounded queue, not in the writer)
                long total = first.length + second.length;
                int counted = 2;
                while (total < MAX_BATCH && outbound.drainTo(batch, DRAIN_STEP) > 0) {
                    for (; counted < batch.size(); counted++) {
                        total += batch.get(counted).length;
                    }
                }
                if (!bulk.isEmpty()) { // a marker in the batch means its chunk is still in the lane
                    int before = batch.size();
                    batch.removeIf(b -> b == BULK);
                    bulkWaiting += before - batch.size();
                }
                boolean close = writeBatch(batch);
                if (close) {
                    closeOrderly();
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the peer went away or we were closed; the reader reports it
        } finally {
            closeNow();
        }
    }

    /** Writes the frames of {@code batch} in order up to a {@link #CLOSE}; true if it met one. */
    private boolean writeBatch(List<byte[]> batch) throws IOException {
        byte[] buf = BatchBuffers.take();
        try {
            int at = 0;
            for (byte[] b : batch) {
                if (b == CLOSE) {
                    if (at > 0) {
                        out.write(buf, 0, at);
                    }
                    return true;
                }
                if (at + b.length > buf.length) {
                    if (at > 0) {
                        out.write(buf, 0, at);
                        at = 0;
                    }
                    if (b.length > buf.length) {
                        out.write(b); // a frame bigger than the buffer goes as it is
                        continue;
                    }
                }
                System.arraycopy(b, 0, buf, at, b.length);
                at += b.length;
            }
            if (at > 0) {
                out.write(buf, 0, at);
            }
            return false;
        } finally {
            BatchBuffers.give(buf);
        }
    }

    /**
     * A small shared pool of batch buffers: a writer holds one only while it writes a batch, so
     * the pool needs about as many as writers write at once (carrier threads, plus writers
     * blocked on a full socket). At most {@link #KEPT} are kept; more are garbage when given back.
     */
    static final class BatchBuffers {
        static final int KEPT = 16;
        private static final ConcurrentLinkedDeque<byte[]> POOL = new ConcurrentLinkedDeque<>();
        private static final AtomicInteger POOLED = new AtomicInteger();

        private BatchBuffers() {}

        static byte[] take() {
            byte[] b = POOL.pollFirst();
            if (b == null) {
                return new byte[MAX_BATCH];
            }
            POOLED.decrementAndGet();
            return b;
        }

        /** Buffers in the pool now (for tests). */
        static int pooled() {
            return POOLED.get();
        }

        static void give(byte[] b) {
            if (POOLED.incrementAndGet() <= KEPT) {
                POOL.offerFirst(b);
            } else {
                POOLED.decrementAndGet();
            }
        }
    }
}
