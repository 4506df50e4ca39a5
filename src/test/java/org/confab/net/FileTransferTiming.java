package org.confab.net;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;

/**
 * A quick measurement, not a test (docs/protocol.md §18.5 quotes it): one big file and one folder
 * of many small files through a host over TLS on loopback, between two members, with the host's
 * files on disk. Run it by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.confab.net.FileTransferTiming [MiB] [files]}
 * (the classpath from {@code mvn -o dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
final class FileTransferTiming {
    private FileTransferTiming() {}

    /** Waits for one transfer's end. */
    private static final class Done implements FileTransfers.Listener {
        final CompletableFuture<Path> saved = new CompletableFuture<>();

        @Override
        public void finished(String key, FileRef file, Path where) {
            saved.complete(where);
        }

        @Override
        public void failed(String key, String why) {
            saved.completeExceptionally(new IOException(why));
        }
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path work = Files.createTempDirectory("confab-timing-");
        try (RoomHost host = new RoomHost(
                HostConfig.defaults("Timing", 0)
                        .withBindAddress(InetAddress.getLoopbackAddress())
                        .withHistoryFile(work.resolve("room.db")),
                HostSecurity.ephemeral(),
                null)) {
            int port = host.start().getPort();
            var bl = new RecordingConnectionListener();
            try (RoomConnection alice = join(host, port, "alice", new RecordingConnectionListener());
                    RoomConnection bob = join(host, port, "bob", bl)) {
                Path big = work.resolve("big.bin");
                byte[] block = new byte[1 << 20];
                new Random(1).nextBytes(block);
                try (OutputStream out = Files.newOutputStream(big)) {
                    for (int i = 0; i < mib; i++) {
                        out.write(block);
                    }
                }
                long t0 = System.nanoTime();
                var up = new Done();
                alice.files().upload(big, null, "", up);
                up.saved.get(10, TimeUnit.MINUTES);
                long t1 = System.nanoTime();
                FileRef ref = shared(bl, "big.bin");
                var down = new Done();
                bob.files().download(ref, work.resolve("bob"), down);
                down.saved.get(10, TimeUnit.MINUTES);
                long t2 = System.nanoTime();
                System.out.printf(
                        "%d MiB: upload (hash + send) %.1f s = %.0f MiB/s, download %.1f s = %.0f MiB/s%n",
                        mib, (t1 - t0) / 1e9, mib / ((t1 - t0) / 1e9), (t2 - t1) / 1e9, mib / ((t2 - t1) / 1e9));

                Path folder = Files.createDirectories(work.resolve("many"));
                byte[] small = new byte[1024];
                for (int i = 0; i < count; i++) {
                    Path d = Files.createDirectories(folder.resolve("d" + i / 100));
                    Files.write(d.resolve("f" + i), small);
                }
                long t3 = System.nanoTime();
                var fup = new Done();
                alice.files().uploadFolder(folder, null, "", fup);
                long t4 = System.nanoTime();
                fup.saved.get(10, TimeUnit.MINUTES);
                long t5 = System.nanoTime();
                var fdown = new Done();
                bob.files().download(shared(bl, "many"), work.resolve("bob"), fdown);
                fdown.saved.get(10, TimeUnit.MINUTES);
                long t6 = System.nanoTime();
                System.out.printf(
                        "%d files of 1 KiB: hashing %.1f s, upload %.1f s = %.0f files/s (%.0f with hashing),"
                                + " download %.1f s = %.0f files/s%n",
                        count,
                        (t4 - t3) / 1e9,
                        (t5 - t4) / 1e9,
                        count / ((t5 - t4) / 1e9),
                        count / ((t5 - t3) / 1e9),
                        (t6 - t5) / 1e9,
                        count / ((t6 - t5) / 1e9));
            }
        } finally {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static RoomConnection join(RoomHost host, int port, String nick, RecordingConnectionListener l)
            throws JoinException {
        var rc = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, nick)
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                l);
        rc.connect();
        return rc;
    }

    private static FileRef shared(RecordingConnectionListener l, String name) throws InterruptedException {
        l.await(
                () -> l.events.stream()
                        .anyMatch(e -> e instanceof RoomEvent.Posted p
                                && p.message().file() != null
                                && p.message().file().name().equals(name)),
                60);
        return l.events.stream()
                .filter(e -> e instanceof RoomEvent.Posted p
                        && p.message().file() != null
                        && p.message().file().name().equals(name))
                .map(e -> ((RoomEvent.Posted) e).message().file())
                .findFirst()
                .orElseThrow();
    }
}
