package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MiB file through the built jar's host (TLS, a room with a password: {@link ChaosRoom})
 * and the chaos proxy, with the client path the app ships ({@link RoomConnection#files()}): the
 * proxy cuts every connection after a few MiB (RST or FIN, at any byte, mid-record), at least 20
 * times while it is uploaded and 20 times while another member downloads it, and the host is
 * SIGKILLed and started again on the same data folder halfway through each. The saved file's
 * SHA-256 is the original's, and what the proxy carried beyond the file's bytes (what was sent
 * again after the cuts and the kills, plus framing) is at most one window of chunks
 * ({@link HostFiles#WINDOW} x {@link FileRef#DEFAULT_CHUNK}) per cut.
 */
@Timeout(400)
class FileChaosIT {
    static final long SIZE = 200L * 1024 * 1024;
    static final int MIN_CUTS = 20;
    /** Each connection is cut after this many bytes (both ways, after its hello), drawn between the two. */
    static final long CUT_MIN = 2L * 1024 * 1024;

    static final long CUT_MAX = 7L * 1024 * 1024;
    /** Bytes one cut may cost at most: the chunks the sender may have had on their way (the window). */
    static final long WINDOW_BYTES = (long) HostFiles.WINDOW * FileRef.DEFAULT_CHUNK;
    /** Framing the wire carries besides the data: per chunk (binary frame header, TLS records) and per connection. */
    static final long PER_CHUNK_OVERHEAD = 1024;

    static final long PER_CONNECTION_OVERHEAD = 32 * 1024;

    /** One transfer's end and how far it got (bytes acknowledged or arrived intact). */
    private static final class Progress implements FileTransfers.Listener {
        final CompletableFuture<Path> done = new CompletableFuture<>();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong reports = new AtomicLong();

        @Override
        public synchronized void progress(String key, long done, long total) {
            bytes.accumulateAndGet(done, Math::max);
            reports.incrementAndGet();
            notifyAll();
        }

        @Override
        public void finished(String key, FileRef file, Path saved) {
            done.complete(saved);
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public void failed(String key, String why) {
            done.completeExceptionally(new IOException(why));
            synchronized (this) {
                notifyAll();
            }
        }

        /** Waits until at least {@code n} bytes are through (or the transfer ended); true if they are. */
        synchronized boolean reached(long n, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (bytes.get() < n && !done.isDone()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return bytes.get() >= n;
        }
    }

    @Test
    void cutsAndHostKillsDuringUploadAndDownload_theFileArrivesIntact_resendingAtMostAWindowPerCut(@TempDir Path dir)
            throws Exception {
        long t0 = System.nanoTime();
        Path source = randomFile(dir.resolve("big.bin"), SIZE);
        String sourceHash = sha256(source);
        var room = ChaosRoom.start("FileChaosIT", dir);
        long seed = room.seed;
        var backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), 0.2);
        RoomConnection uploader = null;
        RoomConnection downloader = null;
        JarHost host = room.host;
        try (var proxy = new ChaosProxy(room.port, true, n -> {
            var r = new Random(seed * 31 + n);
            long after = CUT_MIN + (long) (r.nextDouble() * (CUT_MAX - CUT_MIN));
            return new ChaosProxy.Plan(ChaosProxy.Aim.CHAT, 0, r.nextDouble(), after, r.nextBoolean());
        })) {
            var ul = new RecordingConnectionListener();
            var dl = new RecordingConnectionListener();
            uploader = member(proxy, host, "uploader", backoff, ul);
            downloader = member(proxy, host, "downloader", backoff, dl);

            // ---- the upload: cut again and again, the host killed and restarted halfway
            long toHost0 = proxy.forwardedToHost();
            int chat0 = proxy.cuts(ChaosProxy.Phase.CHAT);
            int connections0 = proxy.connections();
            var up = new Progress();
            uploader.files().upload(source, null, "the big one", up);
            assertThat(up.reached(SIZE / 2, 200))
                    .as("half uploaded before the kill: %s, cuts %s", up.bytes, proxy.cutsByPhase())
                    .isTrue();
            host.kill();
            JarHost second = room.restart();
            assertThat(second.fingerprint).as("same key after the restart").isEqualTo(host.fingerprint);
            up.done.get(200, TimeUnit.SECONDS);
            long uploadWire = proxy.forwardedToHost() - toHost0;
            int uploadCuts = proxy.cuts(ChaosProxy.Phase.CHAT) - chat0;
            int uploadConnections = proxy.connections() - connections0;

            // ---- the download by another member: cut again and again, the host killed and restarted halfway
            assertThat(dl.await(() -> shared(dl) != null, 120))
                    .as("the downloader sees the file shared")
                    .isTrue();
            FileRef ref = shared(dl);
            assertThat(ref.size()).isEqualTo(SIZE);
            long toClients0 = proxy.forwardedToClients();
            int chat1 = proxy.cuts(ChaosProxy.Phase.CHAT);
            int connections1 = proxy.connections();
            var down = new Progress();
            downloader.files().download(ref, Files.createDirectories(dir.resolve("downloads")), down);
            assertThat(down.reached(SIZE / 2, 200))
                    .as("half downloaded before the kill: %s, cuts %s", down.bytes, proxy.cutsByPhase())
                    .isTrue();
            second.kill();
            JarHost third = room.restart();
            Path saved = down.done.get(200, TimeUnit.SECONDS);
            long downloadWire = proxy.forwardedToClients() - toClients0;
            int downloadCuts = proxy.cuts(ChaosProxy.Phase.CHAT) - chat1;
            int downloadConnections = proxy.connections() - connections1;
            third.stop();

            long chunks = ref.chunks();
            long uploadExtra = uploadWire - SIZE;
            long downloadExtra = downloadWire - SIZE;
            System.out.printf(
                    "FileChaosIT: seed %d, %d MiB; upload: %d cuts + 1 kill over %d connections, %d bytes on the wire"
                            + " beyond the file (%d per cut); download: %d cuts + 1 kill over %d connections, %d bytes"
                            + " beyond (%d per cut); window %d bytes; %d s%n",
                    seed,
                    SIZE >> 20,
                    uploadCuts,
                    uploadConnections,
                    uploadExtra,
                    uploadExtra / (uploadCuts + 1),
                    downloadCuts,
                    downloadConnections,
                    downloadExtra,
                    downloadExtra / (downloadCuts + 1),
                    WINDOW_BYTES,
                    (System.nanoTime() - t0) / 1_000_000_000L);

            // the file: whole and the same
            assertThat(Files.size(saved)).isEqualTo(SIZE);
            assertThat(sha256(saved)).as("SHA-256 of the saved file").isEqualTo(sourceHash);
            assertThat(HexFormat.of().formatHex(Base64.getUrlDecoder().decode(ref.sha256())))
                    .as("the hash the file message carries")
                    .isEqualTo(sourceHash);

            // the chaos: enough cuts in each direction, each connection cut mid-transfer
            assertThat(uploadCuts).as("cuts during the upload").isGreaterThanOrEqualTo(MIN_CUTS);
            assertThat(downloadCuts).as("cuts during the download").isGreaterThanOrEqualTo(MIN_CUTS);

            // what was sent again: at most a window per cut (and per kill), beyond the file's bytes and framing
            assertThat(uploadExtra)
                    .as("upload: bytes to the host beyond the file's %d", SIZE)
                    .isLessThanOrEqualTo((uploadCuts + 1) * WINDOW_BYTES
                            + chunks * PER_CHUNK_OVERHEAD
                            + uploadConnections * PER_CONNECTION_OVERHEAD);
            assertThat(downloadExtra)
                    .as("download: bytes to the members beyond the file's %d", SIZE)
                    .isLessThanOrEqualTo((downloadCuts + 1) * WINDOW_BYTES
                            + chunks * PER_CHUNK_OVERHEAD
                            + downloadConnections * PER_CONNECTION_OVERHEAD);
        } finally {
            if (uploader != null) {
                uploader.close();
            }
            if (downloader != null) {
                downloader.close();
            }
            room.stop();
        }
    }

    private static RoomConnection member(
            ChaosProxy proxy, JarHost host, String nick, Backoff backoff, RecordingConnectionListener l) {
        var rc = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", proxy.port(), nick)
                        .withSecurity(JoinOptions.pinned(host.fingerprint).withPassword(ChaosRoom.PASSWORD))
                        .withBackoff(backoff),
                null,
                l);
        rc.start(); // the first join goes through the chaos too
        return rc;
    }

    private static FileRef shared(RecordingConnectionListener l) {
        return l.events.stream()
                .filter(e -> e instanceof RoomEvent.Posted p && p.message().file() != null)
                .map(e -> ((RoomEvent.Posted) e).message().file())
                .findFirst()
                .orElse(null);
    }

    private static Path randomFile(Path file, long size) throws IOException {
        var random = new Random(42);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return file;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
