package org.confab.core;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file shared in a room or a direct conversation, as a message carries it (docs/protocol.md §18):
 * the host's id for the stored file, the sender's name for it (a relative path inside a shared
 * folder, {@code /}-separated; made safe by {@link FileNames} before anything is written), its size
 * in bytes, its SHA-256 (base64url, no padding), its media type as the sender guessed it, and the
 * chunk size it travels in (each chunk carries its own SHA-256). {@code thumb}: for an image, a small
 * preview the sender made (a PNG or JPEG, base64url without padding, at most {@link #MAX_THUMB}
 * characters), or null. A receiver decodes it only within its own bounds: it is peer data.
 * {@code total}: for a shared folder, the bytes of all its files as the host counted them from its
 * list ({@link #size} is the list's own), or -1 where not known (a file, or an older host).
 */
public record FileRef(
        String id, String name, long size, String sha256, String mime, int chunkSize, String thumb, long total) {
    /** Largest preview: 64 KiB of base64url (48 KiB of image). */
    public static final int MAX_THUMB = 64 * 1024;

    /** Largest chunk: a chunk and its header fit a 1 MiB frame. */
    public static final int MAX_CHUNK = 512 * 1024;
    /** The chunk size this code sends in. */
    public static final int DEFAULT_CHUNK = 256 * 1024;
    /** The media type of a shared folder's list of files (docs/protocol.md §18.4). */
    public static final String FOLDER_MIME = "application/vnd.confab.folder+json";

    private static final Pattern SHA256 = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

    /** A file without a preview. */
    public FileRef(String id, String name, long size, String sha256, String mime, int chunkSize) {
        this(id, name, size, sha256, mime, chunkSize, null, -1);
    }

    /** A file with a preview (or null), no folder total. */
    public FileRef(String id, String name, long size, String sha256, String mime, int chunkSize, String thumb) {
        this(id, name, size, sha256, mime, chunkSize, thumb, -1);
    }

    public FileRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        mime = mime == null || mime.isBlank() ? "application/octet-stream" : mime;
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad file id");
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 43 base64url characters");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        total = total < 0 ? -1 : total;
        if (chunkSize < 1024 || chunkSize > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk size out of range");
        }
        thumb = thumb == null || thumb.isEmpty() ? null : thumb;
        if (thumb != null && !validThumb(thumb)) {
            throw new IllegalArgumentException("thumb must be at most " + MAX_THUMB + " base64url characters");
        }
    }

    /** True if {@code thumb} may travel as a preview: base64url, at most {@link #MAX_THUMB} characters. */
    public static boolean validThumb(String thumb) {
        return thumb.length() <= MAX_THUMB && BASE64URL.matcher(thumb).matches();
    }

    /** The same file with {@code preview} (null: none). */
    public FileRef withThumb(String preview) {
        return new FileRef(id, name, size, sha256, mime, chunkSize, preview, total);
    }

    /** The same folder with the bytes of all its files ({@link #total}). */
    public FileRef withTotal(long bytes) {
        return new FileRef(id, name, size, sha256, mime, chunkSize, thumb, bytes);
    }

    /** What sharing it sends: a file's size, a folder's {@link #total} (-1 if not known). */
    public long contentSize() {
        return folder() ? total : size;
    }

    /** How many chunks the file travels in (0 for an empty file). */
    public long chunks() {
        return (size + chunkSize - 1) / chunkSize;
    }

    /** The length of chunk {@code index}: the chunk size, less for the last one. */
    public int chunkLength(long index) {
        if (index < 0 || index >= chunks()) {
            throw new IllegalArgumentException("no chunk " + index);
        }
        return (int) Math.min(chunkSize, size - index * chunkSize);
    }

    /** A size as people read it: {@code 512 bytes}, {@code 1.2 KB}, {@code 3.4 MB}, {@code 1.1 GB} (powers of 1000, as file managers show). */
    public static String humanSize(long bytes) {
        if (bytes < 1000) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = -1;
        while (v >= 999.95 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    /** The last element of the name (a file inside a shared folder has a path). */
    public String fileName() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }

    /** True for a shared folder: this file is the folder's list of files, its name the folder's name. */
    public boolean folder() {
        return FOLDER_MIME.equals(mime);
    }

    /** True for an image a receiver may show inline (the sender's media type says so). */
    public boolean image() {
        return mime.startsWith("image/");
    }
}
