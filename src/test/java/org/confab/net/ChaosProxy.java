package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that forwards bytes between clients and a host and can cut any
 * connection at any moment (both directions at once, possibly in the middle of a frame), as a
 * flaky network or a sleeping laptop would. {@link #cutRandom} picks a live connection.
 */
public final class ChaosProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket[]> pairs = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean closed;

    public ChaosProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        threads.add(Thread.ofPlatform().daemon(true).name("chaos-accept").start(this::acceptLoop));
    }

    public int port() {
        return server.getLocalPort();
    }

    public int cuts() {
        return cuts.get();
    }

    /** Cuts one random live connection; false if there was none. */
    public boolean cutRandom(Random random) {
        List<Socket[]> live = new ArrayList<>(pairs);
        if (live.isEmpty()) {
            return false;
        }
        Socket[] pair = live.get(random.nextInt(live.size()));
        cut(pair);
        cuts.incrementAndGet();
        return true;
    }

    private void cut(Socket[] pair) {
        pairs.remove(pair);
        for (Socket s : pair) {
            try {
                s.setSoLinger(true, 0); // reset, like a dead link: no orderly FIN
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException e) {
                    client.close(); // host down: the client sees the connection end
                    continue;
                }
                Socket[] pair = {client, upstream};
                pairs.add(pair);
                threads.add(Thread.ofVirtual().name("chaos-up").start(() -> pump(client, upstream, pair)));
                threads.add(Thread.ofVirtual().name("chaos-down").start(() -> pump(upstream, client, pair)));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, Socket[] pair) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // cut or closed
        } finally {
            if (pairs.remove(pair)) {
                for (Socket s : pair) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket[] p : pairs) {
            cut(p);
        }
    }
}
