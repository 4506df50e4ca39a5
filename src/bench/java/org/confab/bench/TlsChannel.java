package org.confab.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS 1.3 over a {@link SocketChannel} for the raw load clients ({@link SelectorListeners}): the
 * JDK's {@link SSLEngine} in client mode, so one selector thread can read many TLS members as it
 * reads plain ones. Every server's certificate is accepted (the benchmark measures the servers'
 * TLS work, not who they are; the product pins the host's key, {@code RoomLink} does that). The
 * same engine and cipher offers for every server: Confab's host, InspIRCd ({@code ssl_gnutls}),
 * NATS.
 *
 * <p>{@link #write} may be called by one thread while another {@link #read}s (the engine allows
 * wrap and unwrap at once); writers take turns on this object.
 */
final class TlsChannel {
    private static final SSLContext CONTEXT = context();

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Bytes read from the socket, not yet unwrapped (read mode between calls). */
    private final ByteBuffer netIn;
    /** A record to write, wrapped (read mode between calls). */
    private ByteBuffer netOut;
    /** Plaintext that came with the handshake's last records (read mode), for the first {@link #read}. */
    private ByteBuffer early = ByteBuffer.allocate(0);

    private TlsChannel(SocketChannel channel) {
        this.channel = channel;
        this.engine = CONTEXT.createSSLEngine("127.0.0.1", channel.socket().getPort());
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        int net = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(net * 4).flip();
        this.netOut = ByteBuffer.allocate(net * 2).flip();
    }

    /** Runs the handshake on {@code channel} (blocking mode). */
    static TlsChannel handshake(SocketChannel channel) throws IOException {
        var t = new TlsChannel(channel);
        t.engine.beginHandshake();
        ByteBuffer none = ByteBuffer.allocate(0);
        ByteBuffer sink = ByteBuffer.allocate(t.engine.getSession().getApplicationBufferSize());
        while (true) {
            switch (t.engine.getHandshakeStatus()) {
                case NEED_WRAP -> t.wrap(none);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (t.unwrap(sink) < 0) {
                        throw new IOException("the server closed the connection during the TLS handshake");
                    }
                }
                case NEED_TASK -> {
                    for (Runnable task; (task = t.engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    t.early = sink.flip(); // e.g. InspIRCd's first notices, in the same read
                    return t;
                }
            }
        }
    }

    /** The negotiated suite, e.g. {@code TLS_AES_256_GCM_SHA384}. */
    String suite() {
        return engine.getSession().getCipherSuite();
    }

    /** Encrypts and writes all of {@code bytes}, waiting while a non-blocking socket is full. */
    synchronized void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            wrap(bytes);
        }
    }

    /** Wraps one record of {@code src} (or a handshake message) and writes it out. */
    private void wrap(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        netOut.flip();
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            netOut = ByteBuffer.allocate(netOut.capacity() * 2).flip();
            return;
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("TLS closed");
        }
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * Reads what the socket has (blocking mode: waits for at least one byte) and decrypts every
     * whole record into {@code dst}, as far as it has room.
     *
     * @return the plaintext bytes added to {@code dst}, 0 if none yet, -1 at the end of the stream
     */
    int read(ByteBuffer dst) throws IOException {
        int before = dst.position();
        if (early.hasRemaining()) {
            int n = Math.min(early.remaining(), dst.remaining());
            dst.put(dst.position(), early, early.position(), n).position(before + n);
            early.position(early.position() + n);
            return n;
        }
        int n = unwrap(dst);
        return n < 0 && dst.position() == before ? -1 : dst.position() - before;
    }

    /** True if records already read still wait to be decrypted (the last {@link #read} ran out of room). */
    boolean buffered() {
        return early.hasRemaining() || netIn.remaining() > 5;
    }

    /** Unwraps records into {@code dst}; reads from the socket when a record is incomplete. -1 at its end. */
    private int unwrap(ByteBuffer dst) throws IOException {
        boolean readOnce = false;
        while (true) {
            SSLEngineResult r = engine.unwrap(netIn, dst);
            switch (r.getStatus()) {
                case OK -> {
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                            task.run();
                        }
                    }
                    if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP
                            || !netIn.hasRemaining()) {
                        return 0; // the handshake goes on, or every record read is decrypted
                    }
                }
                case BUFFER_OVERFLOW -> {
                    return 0; // dst is full: the caller parses, then reads again (buffered())
                }
                case BUFFER_UNDERFLOW -> {
                    if (readOnce && !channel.isBlocking()) {
                        return 0;
                    }
                    netIn.compact();
                    if (!netIn.hasRemaining()) {
                        throw new SSLException("a TLS record larger than " + netIn.capacity() + " bytes");
                    }
                    int n;
                    try {
                        n = channel.read(netIn);
                    } finally {
                        netIn.flip();
                    }
                    if (n < 0) {
                        return -1;
                    }
                    if (n == 0) {
                        return 0;
                    }
                    readOnce = true;
                }
                case CLOSED -> {
                    return -1;
                }
            }
        }
    }

    private static SSLContext context() {
        TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            var ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(null, new TrustManager[] {all}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is not available in this Java runtime", e);
        }
    }
}
