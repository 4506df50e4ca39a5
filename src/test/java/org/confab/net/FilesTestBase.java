package org.confab.net;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.store.ClientStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What the file tests share: a real host over TLS on loopback, members joining it, a listener that records a transfer. */
abstract class FilesTestBase {
    static final int T = 30;
    final List<AutoCloseable> open = new ArrayList<>();
    final HostSecurity security = HostSecurity.ephemeral();
    RoomHost host;
    int port;

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    void startHost(HostConfig config) throws Exception {
        host = new RoomHost(config.withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        port = host.start().getPort();
        open.add(host);
    }

    RoomConnection member(String nick, RecordingConnectionListener l) throws JoinException {
        return member(nick, null, l);
    }

    /** What a transfer told, and a way to wait for it. */
    static final class Told implements FileTransfers.Listener {
        final Map<String, Path> saved = new ConcurrentHashMap<>();
        final Map<String, FileRef> finished = new ConcurrentHashMap<>();
        final Map<String, String> failed = new ConcurrentHashMap<>();
        final List<Long> progress = new CopyOnWriteArrayList<>();

        /** Called with each progress report, on the connection's thread (a test may pause from it). */
        volatile BiConsumer<String, Long> onProgress = (key, done) -> {};

        volatile long total = -1;

        @Override
        public void progress(String key, long done, long total) {
            progress.add(done);
            this.total = total;
            onProgress.accept(key, done);
        }

        @Override
        public synchronized void finished(String key, FileRef file, Path savedAs) {
            finished.put(key, file);
            if (savedAs != null) {
                saved.put(key, savedAs);
            }
            notifyAll();
        }

        @Override
        public synchronized void failed(String key, String why) {
            failed.put(key, why);
            notifyAll();
        }

        /** Waits until transfer {@code key} ended, either way; true if it did within the test's wait. */
        boolean ended(String key) throws InterruptedException {
            return ended(key, T * 1000L);
        }

        /** As {@link #ended(String)}, waiting at most {@code millis}. */
        synchronized boolean ended(String key, long millis) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000L;
            while (!finished.containsKey(key) && !failed.containsKey(key)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static FileRef sharedIn(RecordingConnectionListener l, String name) {
        return l.events.stream()
                .filter(e -> e instanceof RoomEvent.Posted p
                        && p.message().file() != null
                        && p.message().file().name().equals(name))
                .map(e -> ((RoomEvent.Posted) e).message().file())
                .findFirst()
                .orElse(null);
    }

    RoomConnection member(String nick, ClientStore store, RecordingConnectionListener l) throws JoinException {
        var rc = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, nick)
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                store,
                l);
        open.add(rc);
        rc.connect();
        return rc;
    }

    /** The relative paths of every file and folder under {@code root}, folders ending in {@code /}. */
    static List<String> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : ""))
                    .sorted()
                    .toList();
        }
    }
}
