package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.confab.net.tls.CapturingTrustManager;
import org.confab.net.tls.HostIdentity;

/**
 * A man in the middle: terminates the client's TLS with its own key, opens TLS to the real room
 * (trusting anything) and relays the plaintext both ways. What an attacker on the LAN would run.
 *
 * <p>Not a {@link ChaosProxy}: that one relays the TCP bytes untouched (it only follows the TLS
 * record framing to aim its cuts), so the client still talks TLS with the real room and sees its
 * key; this one ends the client's TLS itself and shows another key, which is what
 * {@code SecurityTest} needs the client to refuse.
 */
final class TlsRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final SSLContext serverSide;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    TlsRelay(int upstreamPort, HostIdentity ownKey) throws IOException {
        this.upstreamPort = upstreamPort;
        this.serverSide = ownKey.serverContext();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("mitm-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = server.accept();
                var down = (SSLSocket) serverSide.getSocketFactory().createSocket(client, null, client.getPort(), true);
                down.setUseClientMode(false);
                var ctx = SSLContext.getInstance("TLSv1.3");
                ctx.init(null, new TrustManager[] {new CapturingTrustManager(null)}, null);
                var up = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", upstreamPort);
                sockets.add(down);
                sockets.add(up);
                pump(down, up);
                pump(up, down);
            }
        } catch (Exception e) {
            // closed
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.join();
    }
}
