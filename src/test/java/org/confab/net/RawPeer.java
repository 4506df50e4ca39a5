package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.confab.net.tls.CapturingTrustManager;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/** A hand-driven TCP peer for hostile-input tests: writes raw bytes, reads decoded messages. */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder();
    private final List<Frame> pending = new ArrayList<>();

    /** A peer over TLS (as every Confab connection is by default), trusting whatever key the host shows. */
    RawPeer(int port) throws IOException {
        this(port, true);
    }

    RawPeer(int port, boolean tls) throws IOException {
        Socket plain = new Socket("127.0.0.1", port);
        if (tls) {
            try {
                var ctx = SSLContext.getInstance("TLSv1.3");
                ctx.init(null, new TrustManager[] {new CapturingTrustManager(null)}, null);
                var ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
                ssl.setUseClientMode(true);
                socket = ssl;
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        } else {
            socket = plain;
        }
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    void send(Message m) throws IOException {
        write(JsonCodec.encode(m).encode());
    }

    void sendJson(String json) throws IOException {
        write(new Frame(Frame.Kind.JSON, json.getBytes(StandardCharsets.UTF_8)).encode());
    }

    /** Next message, skipping pings; null at end of stream. */
    Message read() throws Exception {
        while (true) {
            Frame f = readFrame();
            if (f == null) {
                return null;
            }
            Message m = JsonCodec.decode(f);
            if (!(m instanceof Message.Ping)) {
                return m;
            }
        }
    }

    /** Next frame as it came, JSON or binary (file chunks, §18.3), pings included; null at end of stream. */
    Frame readFrame() throws Exception {
        while (pending.isEmpty()) {
            byte[] buf = new byte[8192];
            int n = in.read(buf);
            if (n < 0) {
                return null;
            }
            pending.addAll(decoder.feed(buf, 0, n));
        }
        return pending.removeFirst();
    }

    /** Reads until end of stream (the host closed us); returns what came before it. */
    List<Message> readUntilClosed() throws Exception {
        var all = new ArrayList<Message>();
        try {
            for (Message m = read(); m != null; m = read()) {
                all.add(m);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("host did not close the connection; got " + all, e);
        } catch (SocketException e) {
            // reset by the host: closed as well
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
