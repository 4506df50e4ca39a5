package org.confab.net.discovery;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.confab.core.Fingerprint;

/**
 * What a host announces about one room, as the DNS-SD TXT record of its {@code _confab._tcp}
 * service (RFC 6763 section 6: length-prefixed {@code key=value} strings). Everything here is
 * visible to anyone on the LAN, and nothing here is a proof: anyone can announce any name, id or
 * fingerprint, so the key is still checked (safety code, known rooms) when joining.
 *
 * <p>Keys: {@code txtvers} (this layout, 1), {@code pv} (wire protocol version), {@code name},
 * {@code id} (the persistent room id), {@code fp} (the room key's SHA-256, base64url; absent for a
 * room without encryption), {@code pw} (1 = password required), {@code n} (members now),
 * {@code nick} (the host person's nickname, if they are a member).
 *
 * @param members members now, or -1 if not announced
 * @param fingerprint null for a room without encryption
 * @param hostNick null if the host person is not a member (a headless host)
 */
public record RoomAd(
        int protocolVersion,
        String roomName,
        String roomId,
        Fingerprint fingerprint,
        boolean passwordRequired,
        int members,
        String hostNick) {
    public static final int TXT_VERSION = 1;
    /** Longest room name shown (code points); longer announced names are cut. */
    public static final int MAX_NAME = 64;

    public static final int MAX_NICK = 32;
    public static final int MAX_ROOM_ID = 64;
    /** Largest TXT record read; a bigger one is read up to here (RFC 6763 suggests under 1300 bytes). */
    public static final int MAX_TXT_BYTES = 4096;

    public static final int MAX_MEMBERS = 1_000_000;

    public RoomAd {
        roomName = PeerText.clean(roomName, MAX_NAME);
        if (roomName.isEmpty()) {
            roomName = "Unnamed room"; // nothing printable was announced
        }
        roomId = roomId == null ? "" : roomId;
        hostNick = hostNick == null ? null : PeerText.clean(hostNick, MAX_NICK);
        if (hostNick != null && hostNick.isEmpty()) {
            hostNick = null;
        }
        members = members < 0 || members > MAX_MEMBERS ? -1 : members;
    }

    public RoomAd withMembers(int n) {
        return new RoomAd(protocolVersion, roomName, roomId, fingerprint, passwordRequired, n, hostNick);
    }

    /** What identifies one room across interfaces and address families: its id and key. */
    public String identity() {
        return roomId + "/" + (fingerprint == null ? "-" : fingerprint.base64url());
    }

    /** The TXT record's key/value pairs, in order. */
    public Map<String, String> txt() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("txtvers", Integer.toString(TXT_VERSION));
        m.put("pv", Integer.toString(protocolVersion));
        m.put("name", roomName);
        m.put("id", roomId);
        if (fingerprint != null) {
            m.put("fp", fingerprint.base64url());
        }
        m.put("pw", passwordRequired ? "1" : "0");
        if (members >= 0) {
            m.put("n", Integer.toString(members));
        }
        if (hostNick != null) {
            m.put("nick", hostNick);
        }
        return m;
    }

    /** The TXT record as bytes on the wire; each string is cut (at a character) to 255 bytes. */
    public byte[] txtBytes() {
        var out = new ByteArrayOutputStream();
        for (var e : txt().entrySet()) {
            byte[] s = fit(e.getKey() + "=" + e.getValue());
            out.write(s.length);
            out.writeBytes(s);
        }
        return out.toByteArray();
    }

    private static byte[] fit(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        String t = s;
        while (b.length > 255) {
            t = t.substring(0, t.offsetByCodePoints(t.length(), -1));
            b = t.getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    /**
     * Reads an announced TXT record. Empty if it is not a Confab room (no {@code id}, an id that is
     * not plain letters, digits, '-' and '_', a {@code txtvers} other than 1). Never throws:
     * truncated strings end the record, invalid UTF-8 becomes nothing, duplicate keys keep the
     * first (RFC 6763 6.4), text is cleaned and bounded ({@link PeerText}).
     */
    public static Optional<RoomAd> parse(byte[] txt) {
        if (txt == null) {
            return Optional.empty();
        }
        Map<String, String> m = new LinkedHashMap<>();
        int end = Math.min(txt.length, MAX_TXT_BYTES);
        int i = 0;
        while (i < end) {
            int len = txt[i++] & 0xFF;
            if (len == 0) {
                continue;
            }
            if (i + len > end) {
                break;
            }
            String s = utf8(txt, i, len);
            i += len;
            int eq = s.indexOf('=');
            String key = (eq < 0 ? s : s.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (!key.isEmpty() && !m.containsKey(key) && m.size() < 32) {
                m.put(key, eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return of(m);
    }

    /** Reads the key/value form (what a DNS-SD library hands over, or a test). */
    static Optional<RoomAd> of(Map<String, String> m) {
        String vers = m.getOrDefault("txtvers", "1");
        String id = m.get("id");
        if (!vers.equals("1") || id == null || id.isEmpty() || id.length() > MAX_ROOM_ID) {
            return Optional.empty();
        }
        if (!id.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
            return Optional.empty();
        }
        Fingerprint fp = null;
        if (m.containsKey("fp")) {
            Optional<Fingerprint> parsed = Fingerprint.parse(m.get("fp"));
            if (parsed.isEmpty()) {
                return Optional.empty(); // a key that is not a key: not shown at all
            }
            fp = parsed.get();
        }
        String name = m.getOrDefault("name", "");
        return Optional.of(new RoomAd(
                number(m.get("pv"), 0), name, id, fp, "1".equals(m.get("pw")), number(m.get("n"), -1), m.get("nick")));
    }

    private static int number(String s, int otherwise) {
        if (s == null || s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return otherwise;
        }
        return Integer.parseInt(s);
    }

    private static String utf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return ""; // not reached with REPLACE
        }
    }
}
