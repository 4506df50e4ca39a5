package org.confab.core;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a room is: a host (name, IPv4 or IPv6 literal), a TCP port and, optionally, the room's
 * key. The one place that reads and writes invitation links
 * ({@code confab://HOST:PORT/?fp=<base64url SHA-256>}, IPv6 as {@code confab://[::1]:4747}) and
 * addresses typed by people ({@code host}, {@code host:port}, {@code [v6]:port}, bare v6); the CLI's
 * {@code HostPort} delegates here. Pure; every parse error is an {@link IllegalArgumentException}
 * whose message is a sentence for the person who typed it. An invalid {@code fp} is an error (a
 * link that names a key must never silently join without it); other query parameters are ignored.
 *
 * @param fingerprint the room key the link pins, or null (then the member is asked on first visit)
 */
public record InviteLink(String host, int port, Fingerprint fingerprint) {
    /** The link scheme, without "://". */
    public static final String SCHEME = "confab";

    private static final String PREFIX = SCHEME + "://";

    /** An address without a pinned key. */
    public InviteLink(String host, int port) {
        this(host, port, null);
    }

    public InviteLink {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Host must not be empty.");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port must be a number between 1 and 65535.");
        }
    }

    /** True if {@code text} starts like an invitation link (case-insensitive scheme). */
    public static boolean looksLikeLink(String text) {
        return text != null && text.strip().toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /** Parses {@code confab://HOST:PORT}, optionally with a trailing "/" and a query ({@code ?fp=...}). */
    public static InviteLink parse(String link) {
        if (!looksLikeLink(link)) {
            throw new IllegalArgumentException(
                    "An invitation link starts with " + PREFIX + ", like " + PREFIX + "192.168.1.20:" + 4747 + ".");
        }
        String rest = link.strip().substring(PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        int cut = indexOfAny(rest, "/#");
        if (cut >= 0) {
            rest = rest.substring(0, cut);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("The link has no host: expected " + PREFIX + "HOST:PORT.");
        }
        InviteLink parsed = parseAddress(rest, -1);
        Fingerprint fp = null;
        for (String kv : query.split("&")) {
            if (kv.startsWith("fp=")) {
                String value = kv.substring(3);
                if (fp != null) {
                    throw new IllegalArgumentException(
                            "The link names the room key (fp) twice; ask the host for a fresh link.");
                }
                fp = Fingerprint.parse(value)
                        .orElseThrow(() -> new IllegalArgumentException("The link's room key (fp=" + shorten(value)
                                + ") is damaged: it should be 43 characters"
                                + " of letters, digits, \"-\" and \"_\". Ask the host to copy the link again."));
            }
        }
        return parsed.withFingerprint(fp);
    }

    /**
     * A link to message {@code seq} of this room: the invitation link with {@code msg=SEQ} (older
     * Confabs ignore the parameter and just open the room).
     */
    public String formatMessage(long seq) {
        return (fingerprint == null ? PREFIX + address() + "/?" : format() + "&") + "msg=" + seq;
    }

    /** The message a link points at ({@code msg=SEQ}), or 0 when it names none (or a bad one). */
    public static long messageOf(String link) {
        int q = link == null ? -1 : link.indexOf('?');
        if (q < 0) {
            return 0;
        }
        String query = link.substring(q + 1);
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith("msg=")) {
                try {
                    long seq = Long.parseLong(kv.substring(4));
                    return seq > 0 ? seq : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static String shorten(String s) {
        return s.length() <= 50 ? s : s.substring(0, 47) + "…";
    }

    /**
     * Parses what a person typed as an address: {@code host}, {@code host:port},
     * {@code [v6]:port}, {@code [v6]}, a bare IPv6 literal, or a whole invitation link. When the
     * text names no port, {@code defaultPort} is used; a negative default makes the port required.
     */
    public static InviteLink parseAddress(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Enter the host's address, e.g. 192.168.1.20.");
        }
        String s = text.strip();
        if (looksLikeLink(s)) {
            return parse(s);
        }
        String host;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Missing \"]\" after the IPv6 address.");
            }
            host = s.substring(1, close);
            if (!host.isEmpty() && !host.contains(":")) {
                throw new IllegalArgumentException("Brackets are only for IPv6 addresses, like [fd00::5]:4747.");
            }
            String after = s.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("Expected \":PORT\" after \"]\".");
                }
                portText = after.substring(1);
            }
        } else {
            int first = s.indexOf(':');
            int last = s.lastIndexOf(':');
            if (first >= 0 && first == last) {
                host = s.substring(0, first);
                portText = s.substring(first + 1);
            } else {
                host = s; // no colon, or a bare IPv6 literal (several colons)
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("Enter the host's address before the port.");
        }
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
            throw new IllegalArgumentException("\"" + host + "\" is not a host name or IP address.");
        }
        int port;
        if (portText == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("The address has no port: expected HOST:PORT.");
            }
            port = defaultPort;
        } else {
            port = parsePort(portText);
        }
        return new InviteLink(host, port);
    }

    /** Parses a port 1..65535 typed by a person. */
    public static int parsePort(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("Enter a port, e.g. 4747.");
        }
        if (!t.chars().allMatch(c -> c >= '0' && c <= '9') || t.length() > 5) {
            throw new IllegalArgumentException("Port must be a number between 1 and 65535.");
        }
        int port = Integer.parseInt(t);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port must be a number between 1 and 65535.");
        }
        return port;
    }

    /** True if the host is an IPv6 literal (has a colon), which needs brackets before a port. */
    public boolean isIpv6() {
        return host.indexOf(':') >= 0;
    }

    /** {@code host:port}, or {@code [v6]:port}: what a person types to join. */
    public String address() {
        return Addresses.hostPort(host, port);
    }

    /** The invitation link: {@code confab://HOST:PORT}, or {@code confab://HOST:PORT/?fp=...} with a key. */
    public String format() {
        return fingerprint == null ? PREFIX + address() : PREFIX + address() + "/?fp=" + fingerprint.base64url();
    }

    /** The same address pinning {@code fp} (null = none). */
    public InviteLink withFingerprint(Fingerprint fp) {
        return new InviteLink(host, port, fp);
    }

    /** True if both name the same host and port (whatever key they pin). */
    public boolean sameAddress(InviteLink other) {
        return other != null && port == other.port && host.equalsIgnoreCase(other.host);
    }

    @Override
    public String toString() {
        return format();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
