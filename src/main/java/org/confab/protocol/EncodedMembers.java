package org.confab.protocol;

import com.fasterxml.jackson.core.SerializableString;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A welcome's {@code members} array kept encoded as the room changes: a join appends one string,
 * a leave or a rename has it rebuilt ({@link #reset}). The welcome to the 10,000th member then
 * copies bytes instead of encoding 10,000 strings ({@link JsonCodec#encodeFrame(Message.Welcome,
 * EncodedMembers)}); the bytes are the same as {@link JsonCodec#encodeFrame(Message)} writes. Not
 * thread-safe: the host's room lock guards it.
 */
public final class EncodedMembers {
    /** {@code [} and the strings so far, without the closing {@code ]}. */
    private byte[] json = new byte[256];

    private int length;
    private int count;

    public EncodedMembers() {
        reset(List.of());
    }

    /** From now on the list is {@code members}, in this order. */
    public void reset(List<String> members) {
        length = 0;
        count = 0;
        put(new byte[] {'['});
        members.forEach(this::add);
    }

    /** {@code nick} joined: it is last now. */
    public void add(String nick) {
        if (count > 0) {
            put(new byte[] {','});
        }
        put(JsonCodec.quoted(nick));
        count++;
    }

    /** How many members the list holds. */
    public int count() {
        return count;
    }

    private void put(byte[] bytes) {
        if (length + bytes.length + 1 > json.length) {
            json = Arrays.copyOf(json, Math.max(json.length * 2, length + bytes.length + 1));
        }
        System.arraycopy(bytes, 0, json, length, bytes.length);
        length += bytes.length;
    }

    /** The array as raw JSON for a generator's {@code writeRawValue}: only its UTF-8 forms are used. */
    SerializableString raw() {
        json[length] = ']';
        int size = length + 1;
        return new SerializableString() {
            @Override
            public String getValue() {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int charLength() {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public char[] asQuotedChars() {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public byte[] asUnquotedUTF8() {
                return Arrays.copyOf(json, size);
            }

            @Override
            public byte[] asQuotedUTF8() {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int appendQuotedUTF8(byte[] buffer, int offset) {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int appendQuoted(char[] buffer, int offset) {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int appendUnquotedUTF8(byte[] buffer, int offset) {
                if (buffer.length - offset < size) {
                    return -1;
                }
                System.arraycopy(json, 0, buffer, offset, size);
                return size;
            }

            @Override
            public int appendUnquoted(char[] buffer, int offset) {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int writeQuotedUTF8(OutputStream out) {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int writeUnquotedUTF8(OutputStream out) {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int putQuotedUTF8(ByteBuffer buffer) {
                throw new UnsupportedOperationException("raw bytes only");
            }

            @Override
            public int putUnquotedUTF8(ByteBuffer buffer) {
                throw new UnsupportedOperationException("raw bytes only");
            }
        };
    }
}
