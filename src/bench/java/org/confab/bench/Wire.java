package org.confab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * What a raw load client speaks to one kind of server (issue 18's peers): how it joins the one
 * room, how it knows the join is confirmed, how it sends a 128 B text, and how the bytes it
 * receives split into units, of which the relayed chat messages are counted. Nothing is decoded
 * beyond that: the load client stays as cheap for every server as {@link RawMember} is for Confab.
 *
 * <ul>
 *   <li>{@link #CONFAB}: the 5-byte frame header, a pre-encoded {@code hello}, confirmed by the
 *       {@code welcome} frame; counts {@code message} frames; a {@code pong} every 5 s keeps idle
 *       members past the host's idle timeout. Echoes every message to its sender.
 *   <li>{@link #FLOOR}: the floor relay ({@link BenchFloor}): the same frames, no handshake (the
 *       harness waits for the relay's {@code members N} line instead); every frame counts.
 *   <li>{@link #IRC}: {@code NICK}/{@code USER}/{@code JOIN #bench}, confirmed by numeric 366 (end
 *       of NAMES); counts {@code PRIVMSG} lines. IRC does not echo a {@code PRIVMSG} to its sender.
 *   <li>{@link #NATS}: {@code CONNECT}/{@code SUB bench}/{@code PING}, confirmed by the
 *       {@code PONG}; counts {@code MSG}s. NATS echoes to a subscribed sender (no {@code no_echo}).
 * </ul>
 */
enum Wire {
    CONFAB("Confab"),
    FLOOR("floor relay"),
    IRC("InspIRCd"),
    NATS("NATS");

    private static final byte[] PRIVMSG = " PRIVMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MSG = "MSG ".getBytes(StandardCharsets.US_ASCII);

    final String label;

    Wire(String label) {
        this.label = label;
    }

    /** Receives the relayed chat messages a {@link #parse} finds: the message's bytes {@code [from, to)}. */
    interface Sink {
        void message(byte[] b, int from, int to);
    }

    /** Steps of a join: each is sent, then its confirmation awaited; IRC registers first (001), then joins (366). */
    int joinSteps() {
        return this == IRC ? 2 : 1;
    }

    /** What a member sends in join step {@code step}; empty for the floor. */
    byte[] join(String nick, int step) {
        return switch (this) {
            case CONFAB ->
                JsonCodec.encode(new Message.Hello(Message.VERSION, nick, "confab-bench", null, CONFAB_CAPS))
                        .encode();
            case FLOOR -> new byte[0];
            case IRC ->
                ascii(step == 0 ? "NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + "\r\n" : "JOIN #bench\r\n");
            case NATS ->
                ascii("CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":true,\"name\":\"" + nick
                        + "\"}\r\nSUB bench 1\r\nPING\r\n");
        };
    }

    /**
     * What a Confab member names in its hello: what the Java client names that changes what a
     * join costs (§19 batched joins, §20 the lazy member list); {@code -Dbench.confabCaps=none}
     * for a member that names nothing (every join one frame to everyone, the whole list in each
     * welcome). The host decides who hears the joins: a member that joined a room of at most
     * {@code HostConfig.DEFAULT_LAZY_MEMBERS_ABOVE} members hears every later one, as the Java client does.
     */
    static final List<String> CONFAB_CAPS = Arrays.stream(
                    System.getProperty("bench.confabCaps", Message.CAP_BATCH + "," + Message.CAP_LAZY_MEMBERS)
                            .split(","))
            .map(String::strip)
            .filter(c -> !c.isEmpty() && !c.equals("none"))
            .toList();

    /** One chat message with {@code text} as its text (the whole payload for NATS). */
    byte[] message(String text) {
        return switch (this) {
            case CONFAB, FLOOR -> JsonCodec.encode(new Message.Send(text, null)).encode();
            case IRC -> ascii("PRIVMSG #bench :" + text + "\r\n");
            case NATS -> ascii("PUB bench " + text.length() + "\r\n" + text + "\r\n");
        };
    }

    /** What a member sends every few seconds to stay joined while idle, or null. */
    byte[] keepAlive() {
        return this == CONFAB ? RawMember.PONG : null;
    }

    /**
     * Looks for the confirmation of join step {@code step} in {@code b[0, len)} (what a member
     * received since it sent that step's {@link #join}).
     *
     * @return the index just past the confirming unit, or -1 if it has not arrived yet
     * @throws IOException if the server turned the join down
     */
    int confirmed(byte[] b, int len, int step) throws IOException {
        switch (this) {
            case FLOOR:
                return 0;
            case CONFAB: {
                if (len < 5) {
                    return -1;
                }
                int n = frameLength(b, 0);
                if (len < 5 + n) {
                    return -1;
                }
                if (!startsWith(b, 5, 5 + n, RawMember.WELCOME)) {
                    throw new IOException("not welcomed: " + new String(b, 5, Math.min(n, 60), StandardCharsets.UTF_8));
                }
                return 5 + n;
            }
            default: {
                int pos = 0;
                for (int nl; (nl = indexOf(b, pos, len, (byte) '\n')) >= 0; pos = nl + 1) {
                    String line = new String(b, pos, Math.min(nl - pos, 200), StandardCharsets.UTF_8).strip();
                    if (this == IRC) {
                        String[] f = line.split(" ", 4);
                        if (line.startsWith("ERROR") || f.length > 1 && f[1].matches("4[0-9][0-9]|5[0-9][0-9]")) {
                            throw new IOException("InspIRCd turned the join down: " + line);
                        }
                        if (f.length > 1 && f[1].equals(step == 0 ? "001" : "366")) {
                            return nl + 1;
                        }
                    } else {
                        if (line.startsWith("-ERR")) {
                            throw new IOException("NATS turned the join down: " + line);
                        }
                        if (line.equals("PONG")) {
                            return nl + 1;
                        }
                    }
                }
                return -1;
            }
        }
    }

    /**
     * Walks the complete units in {@code b[from, to)}, hands each relayed chat message to {@code
     * sink}, and returns the index of the first byte of an incomplete unit (to be kept for the next
     * read).
     */
    int parse(byte[] b, int from, int to, Sink sink) {
        int pos = from;
        switch (this) {
            case CONFAB, FLOOR -> {
                while (to - pos >= 5) {
                    int n = frameLength(b, pos);
                    if (to - pos < 5 + n) {
                        break;
                    }
                    if (this == FLOOR || startsWith(b, pos + 5, pos + 5 + n, RawMember.MESSAGE)) {
                        sink.message(b, pos + 5, pos + 5 + n);
                    }
                    pos += 5 + n;
                }
            }
            case IRC -> {
                for (int nl; (nl = indexOf(b, pos, to, (byte) '\n')) >= 0; pos = nl + 1) {
                    int sp = indexOf(b, pos, nl, (byte) ' ');
                    if (b[pos] == ':' && sp >= 0 && startsWith(b, sp, nl, PRIVMSG)) {
                        sink.message(b, sp, nl);
                    }
                }
            }
            case NATS -> {
                for (int nl; (nl = indexOf(b, pos, to, (byte) '\n')) >= 0; ) {
                    if (!startsWith(b, pos, nl, MSG)) {
                        pos = nl + 1; // PING, PONG, +OK, INFO
                        continue;
                    }
                    int size = 0; // MSG <subject> <sid> [reply-to] <#bytes>\r\n: the last field
                    int k = nl - 1;
                    while (k > pos && (b[k] < '0' || b[k] > '9')) {
                        k--;
                    }
                    for (int mul = 1; k > pos && b[k] >= '0' && b[k] <= '9'; k--, mul *= 10) {
                        size += (b[k] - '0') * mul;
                    }
                    int end = nl + 1 + size + 2;
                    if (end > to) {
                        break;
                    }
                    sink.message(b, nl + 1, nl + 1 + size);
                    pos = end;
                }
            }
            default -> throw new IllegalStateException();
        }
        return pos;
    }

    /** The send time after {@code ts:} in {@code b[from, to)}, or -1 if there is none. */
    static long sendTime(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == 't' && b[i + 1] == 's' && b[i + 2] == ':') {
                long v = 0;
                int k = i + 3;
                for (; k < to && b[k] >= '0' && b[k] <= '9'; k++) {
                    v = v * 10 + (b[k] - '0');
                }
                return k > i + 3 ? v : -1;
            }
        }
        return -1;
    }

    private static int frameLength(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
