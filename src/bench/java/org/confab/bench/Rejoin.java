package org.confab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * Issue 18's "1,000 members rejoining at once after a host restart": a host with a history file
 * (the product's default store), {@code n} members joined (they name what the Java client names),
 * the host killed with SIGKILL and started again on the same port and file, then every member
 * resumes at once ({@code connectors} threads, each connect waiting for its welcome, which must
 * answer the resume {@code complete}). Measured from the restart's port line (the host is
 * listening) and from the restart command (JVM start and history file opened included) to the
 * last welcome. Members speak plain TCP (the raw client does no TLS).
 */
final class Rejoin {
    private static final List<String> CAPS = List.of(Message.CAP_BATCH, Message.CAP_LAZY_MEMBERS);

    record Result(
            int members,
            double fromListeningSecs,
            double fromRestartSecs,
            double restartSecs,
            long lastSeq,
            double hostCpuSecs) {}

    private record Joined(String nick, String roomId, long lastSeq) {}

    private Rejoin() {}

    static Result run(int n, int connectors, boolean jfr, boolean fsync) throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createDirectories(Path.of("target", "bench"));
        Path db = dir.resolve("rejoin.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
        String[] args = {
            "--port",
            Integer.toString(port),
            "--name",
            "rejoin",
            "--max-members",
            Integer.toString(n + 8),
            "--insecure",
            "--history-file",
            db.toAbsolutePath().toString()
        };
        List<Joined> joined = new ArrayList<>();
        List<Socket> open = new ArrayList<>();
        HostProcess first = HostProcess.start("rejoin-before", BenchHost.class, false, args);
        try {
            for (int i = 0; i < n; i++) { // one after the other: joining is not what is measured here
                var s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                open.add(s);
                Message.Welcome w = hello(s, "r" + i, null);
                joined.add(new Joined("r" + i, w.roomId(), w.lastSeq()));
            }
        } finally {
            first.killNow();
            for (Socket s : open) {
                s.close();
            }
        }
        long restart = System.nanoTime();
        HostProcess second = HostProcess.start("rejoin-after", BenchHost.class, jfr, args);
        long listening = System.nanoTime();
        long cpu0 = Proc.cpuNanos(second.pid());
        try {
            var next = new AtomicInteger();
            var failure = new AtomicReference<Exception>();
            long[] back = new long[n];
            List<Socket> again = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connectors; c++) {
                threads.add(Thread.ofPlatform().name("rejoin-" + c).start(() -> {
                    int i;
                    while (failure.get() == null && (i = next.getAndIncrement()) < n) {
                        try {
                            Joined j = joined.get(i);
                            var s = new Socket();
                            again.add(s);
                            s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                            Message.Welcome w = hello(s, j.nick(), new Message.Resume(j.roomId(), j.lastSeq()));
                            if (w.resume() == null || w.resume().status() != Message.ResumeResult.Status.COMPLETE) {
                                throw new IOException(j.nick() + ": resume answered " + w.resume());
                            }
                            back[i] = System.nanoTime();
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long last = 0;
            for (long t : back) {
                last = Math.max(last, t);
            }
            long cpu1 = Proc.cpuNanos(second.pid());
            for (Socket s : again) {
                s.close();
            }
            if (failure.get() != null) {
                throw new IllegalStateException(
                        "rejoin failed: " + failure.get().getMessage(), failure.get());
            }
            return new Result(
                    n,
                    (last - listening) / 1e9,
                    (last - restart) / 1e9,
                    (listening - restart) / 1e9,
                    joined.getLast().lastSeq(),
                    (cpu1 - cpu0) / 1e9);
        } finally {
            second.kill();
        }
    }

    /** Sends a hello and reads frames until the welcome (answering nothing else; it comes first). */
    private static Message.Welcome hello(Socket s, String nick, Message.Resume resume) throws Exception {
        s.setSoTimeout(60_000);
        s.getOutputStream()
                .write(JsonCodec.encode(new Message.Hello(Message.VERSION, nick, "confab-bench", resume, CAPS))
                        .encode());
        InputStream in = s.getInputStream();
        var decoder = new FrameDecoder();
        byte[] buf = new byte[8192];
        while (true) {
            int r = in.read(buf);
            if (r < 0) {
                throw new IOException(nick + ": closed before the welcome");
            }
            for (Frame f : decoder.feed(buf, 0, r)) {
                Message m = JsonCodec.decode(f);
                if (m instanceof Message.Welcome w) {
                    return w;
                }
                if (m instanceof Message.Reject x) {
                    throw new IOException(nick + ": rejected: " + x.reason());
                }
            }
        }
    }

    static String format(Result r, String host) {
        return String.format(
                Locale.ROOT,
                "| %s | %,d | %.2f s | %.2f s | %.2f s | %.2f s |",
                host,
                r.members(),
                r.fromListeningSecs(),
                r.fromRestartSecs(),
                r.restartSecs(),
                r.hostCpuSecs());
    }
}
