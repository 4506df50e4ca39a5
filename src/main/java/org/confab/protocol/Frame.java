package org.confab.protocol;

import java.util.Objects;

/**
 * One frame on the wire: a 5-byte header, then the payload.
 * <pre>
 *   offset 0  u32 big-endian  payload length in bytes (not counting the header)
 *   offset 4  u8              kind: 1 = JSON (UTF-8 text), 2 = binary (reserved for file chunks)
 *   offset 5  payload
 * </pre>
 */
public record Frame(Kind kind, byte[] payload) {
    public static final int HEADER_BYTES = 5;
    /** Default maximum payload length: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

    /** What the payload holds. */
    public enum Kind {
        JSON(1),
        BINARY(2);

        private final int wire;

        Kind(int wire) {
            this.wire = wire;
        }

        public int wire() {
            return wire;
        }

        static Kind fromWire(int b) {
            return switch (b) {
                case 1 -> JSON;
                case 2 -> BINARY;
                default -> null;
            };
        }
    }

    public Frame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    /** Header and payload as one array, ready to write. */
    public byte[] encode() {
        byte[] out = new byte[HEADER_BYTES + payload.length];
        writeHeader(out, kind);
        System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
        return out;
    }

    /** Fills in the header of {@code frame}, whose payload is everything after it. */
    static void writeHeader(byte[] frame, Kind kind) {
        int n = frame.length - HEADER_BYTES;
        frame[0] = (byte) (n >>> 24);
        frame[1] = (byte) (n >>> 16);
        frame[2] = (byte) (n >>> 8);
        frame[3] = (byte) n;
        frame[4] = (byte) kind.wire();
    }
}
