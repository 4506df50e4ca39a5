package org.confab.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.confab.core.FileNames;
import org.confab.core.FileRef;
import org.confab.protocol.FileChunk;
import org.confab.protocol.FolderManifest;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;
import org.confab.store.ClientStore;
import org.confab.store.PendingUpload;

/**
 * A member's file uploads and downloads through the room's host (docs/protocol.md §18), on the
 * connection a {@link RoomConnection} has now: each resumes by itself after a drop (an upload is
 * offered again and continues after the chunks the host holds; a download asks again from the
 * first chunk not yet here). Chunks go in the connection's bulk lane, at most {@link
 * HostFiles#WINDOW} ahead of the other side's ack, so chat is never delayed behind a file. Every
 * chunk is checked against its SHA-256 before it is kept, and the whole file against the sender's
 * at the end; a download is written to {@code <name>.part} beside its place and only then renamed,
 * never over an existing file.
 *
 * <p>A folder ({@link #uploadFolder}) travels as its files plus one list of them (§18.4), shared
 * as one message; up to {@link #FOLDER_WINDOW} of its files are in flight at once, so many small
 * files cost no round trip each. Every transfer can be paused, resumed and cancelled by its key.
 * Unfinished uploads (files with their previews, and folders) are kept in the client's store and
 * offered again after a restart ({@link #resumeUploads}). Each transfer keeps its file open while it goes on (closed
 * when it ends, is paused by a drop, or cancelled). Callbacks run on the connection's threads: a
 * UI hops threads itself.
 */
public final class FileTransfers {
    private static final int HASH = 32;
    /** Files of one folder in flight at once: offers and chunks pipelined, no round trip per file. */
    static final int FOLDER_WINDOW = 64;
    /** How often an upload is offered again when the host refuses its message (see {@link #reofferAfterRefusedMessage}). */
    static final int REOFFERS = 2;
    /** Marks a folder being downloaded (holds its list's SHA-256), so a later run continues into it. */
    static final String FOLDER_MARK = ".confab-folder";

    /** What a transfer reports. */
    public interface Listener {
        /**
         * {@code done} of {@code total} bytes have gone (upload) or arrived intact (download); a
         * folder reports over all its files. Enough for speed and time left (the caller times it).
         */
        default void progress(String key, long done, long total) {}

        /**
         * An upload is shared (its message is posted: {@code saved} is null) or a download saved as
         * {@code saved} (for a folder: the folder, once, after all its files).
         */
        void finished(String key, FileRef file, Path saved);

        /** It stopped for good: a sentence saying why (too big, quota, disk full, damaged file...). */
        void failed(String key, String why);
    }

    private final Object lock = new Object();
    private final ClientStore store;
    // guarded by lock
    private final Map<String, Upload> uploads = new LinkedHashMap<>();
    private final Map<String, Upload> uploadsByFile = new HashMap<>();
    /** Uploads cancelled before the host named their file: its part is dropped when it does. */
    private final Set<String> cancelledUploads = new HashSet<>();

    private final Map<String, FolderUpload> folderUploads = new LinkedHashMap<>();
    private final Map<String, Download> downloads = new LinkedHashMap<>();
    private final Map<String, FolderDownload> folderDownloads = new LinkedHashMap<>();
    private RoomLink link;

    /** {@code store}: where unfinished uploads are remembered across restarts (null: nowhere). */
    FileTransfers(ClientStore store) {
        this.store = store;
    }

    // ------------------------------------------------------------------ uploads

    private final class Upload {
        final String id;
        /** The file, or null for {@link #inline} bytes (a folder's list). */
        final Path source;

        final byte[] inline;
        final String name;
        final long size;
        final long modified;
        final String sha256;
        final String mime;
        final String to;
        final String caption;
        /** The image's preview for the message (FileRef#thumb), or null. */
        String thumb;

        final Listener listener;
        /** The folder this file belongs to (then {@link #path} is its path inside it), or null. */
        final FolderUpload parent;

        final String path;
        final int chunk = FileRef.DEFAULT_CHUNK;
        // guarded by lock
        String file;
        long next;
        long acked;
        boolean shared;
        /** Times the host refused this upload's message and it was offered again instead of failing. */
        int reoffers;

        boolean paused;
        /** The SHA-256 of each chunk, 32 bytes each, found while hashing the whole (null: hashed per chunk). */
        byte[] chunkHashes;
        // guarded by this
        FileChannel channel;

        Upload(
                String id,
                Path source,
                byte[] inline,
                String name,
                long size,
                long modified,
                String sha256,
                String mime,
                String to,
                String caption,
                Listener listener,
                FolderUpload parent,
                String path) {
            this.id = id;
            this.source = source;
            this.inline = inline;
            this.name = name;
            this.size = size;
            this.modified = modified;
            this.sha256 = sha256;
            this.mime = mime;
            this.to = to;
            this.caption = caption == null ? "" : caption;
            this.listener = listener;
            this.parent = parent;
            this.path = path;
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

        /**
         * The frame of chunk {@code index} (§18.3), its data read straight into it from the file kept
         * open while the upload goes on, with the hash found while hashing the whole (or, for an
         * upload taken up after a restart, hashed now), for the host's file {@code file}.
         */
        synchronized byte[] frame(String file, long index) throws IOException {
            int length = (int) Math.min(chunk, size - index * chunk);
            int at = (int) index * HASH;
            byte[] frame = FileChunk.frame(
                    FileChunk.UPLOAD,
                    file,
                    index,
                    chunkHashes == null ? null : Arrays.copyOfRange(chunkHashes, at, at + HASH),
                    length);
            int data = FileChunk.dataOffset(file);
            if (inline != null) {
                System.arraycopy(inline, (int) (index * chunk), frame, data, length);
            } else {
                if (channel == null) {
                    channel = FileChannel.open(source, StandardOpenOption.READ);
                }
                if (!HostFiles.readFully(channel, frame, data, length, index * chunk)) {
                    throw new IOException("it became shorter");
                }
            }
            if (chunkHashes == null) {
                FileChunk.seal(frame, file);
            }
            return frame;
        }

        synchronized void close() {
            closeQuietly(channel);
            channel = null;
        }

        PendingUpload pending() {
            return new PendingUpload(id, source, name, size, modified, sha256, mime, to, caption, thumb);
        }
    }

    /** A folder being shared: its files go up {@link #FOLDER_WINDOW} at a time, then its list. */
    private final class FolderUpload {
        final String key;
        /** The folder on disk (what a restart walks again). */
        final Path root;

        final String name;
        final String to;
        final String caption;
        final Listener listener;
        final List<String> dirs;
        final long total;
        // guarded by lock
        final ArrayDeque<Upload> waiting = new ArrayDeque<>();
        final List<Upload> active = new ArrayList<>();
        final List<FolderManifest.Entry> done = new ArrayList<>();
        long bytes;
        boolean paused;
        boolean listing;
        /** Every file is hashed and queued (hashing goes on beside the transfer). */
        boolean hashed;

        FolderUpload(
                String key,
                Path root,
                String name,
                String to,
                String caption,
                Listener listener,
                List<String> dirs,
                long total) {
            this.key = key;
            this.root = root;
            this.name = name;
            this.to = to;
            this.caption = caption;
            this.listener = listener;
            this.dirs = dirs;
            this.total = total;
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
        if (thumb != null && !FileRef.validThumb(thumb)) {
            throw new IllegalArgumentException("preview too large or not base64url");
        }
        Upload u = fileUpload(newUploadId(), file, name, to, caption, listener, null, null);
        u.thumb = thumb;
        if (store != null) {
            store.saveUpload(u.pending());
        }
        offer(u);
        return u.id;
    }

    /**
     * Shares folder {@code dir} as one message: every file in it and the folders that hold none,
     * structure kept (symbolic links are not followed and not shared). The folder is walked on this
     * thread (call it off the UI thread); its files are hashed on a thread of their own while the
     * first ones already travel. Returns the transfer's key; {@code finished} comes once, when the
     * folder's message is posted. It is kept in the client's store until then, so a restarted
     * client takes it up ({@link #resumeUploads}): each file of it is offered under an id made from
     * the folder's key and its path ({@link #folderFileId}), so the host skips the files it holds
     * whole and continues a partial one after its last chunk.
     */
    public String uploadFolder(Path dir, String to, String caption, Listener listener) throws IOException {
        return uploadFolder(newUploadId(), dir, to, caption, listener);
    }

    private String uploadFolder(String key, Path dir, String to, String caption, Listener listener) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) || root.getFileName() == null) {
            throw new IOException(dir + " is not a folder.");
        }
        String name = root.getFileName().toString();
        if (FileNames.safeRelativePath(name).isEmpty()) {
            throw new IOException("\"" + name + "\" cannot be a folder's name in a room.");
        }
        List<Path> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        Set<String> holding = new HashSet<>(); // folders with something listed inside
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.comparing(Path::toString))::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = relative(root, p);
                if (FileNames.safeRelativePath(rel).isEmpty()) {
                    throw new IOException("\"" + rel + "\" in " + name + " cannot be a name in a room.");
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(rel);
                } else {
                    continue; // a link or a device: not shared
                }
                for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
                    holding.add(rel.substring(0, slash));
                }
            }
        }
        dirs.removeIf(holding::contains); // only the empty ones need naming
        long total = 0;
        for (Path p : files) {
            total += Files.size(p);
        }
        FolderUpload f = new FolderUpload(key, root, name, to, caption, listener, List.copyOf(dirs), total);
        if (store != null) {
            store.saveUpload(new PendingUpload(
                    key,
                    root,
                    name,
                    total,
                    Files.getLastModifiedTime(root).toMillis(),
                    "",
                    FileRef.FOLDER_MIME,
                    to,
                    caption,
                    null));
        }
        synchronized (lock) {
            folderUploads.put(f.key, f);
        }
        Thread.ofVirtual().name("confab-folder-hashing").start(() -> hashAll(f, root, files));
        return f.key;
    }

    /** Hashes a folder's files in order, queueing each for the transfer as soon as it is hashed. */
    private void hashAll(FolderUpload f, Path root, List<Path> files) {
        for (Path p : files) {
            String rel = relative(root, p);
            Upload u;
            try {
                u = fileUpload(folderFileId(f.key, rel), p, f.name + "/" + rel, f.to, "", null, f, rel);
            } catch (IOException e) {
                failFolder(f, "Could not read " + p + ": " + e.getMessage());
                return;
            }
            RoomLink l;
            synchronized (lock) {
                if (folderUploads.get(f.key) != f) {
                    return; // cancelled or failed
                }
                f.waiting.add(u);
                l = link;
            }
            if (l != null) {
                startMore(l, f);
            }
        }
        RoomLink l;
        synchronized (lock) {
            f.hashed = true;
            l = link;
        }
        if (l != null) {
            startMore(l, f);
        }
    }

    /**
     * The upload id of the file at {@code path} in the folder shared as {@code folderKey}: the same
     * in every run, so a restarted client's offer is the one the host knows (§18.1) and continues.
     */
    static String folderFileId(String folderKey, String path) {
        byte[] h = HostFiles.sha256().digest((folderKey + "\u0000" + path).getBytes(StandardCharsets.UTF_8));
        return "u" + HexFormat.of().formatHex(h, 0, 16);
    }

    private static String relative(Path root, Path p) {
        StringBuilder b = new StringBuilder();
        for (Path e : root.relativize(p)) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(e);
        }
        return b.toString();
    }

    /** An upload of a file on disk, hashed now. */
    private Upload fileUpload(
            String id,
            Path file,
            String name,
            String to,
            String caption,
            Listener listener,
            FolderUpload parent,
            String path)
            throws IOException {
        if (FileNames.safeRelativePath(name).isEmpty()) {
            throw new IOException("\"" + name + "\" cannot be a file's name in a room.");
        }
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        String mime = Objects.requireNonNullElse(Files.probeContentType(file), "application/octet-stream");
        // one pass over the file gives the whole's hash and each chunk's, so no chunk is hashed twice
        byte[] hashes = new byte[Math.toIntExact((size + FileRef.DEFAULT_CHUNK - 1) / FileRef.DEFAULT_CHUNK * HASH)];
        MessageDigest whole = HostFiles.sha256();
        MessageDigest each = HostFiles.sha256();
        byte[] buf = new byte[(int) Math.min(FileRef.DEFAULT_CHUNK, size)];
        long read = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; read < size; i++) {
                int n = (int) Math.min(buf.length, size - read);
                byte[] data = n == buf.length ? buf : new byte[n];
                if (!HostFiles.readFully(ch, data, read)) {
                    throw new IOException(file + " became shorter while it was read.");
                }
                whole.update(data);
                each.update(data);
                System.arraycopy(each.digest(), 0, hashes, i * HASH, HASH);
                read += n;
            }
        }
        String sha256 = Base64.getUrlEncoder().withoutPadding().encodeToString(whole.digest());
        Upload u = new Upload(id, file, null, name, size, modified, sha256, mime, to, caption, listener, parent, path);
        u.chunkHashes = hashes;
        return u;
    }

    /** The name of transfer {@code key} (a file's, or a folder's) while it goes on; empty once it ended or if unknown. */
    public Optional<String> nameOf(String key) {
        synchronized (lock) {
            Upload u = uploads.get(key);
            FolderUpload f = folderUploads.get(key);
            return u != null ? Optional.of(u.name) : f != null ? Optional.of(f.name) : Optional.empty();
        }
    }

    /**
     * Takes up the uploads an earlier run of this client left unfinished (kept in its store): each
     * is offered again under its old id, so the host continues after the chunks it holds. A file
     * changed on disk since (its size or time) is not sent: {@code listener} hears why. Returns the
     * keys of the uploads that go on.
     */
    public List<String> resumeUploads(Listener listener) {
        if (store == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (PendingUpload p : store.pendingUploads()) {
            synchronized (lock) {
                if (uploads.containsKey(p.id()) || folderUploads.containsKey(p.id())) {
                    keys.add(p.id());
                    continue;
                }
            }
            if (p.folder()) {
                try {
                    // walked and hashed again: a file changed since goes up as it is now
                    uploadFolder(p.id(), p.path(), p.to(), p.caption(), listener);
                    keys.add(p.id());
                } catch (IOException e) {
                    store.removeUpload(p.id());
                    listener.failed(
                            p.id(),
                            "The folder " + p.path() + " could not be shared again (" + e.getMessage()
                                    + "), so its unfinished upload was dropped.");
                }
                continue;
            }
            String changed = changedSince(p);
            if (changed != null) {
                store.removeUpload(p.id());
                listener.failed(p.id(), changed);
                continue;
            }
            Upload u = new Upload(
                    p.id(),
                    p.path(),
                    null,
                    p.name(),
                    p.size(),
                    p.modifiedMillis(),
                    p.sha256(),
                    p.mime(),
                    p.to(),
                    p.caption(),
                    listener,
                    null,
                    null);
            u.thumb = p.thumb(); // the image's preview goes with its message, as before the restart
            offer(u);
            keys.add(p.id());
        }
        return keys;
    }

    private static String changedSince(PendingUpload p) {
        try {
            if (Files.size(p.path()) == p.size()
                    && Files.getLastModifiedTime(p.path()).toMillis() == p.modifiedMillis()) {
                return null;
            }
        } catch (IOException e) {
            return p.path() + " is gone (or cannot be read), so its unfinished upload was dropped.";
        }
        return p.path() + " changed on disk since its upload began, so the upload was dropped; share it again.";
    }

    private void offer(Upload u) {
        RoomLink l;
        synchronized (lock) {
            uploads.put(u.id, u);
            l = link;
        }
        if (l != null) {
            l.sendMessage(u.offer());
        }
    }

    /** Offers a folder's next files while fewer than the window are in flight; after the last, its list. */
    private void startMore(RoomLink l, FolderUpload f) {
        List<Upload> next = new ArrayList<>();
        synchronized (lock) {
            while (!f.paused && f.active.size() < FOLDER_WINDOW && !f.waiting.isEmpty()) {
                Upload u = f.waiting.poll();
                f.active.add(u);
                uploads.put(u.id, u);
                next.add(u);
            }
            if (f.hashed && f.waiting.isEmpty() && f.active.isEmpty() && !f.listing && folderUploads.get(f.key) == f) {
                f.listing = true;
                List<FolderManifest.Entry> entries = new ArrayList<>(f.done);
                entries.sort(Comparator.comparing(FolderManifest.Entry::path));
                byte[] json = new FolderManifest(FileRef.DEFAULT_CHUNK, entries, f.dirs).encode();
                Upload list = new Upload(
                        f.key,
                        null,
                        json,
                        f.name,
                        json.length,
                        0,
                        sha256(json),
                        FileRef.FOLDER_MIME,
                        f.to,
                        f.caption,
                        folderListener(f),
                        null,
                        null);
                uploads.put(list.id, list);
                next.add(list);
            }
        }
        for (Upload u : next) {
            l.sendMessage(u.offer());
        }
    }

    /** What a folder's list reports: the folder's end (its progress is the files'). */
    private Listener folderListener(FolderUpload f) {
        return new Listener() {
            @Override
            public void finished(String key, FileRef file, Path saved) {
                synchronized (lock) {
                    folderUploads.remove(f.key);
                }
                forgetUpload(f.key);
                f.listener.finished(f.key, file, null);
            }

            @Override
            public void failed(String key, String why) {
                synchronized (lock) {
                    folderUploads.remove(f.key);
                }
                forgetUpload(f.key);
                f.listener.failed(f.key, why);
            }
        };
    }

    /** Reports how far an upload got (a folder's file: the folder's bytes). */
    private void uploadProgress(Upload u, long before, long now) {
        if (u.parent == null) {
            u.listener.progress(u.id, now, u.size);
            return;
        }
        FolderUpload f = u.parent;
        long bytes;
        synchronized (lock) {
            f.bytes += now - before;
            bytes = f.bytes;
        }
        f.listener.progress(f.key, bytes, f.total);
    }

    /** The host holds the whole file: share it, or (a folder's file) take the folder on. */
    private void uploaded(RoomLink l, Upload u) {
        if (u.parent == null) {
            l.sendMessage(u.message()); // (again after a drop: the host drops a repeat)
            return;
        }
        FolderUpload f = u.parent;
        synchronized (lock) {
            if (!f.active.remove(u)) {
                return;
            }
            uploads.remove(u.id);
            uploadsByFile.remove(u.file);
            f.done.add(new FolderManifest.Entry(u.path, u.size, u.sha256, u.file));
        }
        u.close();
        startMore(l, f);
    }

    // ------------------------------------------------------------------ downloads

    private final class Download {
        final FileRef ref;
        /** Where it is saved (null for a folder's list, which is read in memory). */
        final Path target;

        final Path part;
        final Path partHashes;
        final Listener listener;
        /** The folder download this is a file of (or the list of), or null. */
        final FolderDownload parent;

        final ByteArrayOutputStream memory;
        long have;
        long reported;
        MessageDigest whole;
        volatile boolean paused;
        volatile boolean cancelled;
        FileChannel partChannel;
        FileChannel hashChannel;

        Download(FileRef ref, Path target, Listener listener, FolderDownload parent) {
            this.ref = ref;
            this.target = target;
            this.part = target == null ? null : target.resolveSibling(target.getFileName() + ".part");
            this.partHashes = target == null ? null : target.resolveSibling(target.getFileName() + ".part.sha256");
            this.listener = listener;
            this.parent = parent;
            this.memory = target == null ? new ByteArrayOutputStream() : null;
        }

        void write(FileChunk c) throws IOException {
            if (memory != null) {
                memory.write(c.data());
                return;
            }
            if (partChannel == null) {
                partChannel = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
                hashChannel = FileChannel.open(
                        partHashes, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            ByteBuffer data = ByteBuffer.wrap(c.data());
            long at = c.index() * ref.chunkSize();
            while (data.hasRemaining()) {
                at += partChannel.write(data, at);
            }
            ByteBuffer hash = ByteBuffer.wrap(c.sha256());
            while (hash.hasRemaining()) {
                hashChannel.write(hash);
            }
        }

        void close() {
            closeQuietly(partChannel);
            closeQuietly(hashChannel);
            partChannel = null;
            hashChannel = null;
        }
    }

    /** A shared folder being downloaded: its list first, then its files, {@link #FOLDER_WINDOW} at a time. */
    private final class FolderDownload {
        final FileRef list;
        final Path into;
        final Listener listener;
        // guarded by lock
        Path root;
        int chunk;
        long total;
        long bytes;
        boolean paused;
        boolean resumed;
        final ArrayDeque<FolderManifest.Entry> waiting = new ArrayDeque<>();
        final List<Download> active = new ArrayList<>();

        FolderDownload(FileRef list, Path into, Listener listener) {
            this.list = list;
            this.into = into;
            this.listener = listener;
        }
    }

    /**
     * Downloads a shared file into {@code folder} under its safe name ({@link FileNames}: its folder
     * structure kept, no overwrite: {@code name (1).ext}); continues a {@code .part} left by an
     * earlier run after checking it chunk by chunk. Fails at once when the disk has no room for it.
     * A shared folder ({@link FileRef#folder()}) is downloaded whole into {@code folder/<its safe
     * name>/…} (empty folders too; nothing outside it is ever written), with progress over all its
     * bytes and {@code finished} once, with the folder's path. Returns the transfer's key (the
     * file's id).
     */
    public String download(FileRef ref, Path folder, Listener listener) throws IOException {
        synchronized (lock) {
            if (downloads.containsKey(ref.id()) || folderDownloads.containsKey(ref.id())) {
                throw new IOException(ref.name() + " is being downloaded already.");
            }
        }
        if (ref.folder()) {
            if (ref.size() > FolderManifest.MAX_BYTES) {
                throw new IOException("The list of the folder " + ref.name() + " is too long ("
                        + FileRef.humanSize(ref.size()) + "); not downloaded.");
            }
            Files.createDirectories(folder);
            FolderDownload f = new FolderDownload(ref, folder, listener);
            synchronized (lock) {
                folderDownloads.put(ref.id(), f);
            }
            Download list = new Download(ref, null, null, f);
            list.whole = HostFiles.sha256();
            start(list);
            return ref.id();
        }
        Path dir = placeIn(folder, ref.name()).getParent();
        Files.createDirectories(dir);
        if (Files.getFileStore(dir).getUsableSpace() < ref.size()) {
            throw new IOException("Not enough free disk space in " + dir + " for " + ref.fileName() + " ("
                    + FileRef.humanSize(ref.size()) + ").");
        }
        start(prepare(ref, folder, listener, null));
        return ref.id();
    }

    /** Where a file named {@code name} (a path, made safe) goes inside {@code folder}: never outside it. */
    private static Path placeIn(Path folder, String name) throws IOException {
        Optional<List<String>> parts = FileNames.safeRelativePath(name);
        List<String> path = parts.orElse(List.of(FileNames.safeName(name)));
        Path p = folder;
        for (String e : path) {
            p = p.resolve(e);
        }
        if (!p.normalize().startsWith(folder.normalize()) || p.equals(folder)) {
            throw new IOException("\"" + name + "\" would not be inside " + folder + "; not saved.");
        }
        return p;
    }

    /** A download of {@code ref} into {@code folder}, continuing a {@code .part} of the same name. */
    private Download prepare(FileRef ref, Path folder, Listener listener, FolderDownload parent) throws IOException {
        Path place = placeIn(folder, ref.name());
        Path d = place.getParent();
        Files.createDirectories(d);
        String name = place.getFileName().toString();
        // a .part of this very name is this file's earlier, unfinished download; anything else is not overwritten
        String free = Files.exists(d.resolve(name + ".part"))
                ? name
                : FileNames.unique(name, n -> Files.exists(d.resolve(n)) || Files.exists(d.resolve(n + ".part")));
        Download dl = new Download(ref, d.resolve(free), listener, parent);
        resumeFromDisk(dl);
        return dl;
    }

    private void start(Download d) {
        RoomLink l;
        synchronized (lock) {
            downloads.put(d.ref.id(), d);
            l = link;
        }
        if (d.have == d.ref.chunks()) {
            finish(l, d);
        } else if (l != null) {
            l.sendMessage(new Message.FileGet(d.ref.id(), d.have));
        }
    }

    /** A folder's list arrived: checked, then its folders are made and its files fetched. */
    private void listArrived(RoomLink l, FolderDownload f, byte[] json) {
        FolderManifest m;
        try {
            m = FolderManifest.decode(json);
        } catch (ProtocolException e) {
            failFolder(f, e.getMessage() + " Nothing of it was saved.");
            return;
        }
        try {
            if (Files.getFileStore(f.into).getUsableSpace() < m.totalSize()) {
                failFolder(
                        f,
                        "Not enough free disk space in " + f.into + " for the folder " + f.list.name() + " ("
                                + FileRef.humanSize(m.totalSize()) + ").");
                return;
            }
            String name = FileNames.safeName(f.list.name());
            Path mark = f.into.resolve(name).resolve(FOLDER_MARK);
            boolean resumed = Files.isRegularFile(mark)
                    && Files.readString(mark, StandardCharsets.US_ASCII).equals(f.list.sha256());
            Path root = resumed
                    ? f.into.resolve(name)
                    : f.into.resolve(FileNames.unique(name, n -> Files.exists(f.into.resolve(n))));
            Files.createDirectories(root);
            Files.writeString(root.resolve(FOLDER_MARK), f.list.sha256(), StandardCharsets.US_ASCII);
            for (String dir : m.dirs()) {
                Files.createDirectories(placeIn(root, dir));
            }
            synchronized (lock) {
                f.root = root;
                f.chunk = m.chunk();
                f.total = m.totalSize();
                f.resumed = resumed;
                f.waiting.addAll(m.files());
            }
        } catch (IOException e) {
            failFolder(f, "Could not save the folder " + f.list.name() + ": " + e.getMessage());
            return;
        }
        fetchMore(l, f);
    }

    /** Asks for a folder's next files while fewer than the window are in flight; after the last, it is done. */
    private void fetchMore(RoomLink l, FolderDownload f) {
        while (true) {
            FolderManifest.Entry e;
            boolean over;
            synchronized (lock) {
                if (folderDownloads.get(f.list.id()) != f || f.paused) {
                    return;
                }
                over = f.waiting.isEmpty() && f.active.isEmpty();
                e = over || f.active.size() >= FOLDER_WINDOW ? null : f.waiting.poll();
            }
            if (over) {
                synchronized (lock) {
                    folderDownloads.remove(f.list.id());
                }
                try {
                    Files.deleteIfExists(f.root.resolve(FOLDER_MARK));
                } catch (IOException x) {
                    // a stray mark: harmless
                }
                f.listener.finished(f.list.id(), f.list, f.root);
                return;
            }
            if (e == null) {
                return;
            }
            FileRef ref = e.ref(f.chunk);
            try {
                if (f.resumed && savedAlready(f.root, ref)) {
                    synchronized (lock) {
                        f.bytes += ref.size();
                    }
                    continue;
                }
                Download d = prepare(ref, f.root, null, f);
                synchronized (lock) {
                    f.active.add(d);
                }
                start(d);
            } catch (IOException x) {
                failFolder(f, e.path() + ": " + x.getMessage());
                return;
            }
        }
    }

    /** True if an earlier run of a folder's download saved this file whole. */
    private static boolean savedAlready(Path root, FileRef ref) throws IOException {
        Path p = placeIn(root, ref.name());
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && Files.size(p) == ref.size()
                && sha256(p).equals(ref.sha256());
    }

    private void failFolder(FolderDownload f, String why) {
        List<Download> stop;
        RoomLink l;
        synchronized (lock) {
            if (folderDownloads.remove(f.list.id()) != f) {
                return;
            }
            stop = List.copyOf(f.active);
            f.active.clear();
            f.waiting.clear();
            stop.forEach(d -> downloads.remove(d.ref.id(), d));
            l = link;
        }
        for (Download d : stop) {
            d.cancelled = true;
            if (l != null) {
                l.sendMessage(new Message.FileCancel(d.ref.id(), "cancelled"));
            }
        }
        f.listener.failed(f.list.id(), why);
    }

    // ------------------------------------------------------------------ control

    /**
     * Pauses a transfer ({@code key}: an upload's, a download's or a folder's): it keeps all it has
     * and sends or asks for nothing more until {@link #resume}. False if there is no such transfer.
     */
    public boolean pause(String key) {
        return setPaused(key, true);
    }

    /** Resumes a paused transfer from the last verified chunk. False if there is no such transfer. */
    public boolean resume(String key) {
        return setPaused(key, false);
    }

    private boolean setPaused(String key, boolean paused) {
        List<Upload> ups = new ArrayList<>();
        List<Download> downs = new ArrayList<>();
        FolderUpload fu;
        FolderDownload fd;
        RoomLink l;
        synchronized (lock) {
            l = link;
            Upload u = uploads.get(key);
            fu = folderUploads.get(key);
            fd = folderDownloads.get(key);
            Download d = downloads.get(key);
            if (u != null) {
                ups.add(u);
            }
            if (fu != null) {
                fu.paused = paused;
                ups.addAll(fu.active);
                Upload list = uploads.get(fu.key);
                if (list != null && !ups.contains(list)) {
                    ups.add(list);
                }
            }
            if (fd != null) {
                fd.paused = paused;
                downs.addAll(fd.active);
            }
            if (d != null && !downs.contains(d)) {
                downs.add(d);
            }
            if (ups.isEmpty() && downs.isEmpty() && fu == null && fd == null) {
                return false;
            }
            ups.forEach(x -> x.paused = paused);
        }
        for (Download d : downs) {
            d.paused = paused;
            if (l != null) {
                l.sendMessage(
                        paused
                                ? new Message.FileCancel(d.ref.id(), "paused")
                                : new Message.FileGet(d.ref.id(), d.have));
            }
        }
        if (!paused && l != null) {
            RoomLink on = l;
            Thread.ofVirtual().name("confab-files-resume").start(() -> {
                ups.forEach(u -> pump(on, u));
                if (fu != null) {
                    startMore(on, fu);
                }
                if (fd != null) {
                    fetchMore(on, fd);
                }
            });
        }
        return true;
    }

    /**
     * Stops a transfer for good. A cancelled upload tells the host, which drops what it holds of
     * it; a download's {@code .part} stays, so downloading it again continues.
     */
    public void cancel(String key) {
        List<Upload> ups = new ArrayList<>();
        List<Download> downs = new ArrayList<>();
        RoomLink l;
        synchronized (lock) {
            l = link;
            Upload u = uploads.remove(key);
            if (u != null) {
                ups.add(u);
            }
            FolderUpload fu = folderUploads.remove(key);
            if (fu != null) {
                forgetUpload(fu.key);
                ups.addAll(fu.active);
                fu.active.clear();
                fu.waiting.clear();
                Upload list = uploads.remove(fu.key);
                if (list != null && !ups.contains(list)) {
                    ups.add(list);
                }
            }
            Download d = downloads.remove(key);
            if (d != null) {
                downs.add(d);
            }
            FolderDownload fd = folderDownloads.remove(key);
            if (fd != null) {
                downs.addAll(fd.active);
                fd.active.clear();
                fd.waiting.clear();
            }
            for (Upload x : ups) {
                uploads.remove(x.id);
                if (x.file != null) {
                    uploadsByFile.remove(x.file);
                } else {
                    cancelledUploads.add(x.id);
                }
            }
            downs.forEach(x -> downloads.remove(x.ref.id(), x));
        }
        for (Upload u : ups) {
            u.close();
            if (u.parent == null) {
                forgetUpload(u.id);
            }
            if (u.file != null && l != null) {
                l.sendMessage(new Message.FileCancel(u.file, "cancelled"));
            }
        }
        for (Download d : downs) {
            d.cancelled = true;
            if (l != null) {
                l.sendMessage(new Message.FileCancel(d.ref.id(), "cancelled"));
            }
        }
    }

    /**
     * The bytes sharing {@code path} sends: a file's size, or the sum of the files in a folder (links
     * not followed, as {@link #uploadFolder} does not follow them).
     */
    public static long totalSize(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return Files.size(path);
        }
        try (Stream<Path> all = Files.walk(path)) {
            long total = 0;
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    total += Files.size(p);
                }
            }
            return total;
        }
    }

    /** Transfers not finished yet (a folder counts once). */
    public int active() {
        synchronized (lock) {
            long folderParts = uploads.values().stream()
                            .filter(u -> u.parent != null || folderUploads.containsKey(u.id))
                            .count()
                    + downloads.values().stream().filter(d -> d.parent != null).count();
            return (int) (uploads.size() + downloads.size() - folderParts)
                    + folderUploads.size()
                    + folderDownloads.size();
        }
    }

    // ------------------------------------------------------------------ the connection's side

    /** A connection is up: every unfinished transfer goes on over it. */
    void connected(RoomLink l) {
        List<Upload> ups;
        List<Download> downs;
        List<FolderUpload> folders;
        synchronized (lock) {
            link = l;
            ups = List.copyOf(uploads.values());
            downs = List.copyOf(downloads.values());
            folders = List.copyOf(folderUploads.values());
        }
        for (Upload u : ups) {
            l.sendMessage(u.offer());
        }
        for (Download d : downs) {
            if (!d.paused) {
                l.sendMessage(new Message.FileGet(d.ref.id(), d.have));
            }
        }
        for (FolderUpload f : folders) {
            startMore(l, f); // a folder shared while offline starts now
        }
    }

    /** The connection is gone: transfers wait for the next one (their files are closed meanwhile). */
    void disconnected(RoomLink l) {
        List<Upload> ups;
        List<Download> downs;
        synchronized (lock) {
            if (link != l) {
                return;
            }
            link = null;
            ups = List.copyOf(uploads.values());
            downs = List.copyOf(downloads.values());
        }
        ups.forEach(Upload::close);
        downs.forEach(Download::close);
    }

    /** A file message from the host: {@code file-accepted} or {@code file-ack} of an upload. */
    void message(RoomLink l, Message m) {
        synchronized (lock) {
            if (l != link) {
                return; // from a connection that is gone: the next one offered every upload again
            }
        }
        switch (m) {
            case Message.FileAccepted a -> {
                Upload u;
                boolean whole;
                long before;
                synchronized (lock) {
                    u = uploads.get(a.id());
                    if (u == null) {
                        if (cancelledUploads.remove(a.id())) {
                            l.sendMessage(new Message.FileCancel(a.file(), "cancelled"));
                        }
                        return;
                    }
                    if (u.file != null) {
                        uploadsByFile.remove(u.file);
                    }
                    u.file = a.file();
                    uploadsByFile.put(u.file, u);
                    before = Math.min(u.size, u.acked * u.chunk);
                    u.next = a.have();
                    u.acked = a.have();
                    whole = u.chunks() > 0 && a.have() >= u.chunks();
                    u.shared = whole;
                }
                long held = Math.min(u.size, a.have() * u.chunk);
                if (u.parent != null && held != before) {
                    uploadProgress(u, before, held); // a folder's bytes count what the host holds already
                }
                if (whole) {
                    uploaded(l, u); // all there before a drop
                } else {
                    pump(l, u);
                }
            }
            case Message.FileAck a -> {
                Upload u;
                long before;
                boolean all;
                synchronized (lock) {
                    u = uploadsByFile.get(a.file());
                    if (u == null) {
                        return;
                    }
                    before = Math.min(u.size, u.acked * u.chunk);
                    u.acked = Math.max(u.acked, a.upto());
                    all = u.acked >= u.chunks() && !u.shared;
                    if (all) {
                        u.shared = true;
                    }
                }
                uploadProgress(u, before, Math.min(u.size, u.acked * u.chunk));
                if (all) {
                    uploaded(l, u); // the host holds it whole
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
            if (u != null && u.file != null) {
                uploadsByFile.remove(u.file);
            }
        }
        if (u != null) {
            u.close();
            forgetUpload(u.id);
            u.listener.finished(u.id, file, null);
        }
    }

    /** A {@code file-refused} error about an upload ({@code key}: its id or its file's) or a download (the file's id). */
    boolean refused(String key, String why) {
        Upload u;
        Download d;
        synchronized (lock) {
            u = uploads.get(key);
            if (u == null) {
                u = uploadsByFile.get(key);
            }
            d = downloads.get(key);
        }
        if (u != null && reofferAfterRefusedMessage(key, u)) {
            u = null;
        }
        if (u != null) {
            if (u.parent != null) {
                failFolder(u.parent, u.path + ": " + why);
            } else {
                synchronized (lock) {
                    uploads.remove(u.id);
                    if (u.file != null) {
                        uploadsByFile.remove(u.file);
                    }
                }
                u.close();
                forgetUpload(u.id);
                u.listener.failed(u.id, why);
            }
        }
        if (d != null) {
            fail(d, why);
        }
        return u != null || d != null;
    }

    /**
     * The host refused the message that shares upload {@code u} ({@code key} is its id, the
     * message's client id) after acknowledging every chunk: what it holds changed in between (a
     * restart, a retention sweep). The upload is offered again, at most {@link #REOFFERS} times: the
     * host answers with what it holds and the rest is sent. False when this is not such a refusal.
     */
    private boolean reofferAfterRefusedMessage(String key, Upload u) {
        RoomLink l;
        synchronized (lock) {
            if (!key.equals(u.id) || !u.shared || u.parent != null || u.reoffers >= REOFFERS || link == null) {
                return false;
            }
            u.reoffers++;
            u.shared = false;
            l = link;
        }
        l.sendMessage(u.offer());
        return true;
    }

    /** Ends a folder's upload with {@code why}: its files in flight are cancelled (the host drops their parts). */
    private void failFolder(FolderUpload f, String why) {
        List<Upload> stop;
        RoomLink l;
        synchronized (lock) {
            if (folderUploads.remove(f.key) != f) {
                return;
            }
            stop = List.copyOf(f.active);
            f.active.clear();
            f.waiting.clear();
            for (Upload u : stop) {
                uploads.remove(u.id);
                if (u.file != null) {
                    uploadsByFile.remove(u.file);
                }
            }
            l = link;
        }
        for (Upload u : stop) {
            u.close();
            if (u.file != null && l != null) {
                l.sendMessage(new Message.FileCancel(u.file, "cancelled"));
            }
        }
        forgetUpload(f.key);
        f.listener.failed(f.key, why);
    }

    /** A chunk of a download: checked, written, acknowledged; the last one completes the file. */
    void chunk(RoomLink l, FileChunk c) {
        Download d;
        synchronized (lock) {
            if (l != link) {
                return; // from a connection that is gone: the next one asks again from what is here
            }
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
            d.write(c);
        } catch (IOException e) {
            if (!d.cancelled) {
                fail(d, "Could not write " + d.part + ": " + e.getMessage());
            }
            return;
        }
        d.whole.update(c.data());
        d.have++;
        if (!d.paused) {
            l.sendMessage(new Message.FileAck(d.ref.id(), d.have));
        }
        downloadProgress(d, Math.min(d.ref.size(), d.have * d.ref.chunkSize()));
        if (d.have == d.ref.chunks()) {
            finish(l, d);
        }
    }

    // ------------------------------------------------------------------ plumbing

    private void downloadProgress(Download d, long done) {
        if (d.parent == null) {
            d.listener.progress(d.ref.id(), done, d.ref.size());
            return;
        }
        FolderDownload f = d.parent;
        if (d.memory != null) {
            return; // the folder's list: the folder's progress is its files'
        }
        long bytes;
        long total;
        synchronized (lock) {
            f.bytes += done - d.reported;
            bytes = f.bytes;
            total = f.total;
        }
        d.reported = done;
        f.listener.progress(f.list.id(), bytes, total);
    }

    /** Sends an upload's next chunks, up to the window (one sender per upload at a time, in order). */
    private void pump(RoomLink l, Upload u) {
        synchronized (u) {
            while (true) {
                long index;
                String file;
                synchronized (lock) {
                    file = u.file;
                    if (uploads.get(u.id) != u || u.paused) {
                        return;
                    }
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
                    break;
                }
                byte[] frame;
                try {
                    frame = u.frame(file, index);
                } catch (IOException e) {
                    refused(u.id, "Could not read " + u.source + ": " + e.getMessage());
                    return;
                }
                if (!l.sendBulk(frame)) {
                    return; // the connection is closing; the next one offers again
                }
            }
        }
        uploaded(l, u);
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
        d.reported = Math.min(d.ref.size(), d.have * d.ref.chunkSize());
        if (d.parent != null) {
            synchronized (lock) {
                d.parent.bytes += d.reported;
            }
        }
    }

    private void finish(RoomLink l, Download d) {
        d.close();
        String got = Base64.getUrlEncoder().withoutPadding().encodeToString(d.whole.digest());
        if (!got.equals(d.ref.sha256())) {
            try {
                if (d.part != null) {
                    Files.deleteIfExists(d.part);
                    Files.deleteIfExists(d.partHashes);
                }
            } catch (IOException e) {
                // reported below anyway
            }
            fail(d, d.ref.fileName() + " arrived, but its SHA-256 is not the sender's: it was not kept.");
            return;
        }
        if (d.memory != null) {
            synchronized (lock) {
                downloads.remove(d.ref.id(), d);
            }
            listArrived(l, d.parent, d.memory.toByteArray());
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
            downloads.remove(d.ref.id(), d);
        }
        if (d.parent == null) {
            d.listener.finished(d.ref.id(), d.ref, d.target);
            return;
        }
        FolderDownload f = d.parent;
        synchronized (lock) {
            f.active.remove(d);
        }
        fetchMore(l, f);
    }

    private void fail(Download d, String why) {
        d.close();
        synchronized (lock) {
            downloads.remove(d.ref.id(), d);
        }
        if (d.parent == null) {
            d.listener.failed(d.ref.id(), why);
        } else {
            failFolder(d.parent, (d.memory != null ? "" : d.ref.name() + ": ") + why);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing was pending on it
            }
        }
    }

    /** An upload that is shared, refused or cancelled: a restart does not take it up. */
    private void forgetUpload(String id) {
        if (store != null) {
            store.removeUpload(id);
        }
    }

    private static String newUploadId() {
        return "u" + UUID.randomUUID().toString().replace("-", "");
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

    /** SHA-256 of {@code data}, base64url without padding. */
    static String sha256(byte[] data) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(HostFiles.sha256().digest(data));
    }
}
