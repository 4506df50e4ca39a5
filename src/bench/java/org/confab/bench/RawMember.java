package org.confab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * A load-side member that costs the load process as little as possible: a plain socket and a
 * virtual reader thread that walks the frame headers and counts frames whose payload starts with
 * a given prefix, without decoding anything. It speaks just enough Confab to join (a pre-encoded
 * hello, wait for the welcome); against the floor relay it joins by connecting.
 */
final class RawMember implements AutoCloseable {
    static final byte[] MESSAGE = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] JOINED = "{\"type\":\"joined\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] WELCOME = "{\"type\":\"welcome\"".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PONG = JsonCodec.encode(new Message.Pong(0)).encode();

    private final Socket socket;
    private final OutputStream out;
    private final boolean confab;
    private final byte[] count;
    private final int bufferSize;
    private final CountDownLatch welcomed = new CountDownLatch(1);
    private volatile boolean rejected;
    private volatile long counted;
    /** The connection ended (the host cut it, e.g. for the idle timeout on a starved load process). */
    private volatile boolean ended;

    /** Count every occurrence of {@link #count} in a payload (a batch of events, §19), not just a payload that starts with it. */
    private final boolean everyOccurrence;

    private RawMember(Socket socket, boolean confab, byte[] count, int bufferSize, boolean everyOccurrence)
            throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.confab = confab;
        this.count = count;
        this.bufferSize = bufferSize;
        this.everyOccurrence = everyOccurrence;
    }

    /**
     * Connects; for Confab also says hello and waits for the welcome.
     *
     * @param count payload prefix of the frames to count, or null to count every frame
     */
    static RawMember join(int port, String nick, boolean confab, byte[] count, int bufferSize)
            throws IOException, InterruptedException {
        return join(port, nick, confab, count, bufferSize, List.of());
    }

    /**
     * As above, naming {@code caps} in the hello. With {@link Message#CAP_BATCH} the host may send
     * joins and leaves batched, so every occurrence of {@code count} in a payload is counted (its
     * events are the event frames' objects, §19).
     */
    static RawMember join(int port, String nick, boolean confab, byte[] count, int bufferSize, List<String> caps)
            throws IOException, InterruptedException {
        var s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        var m = new RawMember(s, confab, count, bufferSize, caps.contains(Message.CAP_BATCH));
        Thread.ofVirtual().name("raw-" + nick).start(m::readLoop);
        if (confab) {
            m.write(JsonCodec.encode(new Message.Hello(Message.VERSION, nick, "confab-bench", null, caps))
                    .encode());
            if (!m.welcomed.await(120, TimeUnit.SECONDS) || m.rejected) {
                m.close();
                throw new IOException(nick + ": not welcomed" + (m.rejected ? " (rejected)" : " within 120 s"));
            }
        }
        return m;
    }

    /** True once the connection has ended: its count will not grow any more. */
    boolean ended() {
        return ended;
    }

    /** Frames counted so far (single writer: the reader thread). */
    long counted() {
        return counted;
    }

    synchronized void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** Writes without throwing; false once the connection is gone. */
    boolean tryWrite(byte[] bytes) {
        try {
            write(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void readLoop() {
        byte[] buf = new byte[bufferSize];
        int hdr = 0; // header bytes seen of the current frame (0..5)
        long left = 0; // payload bytes still to come
        long len = 0;
        int match = 0; // prefix bytes matched so far, -1 once it cannot match
        byte[] want = confab ? WELCOME : count;
        boolean first = true;
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int pos = 0;
                while (pos < n) {
                    if (hdr < 5) {
                        if (hdr < 4) {
                            len = (len << 8) | (buf[pos] & 0xFF);
                        }
                        hdr++;
                        pos++;
                        if (hdr == 5) {
                            left = len;
                            match = 0;
                        }
                        continue;
                    }
                    if (everyOccurrence && !first && want != null) {
                        // the pattern starts with '{', found nowhere else in it: a mismatch restarts at this byte
                        while (left > 0 && pos < n) {
                            byte b = buf[pos++];
                            left--;
                            match = b == want[Math.max(match, 0)] ? Math.max(match, 0) + 1 : (b == want[0] ? 1 : 0);
                            if (match == want.length) {
                                counted++;
                                match = 0;
                            }
                        }
                        if (left == 0) {
                            hdr = 0;
                            len = 0;
                        }
                        continue;
                    }
                    while (want != null && match >= 0 && match < want.length && left > 0 && pos < n) {
                        match = buf[pos] == want[match] ? match + 1 : -1;
                        pos++;
                        left--;
                    }
                    int skip = (int) Math.min(left, n - pos);
                    pos += skip;
                    left -= skip;
                    if (left == 0) {
                        boolean hit = want == null || match == want.length;
                        if (first && confab) {
                            first = false;
                            rejected = !hit;
                            welcomed.countDown();
                            want = count;
                        } else if (hit) {
                            counted++;
                        }
                        hdr = 0;
                        len = 0;
                    }
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended = true;
            rejected |= welcomed.getCount() > 0;
            welcomed.countDown();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
