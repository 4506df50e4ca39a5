package org.confab.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.confab.core.FileRef;

/**
 * One chunk of a file in a binary frame (kind 2, docs/protocol.md §18.3):
 * <pre>
 *   offset 0      u8              op: 1 = upload (client → host), 2 = download (host → client)
 *   offset 1      u8              n: length of the file id (1..64, ASCII)
 *   offset 2      n bytes         the file id
 *   offset 2+n    u32 big-endian  chunk index (0 = the first)
 *   offset 6+n    32 bytes        SHA-256 of the data
 *   offset 38+n   the data        1 .. {@link FileRef#MAX_CHUNK} bytes
 * </pre>
 * Decoding checks the layout only; {@link #intact()} checks the data against its hash, and the
 * receiver checks index and length against the file it expects.
 */
public record FileChunk(int op, String file, long index, byte[] sha256, byte[] data) {
    public static final int UPLOAD = 1;
    public static final int DOWNLOAD = 2;
    private static final int HASH = 32;

    public FileChunk {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(data, "data");
        if (op != UPLOAD && op != DOWNLOAD) {
            throw new IllegalArgumentException("op " + op);
        }
        if (index < 0 || index > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("index " + index);
        }
    }

    /** A chunk of {@code data} with its hash computed here. */
    public static FileChunk of(int op, String file, long index, byte[] data) {
        return new FileChunk(op, file, index, sha256(data, 0, data.length), data);
    }

    /** True if the data's SHA-256 is the one the chunk carries. */
    public boolean intact() {
        return MessageDigest.isEqual(sha256, sha256(data, 0, data.length));
    }

    /** The whole frame (header and payload), ready to write. */
    public byte[] encodeFrame() {
        byte[] out = frame(op, file, index, sha256, data.length);
        System.arraycopy(data, 0, out, dataOffset(file), data.length);
        return out;
    }

    /**
     * The frame of a chunk of {@code length} bytes whose data the caller writes into it at {@link
     * #dataOffset} (read from a file straight into the frame: no copy of the data), with
     * {@code sha256} in its place, or zeros there for {@link #seal} to fill once the data is in.
     */
    public static byte[] frame(int op, String file, long index, byte[] sha256, int length) {
        byte[] id = file.getBytes(StandardCharsets.US_ASCII);
        int payload = 2 + id.length + 4 + HASH + length;
        byte[] out = new byte[Frame.HEADER_BYTES + payload];
        int at = Frame.HEADER_BYTES;
        out[at++] = (byte) op;
        out[at++] = (byte) id.length;
        System.arraycopy(id, 0, out, at, id.length);
        at += id.length;
        out[at++] = (byte) (index >>> 24);
        out[at++] = (byte) (index >>> 16);
        out[at++] = (byte) (index >>> 8);
        out[at++] = (byte) index;
        if (sha256 != null) {
            System.arraycopy(sha256, 0, out, at, HASH);
        }
        Frame.writeHeader(out, Frame.Kind.BINARY);
        return out;
    }

    /** Where the data starts in a chunk's frame for {@code file} ({@link #frame}). */
    public static int dataOffset(String file) {
        return Frame.HEADER_BYTES + 2 + file.length() + 4 + HASH;
    }

    /** Writes the SHA-256 of the data in {@code frame} ({@link #frame}) into its place; returns it. */
    public static byte[] seal(byte[] frame, String file) {
        int data = dataOffset(file);
        byte[] hash = sha256(frame, data, frame.length - data);
        System.arraycopy(hash, 0, frame, data - HASH, HASH);
        return hash;
    }

    /** Reads a binary frame's payload; a payload that is not a chunk is a {@code bad-frame} error. */
    public static FileChunk decode(byte[] p) throws ProtocolException {
        if (p.length < 2 + 1 + 4 + HASH + 1) {
            throw bad("too short for a file chunk");
        }
        int op = p[0] & 0xFF;
        if (op != UPLOAD && op != DOWNLOAD) {
            throw bad("unknown operation " + op);
        }
        int n = p[1] & 0xFF;
        if (n < 1 || n > 64 || p.length < 2 + n + 4 + HASH + 1) {
            throw bad("file id length " + n + " does not fit");
        }
        for (int i = 2; i < 2 + n; i++) {
            int c = p[i];
            boolean ok = c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_';
            if (!ok) {
                throw bad("the file id is not base64url");
            }
        }
        String file = new String(p, 2, n, StandardCharsets.US_ASCII);
        int at = 2 + n;
        long index = ((p[at] & 0xFFL) << 24)
                | ((p[at + 1] & 0xFFL) << 16)
                | ((p[at + 2] & 0xFFL) << 8)
                | (p[at + 3] & 0xFFL);
        at += 4;
        byte[] hash = Arrays.copyOfRange(p, at, at + HASH);
        at += HASH;
        if (p.length - at > FileRef.MAX_CHUNK) {
            throw bad("chunk longer than " + FileRef.MAX_CHUNK + " bytes");
        }
        return new FileChunk(op, file, index, hash, Arrays.copyOfRange(p, at, p.length));
    }

    /** SHA-256 of part of an array. */
    public static byte[] sha256(byte[] b, int from, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b, from, length);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static ProtocolException bad(String why) {
        return new ProtocolException(ErrorCode.BAD_FRAME, "Binary frame: " + why + ".");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileChunk c
                && c.op == op
                && c.file.equals(file)
                && c.index == index
                && Arrays.equals(c.sha256, sha256)
                && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, file, index, Arrays.hashCode(sha256), data.length);
    }

    @Override
    public String toString() {
        return "FileChunk[op=" + op + ", file=" + file + ", index=" + index + ", " + data.length + " bytes]";
    }
}
