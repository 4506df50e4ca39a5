package org.confab.ui.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback to a host whose host-to-client direction can be held back and let go
 * ({@link #hold}, {@link #release}): what the host sends waits (in the relay and the socket
 * buffers, nothing dropped) while the client's bytes still reach the host. A slow way back, as
 * a member sees it: its message has gone out, the host's answer has not come yet.
 */
final class HeldLink implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final Object lock = new Object();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private boolean held;
    private volatile boolean closed;

    /** Listens on a free loopback port and relays each connection to {@code targetPort}. */
    HeldLink(int targetPort) throws IOException {
        target = targetPort;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("held-link-accept").start(this::accept);
    }

    /** The port clients connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** From now on, the host's bytes wait here. */
    void hold() {
        synchronized (lock) {
            held = true;
        }
    }

    /** The host's bytes flow again, those held first. */
    void release() {
        synchronized (lock) {
            held = false;
            lock.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket host = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(host);
                Thread.ofVirtual().name("held-link-c2s").start(() -> pump(client, host, false));
                Thread.ofVirtual().name("held-link-s2c").start(() -> pump(host, client, true));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean holdable) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (holdable) {
                    synchronized (lock) {
                        while (held && !closed) {
                            lock.wait();
                        }
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: the other follows
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        release();
        server.close();
        sockets.forEach(HeldLink::closeQuietly);
    }
}
