package org.confab.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.net.FileTransfers;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.net.TestMember;

/**
 * Workload 6: files (issue 17), through the client path the app ships ({@link
 * RoomConnection#files()}) against a {@link BenchHost} over TLS (the default, its key pinned). One
 * member uploads a file, the host keeps it, a second member downloads it: store and forward, as the
 * room does. The same bytes, in the same run, through the {@link FileFloor} relay (plain sockets,
 * store and forward too) and through OpenSSH's {@code scp} to and from a private {@code sshd}
 * ({@link Sshd}). Also: many small files, and chat latency between two other members while a file
 * goes through the same host.
 */
final class FileBench {
    /** How long one transfer may take at most before the run is called broken. */
    static final long TIMEOUT_SECS = 900;

    /** Seconds of one store-and-forward copy: the upload, the download, and from the first byte to the last. */
    record Transfer(double upSecs, double downSecs, double totalSecs) {}

    /** Small files shared: how many, in how long. */
    record Many(int files, double secs, String how) {
        double perSec() {
            return files / secs;
        }
    }

    /** Chat latency (µs) between two members without and with a file transfer through the same host. */
    record Chat(Histogram quiet, Histogram busy, List<double[]> roundP99s, int rate, int transfers, long lost) {}

    /** How the small files are shared: as the app shares a folder, one message for all of them. */
    static final String FOLDER_UPLOAD_HOW = "one `FileTransfers.uploadFolder` (the app's folder share: one message)";

    private FileBench() {}

    // ------------------------------------------------------------------ the source file

    /** A file of {@code size} random bytes (incompressible, so no transport gains from compression). */
    static Path randomFile(Path file, long size) throws IOException {
        if (Files.exists(file) && Files.size(file) == size) {
            return file;
        }
        Files.createDirectories(file.getParent());
        var random = new SplittableRandom(17);
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long left = size; left > 0; ) {
                buf.clear();
                while (buf.remaining() >= 8) {
                    buf.putLong(random.nextLong());
                }
                buf.flip();
                buf.limit((int) Math.min(buf.limit(), left));
                left -= buf.remaining();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
        return file;
    }

    // ------------------------------------------------------------------ Confab

    /** A transfer's end, to wait for: the saved path (null for an upload), or its failure. */
    private static final class Done implements FileTransfers.Listener {
        final CompletableFuture<Path> result = new CompletableFuture<>();

        @Override
        public void finished(String key, FileRef file, Path saved) {
            result.complete(saved);
        }

        @Override
        public void failed(String key, String why) {
            result.completeExceptionally(new IOException(why));
        }

        Path await() throws Exception {
            return result.get(TIMEOUT_SECS, TimeUnit.SECONDS);
        }
    }

    /** What a member's connection went through: reconnects and errors, for a clear message when a run breaks. */
    static final class Trouble implements RoomConnectionListener {
        final AtomicInteger reconnects = new AtomicInteger();
        final AtomicReference<String> last = new AtomicReference<>("none");
        private final RoomConnectionListener events;

        Trouble(RoomConnectionListener events) {
            this.events = events;
        }

        @Override
        public void event(RoomEvent event, String cid) {
            events.event(event, cid);
        }

        @Override
        public void reconnecting(long delayMillis, int attempt, String reason) {
            reconnects.incrementAndGet();
            last.set("reconnecting: " + reason);
        }

        @Override
        public void error(String code, String text) {
            last.set(code + ": " + text);
        }

        @Override
        public String toString() {
            return reconnects + " reconnects, last trouble: " + last;
        }
    }

    /** An uploader and a downloader joined to one host; the downloader hears every file shared. */
    record Pair(RoomConnection up, RoomConnection down, BlockingQueue<FileRef> shared, Trouble upTrouble)
            implements AutoCloseable {
        static Pair join(HostProcess host) throws Exception {
            return join(host.port, host.joinOptions());
        }

        static Pair join(int port, JoinOptions security) throws Exception {
            var shared = new LinkedBlockingQueue<FileRef>();
            var trouble = new Trouble((e, cid) -> {});
            RoomConnection up = member(port, security, "uploader", trouble);
            RoomConnection down = member(port, security, "downloader", (e, cid) -> {
                if (e instanceof RoomEvent.Posted p && p.message().file() != null) {
                    shared.add(p.message().file());
                }
            });
            return new Pair(up, down, shared, trouble);
        }

        /** Uploads {@code source}, then downloads it into {@code into} (checked and deleted after). */
        Transfer copy(Path source, Path into) throws Exception {
            long t0 = System.nanoTime();
            var up = new Done();
            this.up.files().upload(source, null, "bench", up);
            up.await();
            long t1 = System.nanoTime();
            FileRef ref = shared.poll(TIMEOUT_SECS, TimeUnit.SECONDS);
            if (ref == null) {
                throw new IOException("the downloader never saw the file shared");
            }
            long t2 = System.nanoTime();
            var down = new Done();
            this.down.files().download(ref, into, down);
            Path saved = down.await();
            long t3 = System.nanoTime();
            check(source, saved);
            return new Transfer(secs(t1 - t0), secs(t3 - t2), secs(t3 - t0));
        }

        @Override
        public void close() {
            up.close();
            down.close();
        }
    }

    private static RoomConnection member(HostProcess host, String nick, RoomConnectionListener l) throws Exception {
        return member(host.port, host.joinOptions(), nick, l);
    }

    private static RoomConnection member(int port, JoinOptions security, String nick, RoomConnectionListener l)
            throws Exception {
        return TestMember.join(port, nick, security, Duration.ofSeconds(60), Duration.ofSeconds(60), l);
    }

    private static HostProcess confabHost(String label, boolean jfr) throws Exception {
        return HostProcess.start(label, BenchHost.class, jfr, "--port", "0", "--name", "bench", "--max-members", "16");
    }

    /**
     * One round through a fresh Confab host (TLS). With {@code warmUp} (not null), that file is
     * copied through the same host and members first, untimed: the host JVM is fresh each round,
     * and a profile showed its AES-GCM decryption reaching C2 only 11 to 16 s into the first
     * upload on the loaded machine (JFR's compilation events), so a cold host's first upload
     * measures the JIT as much as the transfer. A host that has run a while is warm.
     */
    static Transfer confab(Path source, Path warmUp, Path work, boolean jfr) throws Exception {
        Path into = Files.createDirectories(work.resolve("confab-down"));
        HostProcess host = confabHost("files-confab", jfr);
        try (var pair = Pair.join(host)) {
            if (warmUp != null) {
                pair.copy(warmUp, into);
            }
            return pair.copy(source, into);
        } finally {
            host.close();
        }
    }

    // ------------------------------------------------------------------ the floor

    /** One round through a fresh {@link FileFloor} relay. */
    static Transfer floor(Path source, Path work, boolean jfr) throws Exception {
        return floor(source, work, jfr, false);
    }

    /** One round through a fresh {@link FileFloor} relay, its connections in TLS 1.3 if {@code tls} (the TLS floor). */
    static Transfer floor(Path source, Path work, boolean jfr, boolean tls) throws Exception {
        String name = tls ? "floor-tls" : "floor";
        Path into = Files.createDirectories(work.resolve(name + "-down")).resolve(source.getFileName());
        HostProcess relay = HostProcess.start(
                "files-" + name,
                FileFloor.class,
                jfr,
                work.resolve(name + "-kept").toAbsolutePath().toString(),
                tls ? "--tls" : "--plain");
        try {
            long size = Files.size(source);
            long t0 = System.nanoTime();
            try (var s = connect(relay.port, tls);
                    var out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), FileFloor.BUFFER));
                    InputStream file = Files.newInputStream(source)) {
                out.write('P');
                out.writeLong(size);
                FileFloor.copy(file, out, size);
                out.flush();
                if (s.getInputStream().read() != 'K') {
                    throw new IOException("the floor relay did not confirm the upload");
                }
            }
            long t1 = System.nanoTime();
            try (var s = connect(relay.port, tls);
                    var in = new DataInputStream(s.getInputStream());
                    OutputStream file = Files.newOutputStream(into)) {
                s.getOutputStream().write('G');
                FileFloor.copy(in, file, in.readLong());
            }
            long t2 = System.nanoTime();
            check(source, into);
            return new Transfer(secs(t1 - t0), secs(t2 - t1), secs(t2 - t0));
        } finally {
            relay.close();
        }
    }

    private static Socket connect(int port, boolean tls) throws IOException {
        var raw = new Socket(InetAddress.getLoopbackAddress(), port);
        return tls ? FileFloor.clientTls(raw) : raw;
    }

    // ------------------------------------------------------------------ scp

    /** One round through OpenSSH: {@code scp} up to the private {@link Sshd}, then down again. */
    static Transfer scp(Sshd sshd, Path source, Path work) throws Exception {
        Path kept = Files.createDirectories(work.resolve("scp-kept")).resolve(source.getFileName());
        Path into = Files.createDirectories(work.resolve("scp-down")).resolve(source.getFileName());
        long t0 = System.nanoTime();
        sshd.scp(source.toAbsolutePath().toString(), sshd.remote(kept));
        long t1 = System.nanoTime();
        sshd.scp(sshd.remote(kept), into.toAbsolutePath().toString());
        long t2 = System.nanoTime();
        check(source, into);
        Files.delete(kept);
        return new Transfer(secs(t1 - t0), secs(t2 - t1), secs(t2 - t0));
    }

    // ------------------------------------------------------------------ many small files

    /** {@code n} files of {@code size} bytes in one folder, shared through a fresh host as one folder. */
    static Many manySmall(Path work, int n, int size, boolean jfr) throws Exception {
        Path folder = work.resolve("small-" + n + "x" + size);
        if (!Files.isDirectory(folder) || count(folder) != n) {
            Files.createDirectories(folder);
            var random = new SplittableRandom(23);
            byte[] data = new byte[size];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < size; k++) {
                    data[k] = (byte) random.nextInt();
                }
                Files.write(folder.resolve(String.format("f%05d.bin", i)), data);
            }
        }
        HostProcess host = confabHost("files-small", jfr);
        try (var pair = Pair.join(host)) {
            var left = new CountDownLatch(1); // a folder's share ends once, when its message is posted
            var failure = new AtomicReference<String>();
            var done = new FileTransfers.Listener() {
                @Override
                public void finished(String key, FileRef file, Path saved) {
                    left.countDown();
                }

                @Override
                public void failed(String key, String why) {
                    failure.compareAndSet(null, why);
                    left.countDown();
                }
            };
            long t0 = System.nanoTime();
            pair.up().files().uploadFolder(folder, null, "", done);
            if (!left.await(Math.max(120, n / 20), TimeUnit.SECONDS)) {
                throw new IOException("the folder of " + n + " small files not shared after "
                        + Math.round(secs(System.nanoTime() - t0)) + " s (" + pair.upTrouble()
                        + "; transfers still open: " + pair.up().files().active() + ")");
            }
            long t1 = System.nanoTime();
            if (failure.get() != null) {
                throw new IOException("a small file failed: " + failure.get());
            }
            return new Many(n, secs(t1 - t0), FOLDER_UPLOAD_HOW);
        } finally {
            host.close();
        }
    }

    /** Every file of {@code folder} through its own {@link FileTransfers#upload}, at most 256 in flight. */
    // ------------------------------------------------------------------ chat beside a transfer

    /**
     * Two members chat at {@code rate} messages per second (send-to-receive latency, intended send
     * times as in workload 2): after {@code warmMs} unrecorded, {@code rounds} rounds of
     * {@code measureMs} in a quiet room, then {@code measureMs} while two other members copy
     * {@code source} through the same host again and again (the copy under way when the phase ends
     * is finished before the next quiet phase, so quiet is quiet). Histograms of all rounds, and
     * each round's p99s (µs: quiet, in transfer).
     */
    static Chat chatBeside(Path source, Path work, int rate, long warmMs, long measureMs, int rounds, boolean jfr)
            throws Exception {
        Path into = Files.createDirectories(work.resolve("chat-down"));
        var recorder = new Recorder(3);
        var lost = new AtomicInteger();
        HostProcess host = confabHost("files-chat", jfr);
        List<RoomConnection> chat = new ArrayList<>();
        // the two file members in a process of their own, as two people's apps are: the chat members'
        // threads here do not wait for the file members' (they shared this JVM's 2 carrier threads before)
        HostProcess movers = HostProcess.start(
                "files-chat-movers",
                FileMover.class,
                jfr,
                Integer.toString(host.port),
                host.fingerprint.base64url(),
                source.toAbsolutePath().toString(),
                into.toAbsolutePath().toString());
        try {
            RoomConnection sender = member(host, "talker", (e, cid) -> {});
            chat.add(sender);
            chat.add(member(host, "listener", new RoomConnectionListener() {
                @Override
                public void event(RoomEvent event, String cid) {
                    if (event instanceof RoomEvent.Posted p
                            && p.message().text().startsWith("ts:")) {
                        long now = System.nanoTime();
                        String t = p.message().text();
                        recorder.recordValue(Math.max(0, now - Long.parseLong(t, 3, t.indexOf('|'), 10)));
                    }
                }

                @Override
                public void reconnecting(long delayMillis, int attempt, String reason) {
                    lost.incrementAndGet();
                }
            }));
            String pad = FanOut.text(128);
            Latency.Send send = intended -> {
                String head = "ts:" + intended + "|";
                sender.send(head + pad.substring(head.length()));
            };
            long expected = measureMs * rate / 1000;
            Latency.pace(rate, warmMs, 0, recorder, host, send); // the JIT warms up the chat path
            Latency.collect(recorder, 0);
            var quiet = new Histogram(3);
            var busy = new Histogram(3);
            List<double[]> p99s = new ArrayList<>();
            var transfers = new AtomicInteger();
            long missing = 0;
            for (int r = 0; r < rounds; r++) {
                Latency.pace(rate, 1000, measureMs, recorder, host, send);
                Histogram q = Latency.collect(recorder, expected);

                movers.command("go");
                Latency.pace(rate, 1000, measureMs, recorder, host, send);
                movers.command("stop");
                Histogram b = Latency.collect(recorder, expected);
                String stopped = movers.await("stopped ", TIMEOUT_SECS, TimeUnit.SECONDS);
                if (stopped == null) {
                    throw new IOException("the file members did not stop; see target/bench/files-chat-movers.err");
                }
                String[] counts = stopped.split(" ");
                transfers.addAndGet(Integer.parseInt(counts[1]));
                if (counts.length > 2) {
                    throw new IOException("the file members failed: " + stopped);
                }
                quiet.add(q);
                busy.add(b);
                p99s.add(new double[] {q.getValueAtPercentile(99) / 1e3, b.getValueAtPercentile(99) / 1e3});
                missing += Math.max(0, expected - q.getTotalCount()) + Math.max(0, expected - b.getTotalCount());
            }
            return new Chat(quiet, busy, p99s, rate, transfers.get(), missing + lost.get());
        } finally {
            chat.forEach(RoomConnection::close);
            movers.close();
            host.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The copy is whole: same size, same bytes; deleted after, so the next round starts clean. */
    static void check(Path source, Path copy) throws IOException {
        if (Files.mismatch(source, copy) != -1) {
            throw new IOException(copy + " differs from " + source);
        }
        Files.delete(copy);
    }

    private static long count(Path folder) throws IOException {
        try (var list = Files.list(folder)) {
            return list.count();
        }
    }

    static double secs(long nanos) {
        return nanos / 1e9;
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
