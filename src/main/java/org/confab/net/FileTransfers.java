package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.confab.core.FileNames;
import org.confab.core.FileRef;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Message;

/**
 * A member's file uploads and downloads through the room's host (docs/protocol.md §18), on the
 * connection a {@link RoomConnection} has now: each resumes by itself after a drop (an upload is
 * offered again and continues after the chunks the host holds; a download asks again from the
 * first chunk not yet here). Chunks go in the connection's bulk lane, at most {@link
 * HostFiles#WINDOW} ahead of the other side's ack, so chat is never delayed behind a file. Every
 * chunk is checked against its SHA-256 before it is kept, and the whole file against the sender's
 * at the end; a download is written to {@code <name>.part} beside its place and only then renamed,
 * never over an existing file. Callbacks run on the connection's threads: a UI hops threads itself.
 */
public final class FileTransfers {
    private static final int HASH = 32;

    /** What a transfer reports. */
    public interface Listener {
        /** {@code done} of {@code total} bytes have gone (upload) or arrived intact (download). */
        default void progress(String key, long done, long total) {}

        /** An upload is shared (its message is posted: {@code saved} is null) or a download saved as {@code saved}. */
        void finished(String key, FileRef file, Path saved);

        /** It stopped for good: a sentence saying why (too big, quota, disk full, damaged file...). */
        void failed(String key, String why);
    }

    private final Object lock = new Object();
    private final Map<String, Upload> uploads = new LinkedHashMap<>();
    private final Map<String, Download> downloads = new LinkedHashMap<>();
    private RoomLink link;

    FileTransfers() {}

    // ------------------------------------------------------------------ uploads

    private final class Upload {
        final String id = "u" + UUID.randomUUID().toString().replace("-", "");
        final Path source;
        final String name;
        final long size;
        final String sha256;
        final String mime;
        final String to;
        final String caption;
        /** The image's preview for the message (FileRef#thumb), or null. */
        String thumb;

        final Listener listener;
        final int chunk = FileRef.DEFAULT_CHUNK;
        String file;
        long next;
        long acked;
        boolean shared;

        Upload(Path source, String name, long size, String sha256, String to, String caption, Listener listener)
                throws IOException {
            this.source = source;
            this.name = name;
            this.size = size;
            this.sha256 = sha256;
            this.mime = Objects.requireNonNullElse(Files.probeContentType(source), "application/octet-stream");
            this.to = to;
            this.caption = caption == null ? "" : caption;
            this.listener = listener;
        }

        long chunks() {
            return (size + chunk - 1) / chunk;
        }

        Message.FileOffer offer() {
            return new Message.FileOffer(id, name, size, sha256, chunk, mime, to);
        }

        Message.Send message() {
            return new Message.Send(caption, id, 0, to, file, thumb);
        }
    }

    /**
     * Shares a file: hashes it (on this thread: call it off the UI thread), offers it to the host,
     * sends its chunks and then the message that shares it ({@code caption}, may be empty; to
     * {@code to}'s direct conversation, or the room for null). Returns the transfer's key.
     */
    public String upload(Path file, String to, String caption, Listener listener) throws IOException {
        return upload(file, file.getFileName().toString(), to, caption, listener);
    }

    /** As {@link #upload(Path, String, String, Listener)}, under {@code name} (a path inside a shared folder). */
    public String upload(Path file, String name, String to, String caption, Listener listener) throws IOException {
        return upload(file, name, to, caption, null, listener);
    }

    /**
     * As {@link #upload(Path, String, String, String, Listener)}, with {@code thumb}: an image's
     * preview for its message ({@link FileRef#thumb}: base64url PNG or JPEG), or null.
     */
    public String upload(Path file, String name, String to, String caption, String thumb, Listener listener)
            throws IOException {
        if (FileNames.safeRelativePath(name).isEmpty()) {
            throw new IOException("\"" + name + "\" cannot be a file's name in a room.");
        }
        if (thumb != null && !FileRef.validThumb(thumb)) {
            throw new IllegalArgumentException("preview too large or not base64url");
        }
        long size = Files.size(file);
        Upload u = new Upload(file, name, size, sha256(file), to, caption, listener);
        u.thumb = thumb;
        RoomLink l;
        synchronized (lock) {
            uploads.put(u.id, u);
            l = link;
        }
        if (l != null) {
            l.sendMessage(u.offer());
        }
        return u.id;
    }

    // ------------------------------------------------------------------ downloads

    private final class Download {
        final FileRef ref;
        final Path target;
        final Path part;
        final Path partHashes;
        final Listener listener;
        long have;
        MessageDigest whole;

        Download(FileRef ref, Path target, Listener listener) {
            this.ref = ref;
            this.target = target;
            this.part = target.resolveSibling(target.getFileName() + ".part");
            this.partHashes = target.resolveSibling(target.getFileName() + ".part.sha256");
            this.listener = listener;
        }
    }

    /**
     * Downloads a shared file into {@code folder} under its safe name ({@link FileNames}: its folder
     * structure kept, no overwrite: {@code name (1).ext}); continues a {@code .part} left by an
     * earlier run after checking it chunk by chunk. Fails at once when the disk has no room for it.
     * Returns the transfer's key (the file's id).
     */
    public String download(FileRef ref, Path folder, Listener listener) throws IOException {
        Optional<List<String>> parts = FileNames.safeRelativePath(ref.name());
        List<String> path = parts.orElse(List.of(FileNames.safeName(ref.name())));
        Path dir = folder;
        for (String p : path.subList(0, path.size() - 1)) {
            dir = dir.resolve(p);
        }
        Files.createDirectories(dir);
        if (Files.getFileStore(dir).getUsableSpace() < ref.size()) {
            throw new IOException("Not enough free disk space in " + dir + " for " + ref.fileName() + " ("
                    + FileRef.humanSize(ref.size()) + ").");
        }
        Path d = dir;
        String name = path.getLast();
        // a .part of this very name is this file's earlier, unfinished download; anything else is not overwritten
        String free = Files.exists(d.resolve(name + ".part"))
                ? name
                : FileNames.unique(name, n -> Files.exists(d.resolve(n)) || Files.exists(d.resolve(n + ".part")));
        Download dl = new Download(ref, d.resolve(free), listener);
        resumeFromDisk(dl);
        RoomLink l;
        synchronized (lock) {
            downloads.put(ref.id(), dl);
            l = link;
        }
        if (dl.have == ref.chunks()) {
            finish(dl);
        } else if (l != null) {
            l.sendMessage(new Message.FileGet(ref.id(), dl.have));
        }
        return ref.id();
    }

    /** Stops a transfer; a download's {@code .part} stays, so downloading it again continues. */
    public void cancel(String key) {
        RoomLink l;
        boolean download;
        synchronized (lock) {
            download = downloads.remove(key) != null;
            uploads.remove(key);
            l = link;
        }
        if (download && l != null) {
            l.sendMessage(new Message.FileCancel(key, "cancelled"));
        }
    }

    /** Transfers not finished yet. */
    public int active() {
        synchronized (lock) {
            return uploads.size() + downloads.size();
        }
    }

    // ------------------------------------------------------------------ the connection's side

    /** A connection is up: every unfinished transfer goes on over it. */
    void connected(RoomLink l) {
        List<Upload> ups;
        List<Download> downs;
        synchronized (lock) {
            link = l;
            ups = List.copyOf(uploads.values());
            downs = List.copyOf(downloads.values());
        }
        for (Upload u : ups) {
            l.sendMessage(u.offer());
        }
        for (Download d : downs) {
            l.sendMessage(new Message.FileGet(d.ref.id(), d.have));
        }
    }

    /** The connection is gone: transfers wait for the next one. */
    void disconnected(RoomLink l) {
        synchronized (lock) {
            if (link == l) {
                link = null;
            }
        }
    }

    /** A file message from the host: {@code file-accepted} or {@code file-ack} of an upload. */
    void message(RoomLink l, Message m) {
        switch (m) {
            case Message.FileAccepted a -> {
                Upload u;
                boolean whole;
                synchronized (lock) {
                    u = uploads.get(a.id());
                    if (u == null) {
                        return;
                    }
                    u.file = a.file();
                    u.next = a.have();
                    u.acked = a.have();
                    whole = u.chunks() > 0 && a.have() >= u.chunks();
                    u.shared = whole;
                }
                if (whole) {
                    l.sendMessage(u.message()); // all there before a drop: share it (again: the host drops a repeat)
                } else {
                    pump(l, u);
                }
            }
            case Message.FileAck a -> {
                Upload u = uploadOf(a.file());
                if (u == null) {
                    return;
                }
                u.listener.progress(u.id, Math.min(u.size, a.upto() * u.chunk), u.size);
                boolean all;
                synchronized (lock) {
                    u.acked = Math.max(u.acked, a.upto());
                    all = u.acked >= u.chunks() && !u.shared;
                    if (all) {
                        u.shared = true;
                    }
                }
                if (all) {
                    l.sendMessage(u.message()); // the host holds it whole: share it
                } else {
                    pump(l, u);
                }
            }
            default -> {}
        }
    }

    /** The message with client id {@code cid} is posted: an upload that waited for it is done. */
    void posted(String cid, FileRef file) {
        Upload u;
        synchronized (lock) {
            u = uploads.remove(cid);
        }
        if (u != null) {
            u.listener.finished(u.id, file, null);
        }
    }

    /** A {@code file-refused} error about an upload ({@code key}: its id) or a download (the file's id). */
    boolean refused(String key, String why) {
        Upload u;
        Download d;
        synchronized (lock) {
            u = uploads.remove(key);
            if (u == null) {
                u = uploads.values().stream()
                        .filter(x -> key.equals(x.file))
                        .findFirst()
                        .orElse(null);
                if (u != null) {
                    uploads.remove(u.id);
                }
            }
            d = downloads.remove(key);
        }
        if (u != null) {
            u.listener.failed(u.id, why);
        }
        if (d != null) {
            d.listener.failed(key, why);
        }
        return u != null || d != null;
    }

    /** A chunk of a download: checked, written, acknowledged; the last one completes the file. */
    void chunk(RoomLink l, FileChunk c) {
        Download d;
        synchronized (lock) {
            d = downloads.get(c.file());
        }
        if (d == null || c.op() != FileChunk.DOWNLOAD || c.index() != d.have) {
            return; // cancelled, or a chunk sent before a resume asked again from elsewhere
        }
        if (c.index() >= d.ref.chunks() || c.data().length != d.ref.chunkLength(c.index()) || !c.intact()) {
            // damaged on the way or on the host: never kept, asked for again
            l.sendMessage(new Message.FileCancel(d.ref.id(), "damaged chunk"));
            l.sendMessage(new Message.FileGet(d.ref.id(), d.have));
            return;
        }
        try {
            try (FileChannel ch = FileChannel.open(d.part, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                ch.write(ByteBuffer.wrap(c.data()), c.index() * d.ref.chunkSize());
            }
            Files.write(d.partHashes, c.sha256(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            fail(d, "Could not write " + d.part + ": " + e.getMessage());
            return;
        }
        d.whole.update(c.data());
        d.have++;
        l.sendMessage(new Message.FileAck(d.ref.id(), d.have));
        d.listener.progress(d.ref.id(), Math.min(d.ref.size(), d.have * d.ref.chunkSize()), d.ref.size());
        if (d.have == d.ref.chunks()) {
            finish(d);
        }
    }

    // ------------------------------------------------------------------ plumbing

    private Upload uploadOf(String file) {
        synchronized (lock) {
            for (Upload u : uploads.values()) {
                if (file.equals(u.file)) {
                    return u;
                }
            }
            return null;
        }
    }

    /** Sends an upload's next chunks, up to the window. */
    private void pump(RoomLink l, Upload u) {
        while (true) {
            long index;
            synchronized (lock) {
                if (u.file == null || u.next >= u.chunks() || u.next - u.acked >= HostFiles.WINDOW) {
                    if (u.file != null && u.chunks() == 0 && !u.shared) {
                        u.shared = true; // an empty file: nothing to send
                        index = -1;
                    } else {
                        return;
                    }
                } else {
                    index = u.next++;
                }
            }
            if (index < 0) {
                l.sendMessage(u.message());
                return;
            }
            byte[] data = new byte[(int) Math.min(u.chunk, u.size - index * u.chunk)];
            try (FileChannel ch = FileChannel.open(u.source, StandardOpenOption.READ)) {
                if (!HostFiles.readFully(ch, data, index * u.chunk)) {
                    throw new IOException("it became shorter");
                }
            } catch (IOException e) {
                refused(u.id, "Could not read " + u.source + ": " + e.getMessage());
                return;
            }
            if (!l.sendBulk(FileChunk.of(FileChunk.UPLOAD, u.file, index, data).encodeFrame())) {
                return; // the connection is closing; the next one offers again
            }
        }
    }

    /** Continues an unfinished download: the chunks of its {@code .part} that match their hashes, in order. */
    private void resumeFromDisk(Download d) throws IOException {
        d.whole = HostFiles.sha256();
        d.have = 0;
        if (!Files.exists(d.part) || !Files.exists(d.partHashes)) {
            Files.deleteIfExists(d.part);
            Files.deleteIfExists(d.partHashes);
            return;
        }
        byte[] hashes = Files.readAllBytes(d.partHashes);
        try (FileChannel ch = FileChannel.open(d.part, StandardOpenOption.READ)) {
            d.have = HostFiles.intactChunks(ch, d.ref, hashes, d.whole);
        }
        // keep exactly the intact chunks: what follows them is fetched again
        try (FileChannel ch = FileChannel.open(d.part, StandardOpenOption.WRITE)) {
            ch.truncate(d.have * d.ref.chunkSize());
        }
        Files.write(d.partHashes, Arrays.copyOf(hashes, (int) (d.have * HASH)));
    }

    private void finish(Download d) {
        String got = Base64.getUrlEncoder().withoutPadding().encodeToString(d.whole.digest());
        if (!got.equals(d.ref.sha256())) {
            try {
                Files.deleteIfExists(d.part);
                Files.deleteIfExists(d.partHashes);
            } catch (IOException e) {
                // reported below anyway
            }
            fail(d, d.ref.fileName() + " arrived, but its SHA-256 is not the sender's: it was not kept.");
            return;
        }
        try {
            if (d.ref.size() == 0) {
                Files.write(d.part, new byte[0]);
            }
            Files.move(d.part, d.target, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(d.partHashes);
        } catch (IOException e) {
            fail(d, "Could not save " + d.target + ": " + e.getMessage());
            return;
        }
        synchronized (lock) {
            downloads.remove(d.ref.id());
        }
        d.listener.finished(d.ref.id(), d.ref, d.target);
    }

    private void fail(Download d, String why) {
        synchronized (lock) {
            downloads.remove(d.ref.id());
        }
        d.listener.failed(d.ref.id(), why);
    }

    /** SHA-256 of a whole file, base64url without padding (as a {@link FileRef} carries it). */
    static String sha256(Path file) throws IOException {
        MessageDigest d = HostFiles.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(d.digest());
    }
}
