package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.confab.core.FileNames;
import org.confab.core.FileRef;
import org.confab.protocol.FileChunk;
import org.confab.protocol.FolderManifest;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * The files a room's host keeps (docs/protocol.md §18): what members upload, partial uploads too,
 * so an upload resumes after a dropped connection, a client restart or a host restart. One folder
 * holds, per file, {@code <id>.data} (the bytes, written in order), {@code <id>.hashes} (the
 * SHA-256 of each chunk as its sender gave it, 32 bytes each) and {@code <id>.meta} (name, size,
 * hash, uploader; a file of one chunk keeps its one hash there, and is described only once it is
 * complete: it has nothing to resume). At start every partial upload is read again and checked chunk by chunk against
 * its hashes: it resumes after the last chunk that is intact, never from bytes that are not.
 * Thread-safe; chunk data is read and written outside the lock of other files.
 */
final class HostFiles implements AutoCloseable {
    /** Chunks a sender may have in flight before the receiver's ack (window-based flow control). */
    static final int WINDOW = 16;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The ids of files deleted with their message, one a line. */
    private static final String DELETED = "deleted.list";

    private final Path dir;
    private final FileStore store;
    private final boolean temporary;
    private final long maxFileSize;
    private final long quota;
    private final Map<String, Stored> files = new HashMap<>();
    /** The same files by who uploaded them and the upload's id ({@link #uploadKey}): an offer's resume. */
    private final Map<String, Stored> byUpload = new HashMap<>();
    /** A shared folder's list (its id) → the ids of the files it names; deleting the folder deletes them. */
    private final Map<String, List<String>> folders = new HashMap<>();
    /** Files deleted with their message: a member asking for one is told so (kept in {@code deleted.list}). */
    private final Set<String> deleted = new HashSet<>();
    /** Bytes the files take (partial ones with their full size): what the quota counts. */
    private long used;

    /** Why an offer, a chunk or a download is refused: a sentence for the member. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** One file: its description, who sent it, how much of it is here. */
    private static final class Stored {
        final FileRef ref;
        /** Who uploaded it: its member key where it has one, else its nickname ({@link #identity}). */
        final String uploader;
        /** The uploader's nickname then: with {@code to}, who may download a file of a direct conversation. */
        final String uploaderNick;

        final String uploadId;
        final String to;
        final byte[] hashes;
        long have;
        boolean complete;
        MessageDigest whole;
        /** While an upload is partial: its data and hashes, open until it completes, is cancelled or deleted. */
        FileChannel data;

        FileChannel hashFile;

        Stored(FileRef ref, String uploader, String uploaderNick, String uploadId, String to) {
            this.ref = ref;
            this.uploader = uploader;
            this.uploaderNick = uploaderNick;
            this.uploadId = uploadId;
            this.to = to;
            this.hashes = new byte[Math.toIntExact(ref.chunks() * 32)];
        }
    }

    private HostFiles(Path dir, boolean temporary, long maxFileSize, long quota) throws IOException {
        this.dir = dir;
        this.store = Files.getFileStore(dir); // looked up once: finding it reads the mount table
        this.temporary = temporary;
        this.maxFileSize = maxFileSize;
        this.quota = quota;
    }

    /**
     * The files kept in {@code dir} (created if missing), or in a temporary folder deleted at
     * {@link #close} for {@code dir == null} (a room kept in memory only).
     */
    static HostFiles open(Path dir, long maxFileSize, long quota) throws IOException {
        boolean temporary = dir == null;
        Path d = temporary ? Files.createTempDirectory("confab-files-") : Files.createDirectories(dir);
        HostFiles f = new HostFiles(d, temporary, maxFileSize, quota);
        f.load();
        return f;
    }

    /** Who a member is to its uploads: its member key (stable across renames) or else its nickname. */
    static String identity(String memberKey, String nick) {
        return memberKey != null ? "key:" + memberKey : "nick:" + nick;
    }

    /** False when the host does not take files (its maximum size is 0). */
    boolean enabled() {
        return maxFileSize > 0;
    }

    /**
     * An upload offer from member {@code uploader}: a new file, or the one an earlier offer with the
     * same upload id, name, size and hash began (then {@code have} says how many chunks are here).
     */
    synchronized Message.FileAccepted offer(String uploader, String nick, Message.FileOffer o) throws Refused {
        if (!enabled()) {
            throw new Refused("This room's host does not take files.");
        }
        if (FileNames.safeRelativePath(o.name()).isEmpty()) {
            throw new Refused("The file's name is not acceptable (empty, absolute, or climbing out of its folder).");
        }
        if (o.size() < 0 || o.size() > maxFileSize) {
            throw new Refused(
                    "The file is too big: this host takes files up to " + FileRef.humanSize(maxFileSize) + ".");
        }
        Stored earlier = byUpload.get(uploadKey(uploader, o.id()));
        if (earlier != null
                && earlier.ref.sha256().equals(o.sha256())
                && earlier.ref.size() == o.size()
                && earlier.ref.name().equals(o.name())) {
            return new Message.FileAccepted(o.id(), earlier.ref.id(), earlier.have);
        }
        if (earlier != null && !earlier.complete) {
            delete(earlier.ref.id()); // the same upload id for another file: the old partial one is dropped
        }
        if (used + o.size() > quota) {
            throw new Refused("The host has no room for more files (it keeps " + FileRef.humanSize(quota)
                    + " at most); ask the host to remove some.");
        }
        try {
            if (store.getUsableSpace() < o.size() + 64L * 1024 * 1024) {
                throw new Refused("The host's disk is too full for this file.");
            }
        } catch (IOException e) {
            throw new Refused("The host cannot store files: " + e.getMessage());
        }
        FileRef ref;
        try {
            ref = new FileRef(newId(), o.name(), o.size(), o.sha256(), o.mime(), o.chunk());
        } catch (IllegalArgumentException e) {
            throw new Refused("The offer is not valid: " + e.getMessage() + ".");
        }
        Stored s = new Stored(ref, uploader, nick, o.id(), o.to());
        s.whole = sha256();
        try {
            if (ref.chunks() > 1) {
                // kept for a resume after a restart of the host; a file of one chunk has nothing to
                // resume and is described when it is complete (one write less per small file)
                writeMeta(s);
            }
        } catch (IOException e) {
            throw new Refused("The host cannot store the file: " + e.getMessage());
        }
        put(s);
        try {
            complete(s); // an empty file is complete at once
        } catch (Refused r) {
            delete(ref.id());
            throw r;
        }
        return new Message.FileAccepted(o.id(), ref.id(), s.have);
    }

    /**
     * The next chunk of an upload. Returns the chunks now held; a chunk already held is ignored (a
     * resend after a drop). Refused: not this member's upload, out of order, not intact, the wrong
     * length, or the whole file's hash is not the one offered (the upload is then started over).
     */
    synchronized long chunk(String uploader, FileChunk c) throws Refused {
        Stored s = files.get(c.file());
        if (s == null || !s.uploader.equals(uploader)) {
            throw new Refused("No upload " + c.file() + " of yours here.");
        }
        if (s.complete || c.index() < s.have) {
            return s.have;
        }
        if (c.index() > s.have) {
            throw new Refused("Chunk " + c.index() + " came before chunk " + s.have + ".");
        }
        if (c.data().length != s.ref.chunkLength(c.index()) || !c.intact()) {
            throw new Refused("Chunk " + c.index() + " was damaged; send it again.");
        }
        try {
            if (s.data == null) {
                s.data = FileChannel.open(
                        dir.resolve(s.ref.id() + ".data"), StandardOpenOption.WRITE, StandardOpenOption.CREATE);
                if (s.ref.chunks() > 1) { // a one-chunk file's hash goes into its description
                    s.hashFile = FileChannel.open(
                            dir.resolve(s.ref.id() + ".hashes"), StandardOpenOption.WRITE, StandardOpenOption.CREATE);
                }
            }
            s.data.write(ByteBuffer.wrap(c.data()), c.index() * s.ref.chunkSize());
            if (s.hashFile != null) {
                s.hashFile.write(ByteBuffer.wrap(c.sha256()), c.index() * 32);
            }
        } catch (IOException e) {
            throw new Refused("The host could not write the file: " + e.getMessage());
        }
        System.arraycopy(c.sha256(), 0, s.hashes, (int) (c.index() * 32), 32);
        s.whole.update(c.data());
        s.have++;
        complete(s);
        return s.have;
    }

    /** Marks an upload whose chunks are all here complete, if its whole hash is the offered one; else starts it over. */
    private void complete(Stored s) throws Refused {
        if (s.have < s.ref.chunks() || s.complete) {
            return;
        }
        String got = Base64.getUrlEncoder().withoutPadding().encodeToString(s.whole.digest());
        closeData(s);
        if (!got.equals(s.ref.sha256())) {
            s.have = 0;
            s.whole = sha256();
            throw new Refused("The file's SHA-256 is not the one offered; the upload starts over.");
        }
        s.complete = true;
        try {
            writeMeta(s);
        } catch (IOException e) {
            throw new Refused("The host could not write the file: " + e.getMessage());
        }
    }

    /**
     * The file {@code uploader} finished uploading for the conversation {@code to} (null: the room),
     * to be shared in a message. A folder's list (§18.4) is read and checked first: every file it
     * names is here, complete, uploaded by the same member for the same conversation, with the size
     * and hash the list gives, and every path in it stays inside the folder.
     */
    synchronized FileRef shareable(String fileId, String uploader, String to) throws Refused {
        Stored s = files.get(fileId);
        if (s == null) {
            throw new Refused(
                    deleted.contains(fileId)
                            ? "This file is no longer on the host: its message was deleted."
                            : "The host does not have this file; offer it again.");
        }
        if (!s.uploader.equals(uploader)) {
            throw new Refused("This file was uploaded by another member: share your own copy.");
        }
        if (!Objects.equals(s.to, to)) {
            throw new Refused("This file was uploaded for another conversation: share it again here.");
        }
        if (!s.complete) {
            throw new Refused("The host holds " + s.have + " of the file's " + s.ref.chunks()
                    + " chunks: offer it again to send the rest.");
        }
        if (!s.ref.folder()) {
            return s.ref;
        }
        if (!folders.containsKey(fileId)) {
            folders.put(fileId, checkFolder(s));
        }
        long total = 0;
        for (String id : folders.get(fileId)) {
            total += files.get(id).ref.size();
        }
        return s.ref.withTotal(total); // the folder's message tells its size (its list's own is not worth telling)
    }

    /** The ids of the files a folder's list names, each checked against what is stored (see {@link #shareable}). */
    private List<String> checkFolder(Stored list) throws Refused {
        FolderManifest m;
        try (FileChannel ch = FileChannel.open(dir.resolve(list.ref.id() + ".data"), StandardOpenOption.READ)) {
            if (list.ref.size() > FolderManifest.MAX_BYTES) {
                throw new Refused("The folder's list is too long.");
            }
            byte[] json = new byte[(int) list.ref.size()];
            if (!readFully(ch, json, 0)) {
                throw new Refused("The folder's list is damaged on the host.");
            }
            m = FolderManifest.decode(json);
        } catch (IOException e) {
            throw new Refused("The host could not read the folder's list: " + e.getMessage());
        } catch (ProtocolException e) {
            throw new Refused(e.getMessage());
        }
        List<String> ids = new ArrayList<>(m.files().size());
        for (FolderManifest.Entry e : m.files()) {
            Stored f = files.get(e.file());
            if (f == null
                    || !f.complete
                    || !f.uploader.equals(list.uploader)
                    || !Objects.equals(f.to, list.to)
                    || f.ref.size() != e.size()
                    || !f.ref.sha256().equals(e.sha256())
                    || f.ref.chunkSize() != m.chunk()) {
                throw new Refused("The folder names " + e.path() + ", which is not uploaded whole to this host.");
            }
            ids.add(e.file());
        }
        return List.copyOf(ids);
    }

    /** Drops an upload its uploader cancelled before it was complete (a complete file stays: it may be shared). */
    synchronized void cancelUpload(String uploader, String fileId) {
        Stored s = files.get(fileId);
        if (s != null && !s.complete && s.uploader.equals(uploader)) {
            delete(fileId);
        }
    }

    /**
     * A complete file member {@code nick} may download: one shared in the room, or in a direct
     * conversation {@code nick} is part of.
     */
    synchronized FileRef downloadable(String fileId, String nick) throws Refused {
        Stored s = files.get(fileId);
        if (s == null && deleted.contains(fileId)) {
            throw new Refused("This file is no longer shared: its message was deleted.");
        }
        if (s == null || !s.complete || (s.to != null && !s.to.equals(nick) && !s.uploaderNick.equals(nick))) {
            throw new Refused("The host does not have this file (any more).");
        }
        return s.ref;
    }

    /** The data of a complete file, to read its chunks from ({@link #read}); the caller closes it. */
    FileChannel openForReading(FileRef ref) throws IOException {
        return FileChannel.open(dir.resolve(ref.id() + ".data"), StandardOpenOption.READ);
    }

    /**
     * The frame of chunk {@code index} of a complete file (§18.3), its data read from {@code ch}
     * ({@link #openForReading}) straight into the frame, with the hash its sender gave.
     */
    byte[] readFrame(FileRef ref, FileChannel ch, long index) throws IOException {
        byte[] hash;
        synchronized (this) {
            Stored s = files.get(ref.id());
            if (s == null || !s.complete) {
                throw new IOException(
                        deleted.contains(ref.id()) ? "its message was deleted" : "file " + ref.id() + " is gone");
            }
            hash = Arrays.copyOfRange(s.hashes, (int) (index * 32), (int) (index * 32) + 32);
        }
        byte[] frame = FileChunk.frame(FileChunk.DOWNLOAD, ref.id(), index, hash, ref.chunkLength(index));
        int at = FileChunk.dataOffset(ref.id());
        if (!readFully(ch, frame, at, frame.length - at, index * ref.chunkSize())) {
            throw new IOException("file " + ref.id() + " is shorter than it should be");
        }
        return frame;
    }

    /** Forgets a file and deletes it; a shared folder's files with it. */
    synchronized void delete(String fileId) {
        List<String> named = folders.remove(fileId);
        if (named != null) {
            named.forEach(this::delete);
        }
        Stored s = files.remove(fileId);
        if (s != null) {
            byUpload.remove(uploadKey(s.uploader, s.uploadId), s);
            used -= s.ref.size();
            closeData(s);
            for (String ext : List.of(".data", ".hashes", ".meta")) {
                try {
                    Files.deleteIfExists(dir.resolve(fileId + ext));
                } catch (IOException e) {
                    // left behind: it is no longer offered
                }
            }
        }
    }

    /** Deletes the file a deleted message shared (and a folder's files): a member asking for it later is told why. */
    synchronized void deleteShared(String fileId) {
        List<String> named = folders.getOrDefault(fileId, List.of());
        delete(fileId);
        try {
            StringBuilder b = new StringBuilder(fileId).append('\n');
            named.forEach(id -> b.append(id).append('\n'));
            Files.writeString(
                    dir.resolve(DELETED),
                    b,
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // only the sentence a late asker reads is the plainer one
        }
        deleted.add(fileId);
        deleted.addAll(named);
    }

    /**
     * When each kept file, partial uploads too, was last written: the time of its description on
     * disk (written at the offer and again when the upload completed). {@link FileRetention} reads it.
     */
    synchronized Map<String, Instant> lastWritten() {
        Map<String, Instant> out = new HashMap<>();
        for (String id : files.keySet()) {
            try {
                out.put(id, Files.getLastModifiedTime(dir.resolve(id + ".meta")).toInstant());
            } catch (IOException e) {
                out.put(id, Instant.EPOCH); // its description is gone: nothing to keep it for
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        files.values().forEach(HostFiles::closeData);
        files.clear();
        if (temporary) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a temporary folder the OS cleans up
            }
        }
    }

    // ------------------------------------------------------------------ on disk

    private void writeMeta(Stored s) throws IOException {
        Properties p = new Properties();
        p.setProperty("id", s.ref.id());
        p.setProperty("name", s.ref.name());
        p.setProperty("size", Long.toString(s.ref.size()));
        p.setProperty("sha256", s.ref.sha256());
        p.setProperty("mime", s.ref.mime());
        p.setProperty("chunk", Integer.toString(s.ref.chunkSize()));
        p.setProperty("uploader", s.uploader);
        p.setProperty("uploaderNick", s.uploaderNick);
        p.setProperty("upload", s.uploadId);
        if (s.to != null) {
            p.setProperty("to", s.to);
        }
        p.setProperty("complete", Boolean.toString(s.complete));
        if (s.ref.chunks() == 1) {
            p.setProperty("hashes", Base64.getUrlEncoder().withoutPadding().encodeToString(s.hashes));
        }
        Path tmp = dir.resolve(s.ref.id() + ".meta.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "Confab shared file");
        }
        Files.move(
                tmp,
                dir.resolve(s.ref.id() + ".meta"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads what an earlier run left: complete files as they are, partial ones checked chunk by chunk. */
    private void load() throws IOException {
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*.meta")) {
            for (Path m : metas) {
                try {
                    Stored s = readMeta(m);
                    put(s);
                    try {
                        complete(s); // every chunk was here, intact, before the description said so
                    } catch (Refused r) {
                        // not the offered file after all: it starts over (complete set have to 0)
                    }
                } catch (IOException | RuntimeException e) {
                    // a damaged description: that file is not offered
                }
            }
        }
        for (Stored s : List.copyOf(files.values())) {
            if (s.complete && s.ref.folder()) {
                try {
                    folders.put(s.ref.id(), checkFolder(s));
                } catch (Refused r) {
                    // a list that was never shared (or whose files are gone): it names nothing
                }
            }
        }
        Path gone = dir.resolve(DELETED);
        if (Files.exists(gone)) {
            for (String id : Files.readAllLines(gone, StandardCharsets.US_ASCII)) {
                if (!id.isBlank()) {
                    deleted.add(id.strip());
                }
            }
        }
    }

    private void put(Stored s) {
        files.put(s.ref.id(), s);
        byUpload.put(uploadKey(s.uploader, s.uploadId), s);
        used += s.ref.size();
    }

    private static String uploadKey(String uploader, String uploadId) {
        return uploader + "\u0000" + uploadId;
    }

    private Stored readMeta(Path m) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(m)) {
            p.load(in);
        }
        FileRef ref = new FileRef(
                p.getProperty("id"),
                p.getProperty("name"),
                Long.parseLong(p.getProperty("size")),
                p.getProperty("sha256"),
                p.getProperty("mime"),
                Integer.parseInt(p.getProperty("chunk")));
        Stored s = new Stored(
                ref,
                p.getProperty("uploader"),
                p.getProperty("uploaderNick"),
                p.getProperty("upload"),
                p.getProperty("to"));
        Path hashFile = dir.resolve(ref.id() + ".hashes");
        String inMeta = p.getProperty("hashes");
        byte[] hashes = inMeta != null
                ? Base64.getUrlDecoder().decode(inMeta)
                : Files.exists(hashFile) ? Files.readAllBytes(hashFile) : new byte[0];
        System.arraycopy(hashes, 0, s.hashes, 0, Math.min(hashes.length, s.hashes.length));
        s.complete = Boolean.parseBoolean(p.getProperty("complete"));
        if (s.complete) {
            s.have = ref.chunks();
            return s;
        }
        s.whole = sha256();
        if (!Files.exists(dir.resolve(ref.id() + ".data"))) {
            return s; // offered, no chunk yet
        }
        // a partial upload: keep the chunks that are intact, in order, and the running hash over them
        try (FileChannel ch = FileChannel.open(dir.resolve(ref.id() + ".data"), StandardOpenOption.READ)) {
            s.have = intactChunks(ch, ref, s.hashes, s.whole);
        }
        return s;
    }

    /**
     * How many chunks from the start of a partial file {@code ch} match their hashes in
     * {@code hashes} (32 bytes each; a chunk without its hash does not count), each fed to
     * {@code whole} in order: where a resumed transfer continues, never after a damaged chunk.
     */
    static long intactChunks(FileChannel ch, FileRef ref, byte[] hashes, MessageDigest whole) throws IOException {
        long have = 0;
        for (long i = 0; i < ref.chunks() && (i + 1) * 32 <= hashes.length; i++) {
            byte[] data = new byte[ref.chunkLength(i)];
            byte[] expected = Arrays.copyOfRange(hashes, (int) (i * 32), (int) (i * 32) + 32);
            if (!readFully(ch, data, i * ref.chunkSize())
                    || !MessageDigest.isEqual(expected, FileChunk.sha256(data, 0, data.length))) {
                break;
            }
            whole.update(data);
            have = i + 1;
        }
        return have;
    }

    /** Fills {@code data} from {@code at}; false if the file ends first. */
    static boolean readFully(FileChannel ch, byte[] data, long at) throws IOException {
        return readFully(ch, data, 0, data.length, at);
    }

    /** Fills {@code data[off, off+length)} from {@code at} in the file; false if the file ends first. */
    static boolean readFully(FileChannel ch, byte[] data, int off, int length, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data, off, length);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position() - off) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void closeData(Stored s) {
        for (FileChannel ch : new FileChannel[] {s.data, s.hashFile}) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // written already
                }
            }
        }
        s.data = null;
        s.hashFile = null;
    }

    /** A SHA-256 digest (the one hash of §18). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
