package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.store.ClientStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Control of transfers through a real host over TLS on loopback: pause keeps what a transfer has
 * and resume continues from the last verified chunk; a cancelled upload is dropped by the host; an
 * upload goes on after the uploading client restarts (and a file changed since is not sent); the
 * host's per-member upload rate paces acks without holding up chat; a file whose message was
 * deleted is refused with a sentence saying so.
 */
@Timeout(180)
class FileTransferControlTest extends FilesTestBase {
    private static final int CHUNK = FileRef.DEFAULT_CHUNK;
    /** An image's preview as a message carries it (base64url; its bytes are not looked at here). */
    private static final String THUMB = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";

    /** How long a paused transfer is watched for not finishing (a negative check: nothing to wait for). */
    private static final long WATCH_MILLIS = 1500;

    private FileRef share(RoomConnection from, RecordingConnectionListener at, Path file) throws Exception {
        var up = new Told();
        String key = from.files().upload(file, null, "", up);
        assertThat(up.ended(key)).isTrue();
        assertThat(up.failed).isEmpty();
        String name = file.getFileName().toString();
        assertThat(at.await(() -> sharedIn(at, name) != null, T)).isTrue();
        return sharedIn(at, name);
    }

    private Path hostFiles() {
        return host.config().filesDir();
    }

    private long storedOnHost() throws Exception {
        try (Stream<Path> all = Files.list(hostFiles())) {
            return all.filter(p -> !p.getFileName().toString().equals("deleted.list"))
                    .count();
        }
    }

    @Test
    void aPausedDownloadKeepsWhatItHas_andResumesFromTheLastVerifiedChunk() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        RoomConnection bob = member("bob", bl);
        byte[] content = random(40 * CHUNK + 3, 11);
        FileRef ref = share(alice, bl, Files.write(dir.resolve("movie.mkv"), content));

        var down = new Told();
        CountDownLatch paused = new CountDownLatch(1);
        down.onProgress = (k, done) -> {
            if (paused.getCount() > 0) {
                assertThat(bob.files().pause(ref.id())).isTrue();
                paused.countDown();
            }
        };
        String key = bob.files().download(ref, dir.resolve("d"), down);
        assertThat(paused.await(T, TimeUnit.SECONDS)).isTrue();
        assertThat(down.ended(key, WATCH_MILLIS)).isFalse(); // paused: it does not finish
        long atPause = down.progress.getLast();
        assertThat(atPause).isLessThanOrEqualTo((1L + HostFiles.WINDOW) * CHUNK); // what was in flight, no more
        assertThat(bob.files().active()).isEqualTo(1);

        assertThat(bob.files().resume(key)).isTrue();
        assertThat(down.ended(key)).isTrue();
        assertThat(down.failed).isEmpty();
        assertThat(Files.readAllBytes(down.saved.get(key))).isEqualTo(content);
        assertThat(down.progress).isSorted().doesNotHaveDuplicates(); // nothing fetched twice
        assertThat(down.progress).last().isEqualTo((long) content.length);
    }

    @Test
    void aPausedUploadWaits_andACancelledOneIsDroppedByTheHost() throws Exception {
        startHost(HostConfig.defaults("Files", 0)
                .withHistoryFile(dir.resolve("host.db"))
                .withMaxUploadRate(4L << 20));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        member("bob", bl);
        byte[] content = random(24 * CHUNK, 12);
        Path file = Files.write(dir.resolve("backup.tar"), content);

        var up = new Told();
        CountDownLatch paused = new CountDownLatch(1);
        up.onProgress = (k, done) -> {
            if (paused.getCount() > 0) {
                assertThat(alice.files().pause(k)).isTrue();
                paused.countDown();
            }
        };
        String[] key = {alice.files().upload(file, null, "", up)};
        assertThat(paused.await(T, TimeUnit.SECONDS)).isTrue();
        assertThat(up.ended(key[0], WATCH_MILLIS)).isFalse();
        assertThat(up.progress.getLast()).isLessThanOrEqualTo((1L + HostFiles.WINDOW) * CHUNK);
        assertThat(alice.files().resume(key[0])).isTrue();
        assertThat(up.ended(key[0])).isTrue();
        assertThat(up.failed).isEmpty();
        assertThat(bl.await(() -> sharedIn(bl, "backup.tar") != null, T)).isTrue();
        assertThat(up.progress).isSorted();

        // a second upload cancelled on its way: the host drops what it had of it
        long before = storedOnHost();
        var second = new Told();
        CountDownLatch cancelled = new CountDownLatch(1);
        Path other = Files.write(dir.resolve("other.tar"), random(24 * CHUNK, 13));
        second.onProgress = (k, done) -> {
            if (cancelled.getCount() > 0) {
                alice.files().cancel(k);
                cancelled.countDown();
            }
        };
        alice.files().upload(other, null, "", second);
        assertThat(cancelled.await(T, TimeUnit.SECONDS)).isTrue();
        // the host reads a member's frames in order: once the line after the cancel is posted, it was handled
        alice.send("after the cancel");
        assertThat(bl.await(() -> bl.texts().contains("after the cancel"), T)).isTrue();
        assertThat(storedOnHost()).isEqualTo(before);
        assertThat(second.finished).isEmpty();
        assertThat(alice.files().active()).isZero();
        assertThat(sharedIn(bl, "other.tar")).isNull();
    }

    @Test
    void anUploadGoesOnAfterTheUploadingClientRestarts_butNotForAFileChangedSince() throws Exception {
        startHost(HostConfig.defaults("Files", 0).withMaxUploadRate(2L << 20));
        var bl = new RecordingConnectionListener();
        RoomConnection bob = member("bob", bl);
        Path db = dir.resolve("alice.db");
        // more than two windows: the first run cannot have sent it all by the time two chunks are acknowledged
        byte[] content = random((2 * HostFiles.WINDOW + 4) * CHUNK + 5, 14);
        Path file = Files.write(dir.resolve("holiday.jpg"), content);
        Path changed = Files.write(dir.resolve("draft.txt"), random(12 * CHUNK, 15));

        String key;
        String changedKey;
        CountDownLatch someAcked = new CountDownLatch(1);
        try (ClientStore store = ClientStore.open(db)) {
            RoomConnection alice = member("alice", store, new RecordingConnectionListener());
            var up = new Told();
            up.onProgress = (k, done) -> {
                if (done >= 2L * CHUNK) {
                    someAcked.countDown();
                }
            };
            key = alice.files().upload(file, "holiday.jpg", null, "holiday", THUMB, up);
            changedKey = alice.files().upload(changed, null, "", new Told());
            assertThat(someAcked.await(T, TimeUnit.SECONDS)).isTrue();
            alice.close(); // the program ends mid-upload
            open.remove(alice);
            assertThat(up.finished).isEmpty();
        }
        Files.write(changed, new byte[] {1}, StandardOpenOption.APPEND);

        try (ClientStore store = ClientStore.open(db)) {
            RoomConnection again = member("alice", store, new RecordingConnectionListener());
            var up = new Told();
            List<String> resumed = again.files().resumeUploads(up);
            assertThat(resumed).containsExactly(key);
            assertThat(up.failed.get(changedKey)).contains("draft.txt").contains("changed on disk");
            assertThat(up.ended(key)).isTrue();
            assertThat(up.failed).doesNotContainKey(key);
            assertThat(up.progress).first().satisfies(first -> assertThat(first).isGreaterThanOrEqualTo(2L * CHUNK));
            assertThat(store.pendingUploads()).isEmpty();
        }
        assertThat(bl.await(() -> sharedIn(bl, "holiday.jpg") != null, T)).isTrue();
        assertThat(sharedIn(bl, "holiday.jpg").thumb())
                .as("the preview survives the restart")
                .isEqualTo(THUMB);
        var down = new Told();
        String dk = bob.files().download(sharedIn(bl, "holiday.jpg"), dir.resolve("bob"), down);
        assertThat(down.ended(dk)).isTrue();
        assertThat(Files.readAllBytes(down.saved.get(dk))).isEqualTo(content);
    }

    @Test
    void aFolderUploadGoesOnAfterTheUploadingClientRestarts_sendingOnlyWhatTheHostLacks() throws Exception {
        startHost(HostConfig.defaults("Files", 0).withMaxUploadRate(2L << 20));
        var bl = new RecordingConnectionListener();
        RoomConnection bob = member("bob", bl);
        Path db = dir.resolve("alice.db");
        Path album = Files.createDirectories(dir.resolve("alice").resolve("album"));
        Files.writeString(album.resolve("a.txt"), "first");
        byte[] big = random((2 * HostFiles.WINDOW + 4) * CHUNK + 7, 17);
        Files.write(album.resolve("b.bin"), big);
        Files.writeString(album.resolve("c.txt"), "last");
        Files.createDirectories(album.resolve("empty"));
        long total = 5 + big.length + 4;

        String key;
        CountDownLatch someAcked = new CountDownLatch(1);
        try (ClientStore store = ClientStore.open(db)) {
            RoomConnection alice = member("alice", store, new RecordingConnectionListener());
            var up = new Told();
            up.onProgress = (k, done) -> {
                if (done >= 2L * CHUNK) {
                    someAcked.countDown();
                }
            };
            key = alice.files().uploadFolder(album, null, "the album", up);
            assertThat(someAcked.await(T, TimeUnit.SECONDS)).isTrue();
            alice.close(); // the program ends mid-folder
            open.remove(alice);
            assertThat(up.finished).isEmpty();
            assertThat(store.pendingUploads()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo(key);
                assertThat(p.folder()).isTrue();
            });
        }

        try (ClientStore store = ClientStore.open(db)) {
            RoomConnection again = member("alice", store, new RecordingConnectionListener());
            var up = new Told();
            assertThat(again.files().resumeUploads(up)).containsExactly(key);
            assertThat(again.files().nameOf(key)).contains("album");
            assertThat(up.ended(key)).isTrue();
            assertThat(up.failed).isEmpty();
            // the host's answers to the offers (in order: a.txt, held whole, then b.bin) count what it holds:
            // the big file's first chunks are not sent again
            assertThat(up.progress).hasSizeGreaterThan(2);
            assertThat(up.progress.get(0)).isEqualTo(5);
            assertThat(up.progress.get(1)).isGreaterThanOrEqualTo(2L * CHUNK);
            assertThat(up.progress).last().isEqualTo(total);
            assertThat(store.pendingUploads()).isEmpty();
        }
        assertThat(bl.await(() -> sharedIn(bl, "album") != null, T)).isTrue();
        assertThat(bl.messages().stream().filter(p -> p.message().file() != null))
                .as("one message for the folder")
                .hasSize(1);
        var down = new Told();
        String dk = bob.files().download(sharedIn(bl, "album"), dir.resolve("bob"), down);
        assertThat(down.ended(dk)).isTrue();
        assertThat(down.failed).isEmpty();
        Path saved = down.saved.get(dk);
        assertThat(tree(saved)).containsExactly("a.txt", "b.bin", "c.txt", "empty/");
        assertThat(Files.readAllBytes(saved.resolve("b.bin"))).isEqualTo(big);
        assertThat(Files.readString(saved.resolve("c.txt"))).isEqualTo("last");
    }

    @Test
    void theHostsUploadRatePacesAcks_andChatGoesOnMeanwhile() throws Exception {
        assertThat(HostConfig.defaults("x", 0).maxUploadRate()).isZero(); // unlimited unless set
        long rate = 256 * 1024;
        startHost(HostConfig.defaults("Files", 0).withMaxUploadRate(rate));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        member("bob", bl);
        byte[] content = random(3 * CHUNK + 1000, 16);
        Path file = Files.write(dir.resolve("slow.bin"), content);
        var up = new Told();
        long t0 = System.nanoTime();
        String key = alice.files().upload(file, null, "", up);
        alice.send("while it goes");
        assertThat(bl.await(() -> bl.texts().contains("while it goes"), T)).isTrue();
        assertThat(up.finished).isEmpty(); // the chat line did not wait for the file
        assertThat(up.ended(key)).isTrue();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(up.failed).isEmpty();
        assertThat(seconds).isGreaterThanOrEqualTo(0.9 * content.length / rate);
        assertThat(bl.await(() -> sharedIn(bl, "slow.bin") != null, T)).isTrue();
    }

    @Test
    void aFileWhoseMessageWasDeletedIsRefusedWithASentenceSayingSo() throws Exception {
        startHost(HostConfig.defaults("Files", 0));
        var al = new RecordingConnectionListener();
        var bl = new RecordingConnectionListener();
        RoomConnection alice = member("alice", al);
        RoomConnection bob = member("bob", bl);
        FileRef ref = share(alice, bl, Files.write(dir.resolve("oops.txt"), random(5000, 17)));
        long seq = bl.messages().stream()
                .filter(p -> p.message().file() != null)
                .findFirst()
                .orElseThrow()
                .message()
                .seq();
        assertThat(alice.delete(seq)).isTrue();
        assertThat(bl.await(() -> bl.events.stream().anyMatch(e -> e instanceof RoomEvent.Deleted), T))
                .isTrue();
        var down = new Told();
        String key = bob.files().download(ref, dir.resolve("d"), down);
        assertThat(down.ended(key)).isTrue();
        assertThat(down.failed.get(key)).isEqualTo("This file is no longer shared: its message was deleted.");
        assertThat(dir.resolve("d").resolve("oops.txt")).doesNotExist();
    }
}
