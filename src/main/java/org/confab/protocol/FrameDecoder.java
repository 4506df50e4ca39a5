package org.confab.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental frame decoder: feed it whatever a read returned (half a header, three frames and a
 * bit) and it hands back every complete frame, in order. Lengths are checked against the maximum
 * before anything is allocated. Not thread-safe: one decoder per connection.
 */
public final class FrameDecoder {
    private final int maxPayload;
    private final byte[] header = new byte[Frame.HEADER_BYTES];
    private int headerFill;
    private byte[] payload;
    private Frame.Kind kind;
    private int payloadFill;
    private boolean failed;

    public FrameDecoder(int maxPayload) {
        if (maxPayload < 1) {
            throw new IllegalArgumentException("maxPayload must be positive");
        }
        this.maxPayload = maxPayload;
    }

    public FrameDecoder() {
        this(Frame.DEFAULT_MAX_PAYLOAD);
    }

    /** Decodes what it can from {@code data[off, off+len)}; keeps the rest for the next call. */
    public List<Frame> feed(byte[] data, int off, int len) throws ProtocolException {
        if (failed) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "decoder already failed on this connection");
        }
        if (off < 0 || len < 0 || off + len > data.length) {
            throw new IndexOutOfBoundsException();
        }
        List<Frame> out = List.of();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (payload == null) {
                int take = Math.min(Frame.HEADER_BYTES - headerFill, end - pos);
                System.arraycopy(data, pos, header, headerFill, take);
                headerFill += take;
                pos += take;
                if (headerFill < Frame.HEADER_BYTES) {
                    break;
                }
                startPayload();
            }
            int take = Math.min(payload.length - payloadFill, end - pos);
            System.arraycopy(data, pos, payload, payloadFill, take);
            payloadFill += take;
            pos += take;
            if (payloadFill == payload.length) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(4);
                }
                out.add(new Frame(kind, payload));
                payload = null;
                headerFill = 0;
                payloadFill = 0;
            }
        }
        return out;
    }

    public List<Frame> feed(byte[] data) throws ProtocolException {
        return feed(data, 0, data.length);
    }

    /**
     * Bytes of the current frame's payload still to come (0 between frames). A reader may read up
     * to that many straight into {@link #payloadBuffer} at {@link #payloadOffset} (a big frame, a
     * file chunk, then skips the copy through its read buffer) and report them with {@link #filled}.
     */
    public int missing() {
        return payload == null ? 0 : payload.length - payloadFill;
    }

    /** The current frame's payload, being filled ({@link #missing}). */
    public byte[] payloadBuffer() {
        return payload;
    }

    /** Where the next byte of the current payload goes in {@link #payloadBuffer}. */
    public int payloadOffset() {
        return payloadFill;
    }

    /** {@code n} bytes were read into the payload ({@link #missing}): the frame if that completed it, else null. */
    public Frame filled(int n) {
        if (payload == null || n < 0 || n > payload.length - payloadFill) {
            throw new IllegalStateException("filled " + n + " bytes of a payload that has room for " + missing());
        }
        payloadFill += n;
        if (payloadFill < payload.length) {
            return null;
        }
        Frame f = new Frame(kind, payload);
        payload = null;
        headerFill = 0;
        payloadFill = 0;
        return f;
    }

    /** True if a frame has started but not finished (useful to tell a clean EOF from a cut one). */
    public boolean midFrame() {
        return headerFill > 0 || payload != null;
    }

    private void startPayload() throws ProtocolException {
        long length = ((header[0] & 0xFFL) << 24)
                | ((header[1] & 0xFFL) << 16)
                | ((header[2] & 0xFFL) << 8)
                | (header[3] & 0xFFL);
        int kindByte = header[4] & 0xFF;
        if (length > Integer.MAX_VALUE) {
            failed = true;
            throw new ProtocolException(
                    ErrorCode.BAD_FRAME,
                    "Frame length " + length + " is negative as a signed 32-bit number; not a Confab frame.");
        }
        if (length > maxPayload) {
            failed = true;
            throw new ProtocolException(
                    ErrorCode.FRAME_TOO_LARGE,
                    "Frame of " + length + " bytes exceeds the maximum of " + maxPayload + " bytes.");
        }
        if (length == 0) {
            failed = true;
            throw new ProtocolException(ErrorCode.BAD_FRAME, "Frame with an empty payload.");
        }
        kind = Frame.Kind.fromWire(kindByte);
        if (kind == null) {
            failed = true;
            throw new ProtocolException(
                    ErrorCode.BAD_FRAME,
                    "Unknown frame kind " + kindByte + " (header " + Arrays.toString(header) + ").");
        }
        payload = new byte[(int) length];
        payloadFill = 0;
    }
}
