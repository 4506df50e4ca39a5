package org.confab.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * Load-side members that cost the load process as little as a member can: sockets (plain, or
 * TLS 1.3 through {@link TlsChannel}'s {@code SSLEngine}: decrypted, nothing else) read by
 * <em>one</em> platform thread through a {@link Selector} (one {@code epoll_wait} serves every
 * socket that is ready), the bytes split into units by the server's {@link Wire} and the relayed
 * chat messages counted, nothing decoded; with a {@link Recorder}, the send time is parsed
 * straight from the bytes after {@code ts:} of each message. With them, the latency measured is
 * the relay's (Confab's host, the floor, InspIRCd, NATS) plus the kernel's loopback, not 50
 * JVM-side clients' wake-ups and decoding, which is what {@link Latency}'s {@code RoomConnection}
 * rows add on top.
 *
 * <p>Each member joins on the caller's thread (blocking: the wire's join, read until the server
 * confirms it) and is then handed to the selector thread; members can be added while the others
 * are being read (the join ramp). A sender is a member too ({@link #send}): its echo, where the
 * server echoes, is counted but never recorded as a latency sample.
 */
final class SelectorListeners implements AutoCloseable {
    private static final long KEEP_ALIVE_NANOS = 5_000_000_000L;
    /** The most plaintext one TLS record carries. */
    private static final int MAX_RECORD = 16 * 1024 + 256;

    private final Wire wire;
    private final int port;
    /** TLS 1.3 for every member ({@link TlsChannel}), else plain sockets. */
    private final boolean tls;

    private final Recorder recorder;
    private final Selector selector;
    private final List<Member> members = new ArrayList<>();
    private final ConcurrentLinkedQueue<Member> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    /** One member's socket and what the selector thread has read from it. */
    static final class Member {
        final SocketChannel channel;
        /** The member's TLS, or null on a plain socket. */
        final TlsChannel tls;

        final boolean sender;
        /** Bytes of an incomplete unit, kept for the next read (selector thread only). */
        byte[] carry;

        int carryLen;
        long counting; // selector thread only
        private volatile long counted;
        private volatile long bytes;

        Member(SocketChannel channel, TlsChannel tls, boolean sender, byte[] carry, int carryLen, long bytes) {
            this.channel = channel;
            this.tls = tls;
            this.sender = sender;
            this.carry = carry;
            this.carryLen = carryLen;
            this.bytes = bytes;
        }

        /** Chat messages received so far. */
        long counted() {
            return counted;
        }

        /** Bytes received so far, the join's answer included. */
        long bytes() {
            return bytes;
        }
    }

    private SelectorListeners(Wire wire, int port, Recorder recorder, boolean tls) throws IOException {
        this.wire = wire;
        this.port = port;
        this.tls = tls;
        this.recorder = recorder;
        this.selector = Selector.open();
        this.thread =
                Thread.ofPlatform().name("selector-listeners").daemon(true).start(this::loop);
    }

    /**
     * A selector thread for members of the server on {@code port}, none joined yet.
     *
     * @param recorder where the send-to-receive times go, or null to count only
     */
    static SelectorListeners open(Wire wire, int port, Recorder recorder) throws IOException {
        return open(wire, port, recorder, false);
    }

    /** As above; with {@code tls}, every member speaks TLS 1.3 ({@link TlsChannel}). */
    static SelectorListeners open(Wire wire, int port, Recorder recorder, boolean tls) throws IOException {
        return new SelectorListeners(wire, port, recorder, tls);
    }

    /** Opens and joins {@code n} listeners ({@code l0}...) before returning. */
    static SelectorListeners connect(Wire wire, int port, int n, Recorder recorder, boolean tls) throws IOException {
        var l = open(wire, port, recorder, tls);
        try {
            l.joinAll("l", n, false);
        } catch (IOException e) {
            l.close();
            throw e;
        }
        return l;
    }

    /**
     * Joins {@code n} members ({@code prefix0}...) at once, each on a virtual thread of its own:
     * InspIRCd completes registrations on its once-a-second timer, so one join after the other
     * would take a second each.
     */
    void joinAll(String prefix, int n, boolean sender) throws IOException {
        var failure = new AtomicReference<IOException>();
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String nick = prefix + i;
                ex.execute(() -> {
                    try {
                        join(nick, sender);
                    } catch (IOException e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Connects a member, joins it (blocking until the server confirms) and hands it to the selector thread. */
    Member join(String nick, boolean sender) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            TlsChannel t = tls ? startTls(ch) : null;
            byte[] buf = new byte[4096];
            int len = 0;
            int at = 0;
            long total = 0;
            for (int step = 0; step < wire.joinSteps(); step++) {
                System.arraycopy(buf, at, buf, 0, len - at); // what came after the last step's confirmation
                len -= at;
                write(ch, t, wire.join(nick, step));
                while ((at = wire.confirmed(buf, len, step)) < 0) {
                    // TLS decrypts whole records only: room for the largest (16 KiB) or it reads nothing
                    while (buf.length - len < (t == null ? 1 : MAX_RECORD)) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    var into = ByteBuffer.wrap(buf, len, buf.length - len);
                    int n = t == null ? ch.read(into) : t.read(into);
                    if (n < 0) {
                        throw new IOException(
                                nick + ": " + wire.label + " closed the connection before confirming the join");
                    }
                    len += n;
                    total += n;
                }
            }
            byte[] carry = new byte[Math.max(1024, len - at)];
            System.arraycopy(buf, at, carry, 0, len - at);
            ch.configureBlocking(false);
            var m = new Member(ch, t, sender, carry, len - at, total);
            synchronized (members) {
                members.add(m);
            }
            pending.add(m);
            selector.wakeup();
            return m;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The TLS handshake on a member's new (blocking) socket. NATS greets in plain text first
     * (its {@code INFO} line, which says TLS is required) and starts TLS after it; the others
     * start with TLS.
     */
    private TlsChannel startTls(SocketChannel ch) throws IOException {
        if (wire == Wire.NATS) {
            ByteBuffer one = ByteBuffer.allocate(1);
            do {
                one.clear();
                if (ch.read(one) < 0) {
                    throw new IOException("NATS closed the connection before its INFO line");
                }
            } while (one.get(0) != '\n');
        }
        return TlsChannel.handshake(ch);
    }

    private static void write(SocketChannel ch, TlsChannel t, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (t != null) {
            t.write(b);
            return;
        }
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Writes all of {@code bytes} to a member's (non-blocking) socket, waiting while the socket is full. */
    void send(Member m, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (m.tls != null) {
            m.tls.write(b); // waits while the socket is full; fails once the server has gone
            return;
        }
        synchronized (m) {
            while (b.hasRemaining()) {
                if (m.channel.write(b) == 0) {
                    if (stop.get()) {
                        throw new IOException("closed");
                    }
                    LockSupport.parkNanos(20_000);
                }
            }
        }
    }

    /** The members joined so far, in join order. */
    List<Member> members() {
        synchronized (members) {
            return List.copyOf(members);
        }
    }

    /** Chat messages all members received. */
    long counted() {
        long s = 0;
        for (Member m : members()) {
            s += m.counted();
        }
        return s;
    }

    /** Bytes all members received. */
    long bytes() {
        long s = 0;
        for (Member m : members()) {
            s += m.bytes();
        }
        return s;
    }

    private void loop() {
        byte[] buf = new byte[256 * 1024];
        long nextKeepAlive = System.nanoTime() + KEEP_ALIVE_NANOS;
        byte[] keepAlive = wire.keepAlive();
        var sink = new Counter();
        try {
            while (!stop.get()) {
                selector.select(1_000);
                for (Member m; (m = pending.poll()) != null; ) {
                    m.channel.register(selector, SelectionKey.OP_READ, m);
                    if (m.carryLen > 0) { // the join's answer read more than the confirmation
                        System.arraycopy(m.carry, 0, buf, 0, m.carryLen);
                        sink.member = m;
                        sink.now = System.nanoTime();
                        keep(m, buf, wire.parse(buf, 0, m.carryLen, sink), m.carryLen);
                        m.counted = m.counting;
                    }
                    if (m.tls != null && m.tls.buffered()) {
                        // records the join read past its confirmation: the socket may have nothing
                        // more to wake the selector with
                        read(m, m.channel.keyFor(selector), buf, sink);
                    }
                }
                var it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    var m = (Member) k.attachment();
                    if (m.carryLen > buf.length / 2) {
                        buf = new byte[m.carryLen * 4];
                    }
                    read(m, k, buf, sink);
                }
                if (keepAlive != null && System.nanoTime() > nextKeepAlive) {
                    nextKeepAlive = System.nanoTime() + KEEP_ALIVE_NANOS;
                    for (Member m : members()) {
                        if (!m.sender) {
                            try {
                                // a few bytes into an idle socket
                                if (m.tls != null) {
                                    m.tls.write(ByteBuffer.wrap(keepAlive));
                                } else {
                                    m.channel.write(ByteBuffer.wrap(keepAlive));
                                }
                            } catch (IOException gone) {
                                // that member's connection ended; its key is cancelled when read
                            }
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed
        }
    }

    /**
     * Reads what a member's socket has (TLS: decrypts it, and every record already read) after
     * its carry in {@code buf}, and counts the complete units.
     */
    private void read(Member m, SelectionKey k, byte[] buf, Counter sink) {
        boolean more;
        do {
            System.arraycopy(m.carry, 0, buf, 0, m.carryLen);
            int n;
            var into = ByteBuffer.wrap(buf, m.carryLen, buf.length - m.carryLen);
            try {
                n = m.tls == null ? m.channel.read(into) : m.tls.read(into);
            } catch (IOException e) {
                n = -1;
            }
            long now = System.nanoTime();
            if (n < 0) {
                k.cancel();
                return;
            }
            m.bytes = m.bytes + n; // single writer: this thread
            sink.member = m;
            sink.now = now;
            int end = m.carryLen + n;
            keep(m, buf, wire.parse(buf, 0, end, sink), end);
            m.counted = m.counting;
            // TLS: records read but not decrypted for lack of room in buf
            more = m.tls != null && n > 0 && m.tls.buffered();
        } while (more);
    }

    /** Keeps {@code buf[from, end)}, an incomplete unit, as the member's carry. */
    private static void keep(Member m, byte[] buf, int from, int end) {
        int left = end - from;
        if (left > m.carry.length) {
            m.carry = new byte[Math.max(left, m.carry.length * 2)];
        }
        System.arraycopy(buf, from, m.carry, 0, left);
        m.carryLen = left;
    }

    /** Counts each message for the member being read and records its send time (never a sender's). */
    private final class Counter implements Wire.Sink {
        Member member;
        long now;

        @Override
        public void message(byte[] b, int from, int to) {
            member.counting++;
            if (recorder != null && !member.sender) {
                long t = Wire.sendTime(b, from, to);
                if (t > 0) {
                    recorder.recordValue(Math.max(0, now - t));
                }
            }
        }
    }

    @Override
    public void close() {
        // the loop ends first (woken, it sees stop): closing the selector under its iteration of
        // the selected keys threw ConcurrentModificationException in the loop's thread
        stop.set(true);
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Member m : members()) {
            try {
                m.channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
