package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback that carries at most {@code bytesPerSecond} from the host to each
 * client (the other way at full speed): a slow network, so that a download lasts long enough to be
 * paused in a test. Bytes pass unchanged (TLS and all); {@link #close} ends every connection.
 */
public final class SlowLink implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final long bytesPerSecond;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public SlowLink(int targetPort, long bytesPerSecond) throws IOException {
        this.target = targetPort;
        this.bytesPerSecond = bytesPerSecond;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofPlatform().daemon().name("slow-link-accept").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        try {
            while (!server.isClosed()) {
                Socket client = server.accept();
                Socket host = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(host);
                Thread.ofPlatform().daemon().name("slow-link-up").start(() -> pump(client, host, 0));
                Thread.ofPlatform().daemon().name("slow-link-down").start(() -> pump(host, client, bytesPerSecond));
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Copies {@code from} to {@code to}, paced to {@code rate} bytes a second (0: unpaced). */
    private static void pump(Socket from, Socket to, long rate) {
        byte[] buf = new byte[8192];
        long due = System.nanoTime(); // when the bytes sent so far may have gone at the rate
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
                if (rate > 0) {
                    // an idle link saves up no more than 50 ms of credit (else a burst after a pause)
                    due = Math.max(due, System.nanoTime() - 50_000_000L) + n * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing, not synchronisation
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side went: end both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(SlowLink::closeQuietly);
    }
}
