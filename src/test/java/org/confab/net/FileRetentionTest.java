package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host keeps shared files for its retention only: older ones (partial uploads too) are deleted
 * with their data, at start and on its timer; their message stays, and a download is refused
 * with a sentence saying the file is gone. Zero keeps them.
 */
@Timeout(120)
class FileRetentionTest {
    private static final int T = 30;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HostSecurity security = HostSecurity.ephemeral();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** A whole one-chunk file {@code name} uploaded by alice; returns its id. */
    private static String stored(HostFiles files, String name, byte[] data) throws Exception {
        String sha = Base64.getUrlEncoder().withoutPadding().encodeToString(FileChunk.sha256(data, 0, data.length));
        var accepted = files.offer(
                "nick:alice",
                "alice",
                new Message.FileOffer("u-" + name, name, data.length, sha, FileRef.DEFAULT_CHUNK, "text/plain", null));
        files.chunk("nick:alice", FileChunk.of(FileChunk.UPLOAD, accepted.file(), 0, data));
        return accepted.file();
    }

    private static void age(Path filesDir, String id, Duration by) throws Exception {
        Files.setLastModifiedTime(
                filesDir.resolve(id + ".meta"), FileTime.from(Instant.now().minus(by)));
    }

    @Test
    void filesPastTheRetentionAreDeletedWithTheirData_newerOnesAndZeroKeepThem() throws Exception {
        Path filesDir = dir.resolve("room.files");
        try (var files = HostFiles.open(filesDir, 1 << 20, 1 << 30)) {
            String old = stored(files, "old.txt", "from last month".getBytes());
            String recent = stored(files, "recent.txt", "from today".getBytes());
            age(filesDir, old, Duration.ofDays(31));
            age(filesDir, recent, Duration.ofDays(29));
            // a partial upload counts too
            var partial = files.offer(
                    "nick:alice",
                    "alice",
                    new Message.FileOffer(
                            "u-part",
                            "part.bin",
                            2 * FileRef.DEFAULT_CHUNK,
                            "A".repeat(43),
                            FileRef.DEFAULT_CHUNK,
                            null,
                            null));
            age(filesDir, partial.file(), Duration.ofDays(40));

            try (var keepAll = FileRetention.start(files, Duration.ZERO, Clock.systemUTC())) {
                assertThat(keepAll.sweep()).isZero();
            }
            assertThat(files.downloadable(old, "bob").name()).isEqualTo("old.txt");

            var clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
            try (var retention = FileRetention.start(files, Duration.ofDays(30), clock)) {
                // start() swept already: the old file and the abandoned partial upload are gone
                assertThat(retention.sweep()).isZero();
            }
            assertThatThrownBy(() -> files.downloadable(old, "bob"))
                    .isInstanceOf(HostFiles.Refused.class)
                    .hasMessage("The host does not have this file (any more).");
            assertThat(files.downloadable(recent, "bob").name()).isEqualTo("recent.txt");
            try (var left = Files.list(filesDir)) {
                // what is left is the recent file's own (a one-chunk file keeps no separate hashes)
                assertThat(left.map(p -> p.getFileName().toString()))
                        .allMatch(n -> n.startsWith(recent + "."), "only " + recent + "'s files")
                        .contains(recent + ".data", recent + ".meta");
            }
        }
    }

    @Test
    void aHostRestartedAfterTheRetentionRefusesTheDownload_theMessageStays() throws Exception {
        var config = HostConfig.defaults("Kept", 0)
                .withBindAddress(InetAddress.getLoopbackAddress())
                .withHistoryFile(dir.resolve("kept.db"))
                .withFileRetention(Duration.ofDays(30));
        var host = new RoomHost(config, security, null);
        int port = host.start().getPort();
        var al = new RecordingConnectionListener();
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "alice")
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                al);
        alice.connect();
        var shared = new CompletableFuture<FileRef>();
        alice.files().upload(Files.writeString(dir.resolve("minutes.txt"), "old news"), null, "", listener(shared));
        FileRef ref = shared.get(T, TimeUnit.SECONDS);
        alice.close();
        host.close();
        age(config.filesDir(), ref.id(), Duration.ofDays(31));

        var again = new RoomHost(config, security, null);
        open.add(again);
        int port2 = again.start().getPort();
        var bl = new RecordingConnectionListener();
        var bob = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port2, "bob")
                        .withSecurity(JoinOptions.pinned(again.fingerprint())),
                null,
                bl);
        open.add(bob);
        bob.connect();
        assertThat(bl.await(
                        () -> bl.events.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Posted p
                                        && p.message().file() != null
                                        && p.message().file().id().equals(ref.id())),
                        T))
                .as("the message that shared it is still in the history")
                .isTrue();
        var download = new CompletableFuture<FileRef>();
        bob.files().download(ref, dir.resolve("bob"), listener(download));
        assertThat(download)
                .failsWithin(Duration.ofSeconds(T))
                .withThrowableOfType(Exception.class)
                .withMessageContaining("The host does not have this file (any more).");
        assertThat(config.filesDir().resolve(ref.id() + ".data")).doesNotExist();
    }

    private static FileTransfers.Listener listener(CompletableFuture<FileRef> done) {
        return new FileTransfers.Listener() {
            @Override
            public void finished(String key, FileRef file, Path saved) {
                done.complete(file);
            }

            @Override
            public void failed(String key, String why) {
                done.completeExceptionally(new IllegalStateException(why));
            }
        };
    }
}
