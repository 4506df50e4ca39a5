package org.confab.core;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where a room is: a host (name, IPv4 or IPv6 literal), a TCP port, optionally more candidate
 * addresses of the same host (its other interfaces, a VPN address) and, optionally, the room's
 * key. The one place that reads and writes invitation links
 * ({@code confab://HOST:PORT/?fp=<base64url SHA-256>&alt=HOST:PORT,[V6]:PORT}, IPv6 as
 * {@code confab://[::1]:4747}) and addresses typed by people ({@code host}, {@code host:port},
 * {@code [v6]:port}, bare v6); the CLI's {@code HostPort} delegates here. Pure; every parse error is
 * an {@link IllegalArgumentException} whose message is a sentence for the person who typed it. An
 * invalid {@code fp} or {@code alt} is an error (a link that names a key must never silently join
 * without it, a damaged address list is not half used); other query parameters are ignored.
 *
 * <p>The first address stays in the authority, so a Confab that knows nothing of {@code alt} still
 * joins it; a client that does tries every candidate ({@link #candidates()}, docs/protocol.md §1.2).
 *
 * @param fingerprint the room key the link pins, or null (then the member is asked on first visit)
 * @param alternates  further addresses of the same room, in the host's order, without the first;
 *                    at most {@link #MAX_CANDIDATES} - 1, each an IP literal or a host name
 */
public record InviteLink(String host, int port, Fingerprint fingerprint, List<Candidate> alternates) {
    /** The link scheme, without "://". */
    public static final String SCHEME = "confab";

    /** How many addresses a link may name in all (the first one and its alternates). */
    public static final int MAX_CANDIDATES = 8;

    /** The longest link parsed (a longer one is refused before it is looked at). */
    public static final int MAX_LENGTH = 2048;

    private static final String PREFIX = SCHEME + "://";

    /** One address a room may be reached at: an IP literal (IPv6 without brackets) or a host name, and a port. */
    public record Candidate(String host, int port) {
        public Candidate {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("Host must not be empty.");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("Port must be a number between 1 and 65535.");
            }
        }

        /** {@code host:port}, or {@code [v6]:port}. */
        public String address() {
            return Addresses.hostPort(host, port);
        }

        /** True for an IPv6 literal. */
        public boolean ipv6() {
            return host.indexOf(':') >= 0;
        }

        @Override
        public String toString() {
            return address();
        }
    }

    /** An address without a pinned key. */
    public InviteLink(String host, int port) {
        this(host, port, null);
    }

    /** One address, with the room's key (null: none). */
    public InviteLink(String host, int port, Fingerprint fingerprint) {
        this(host, port, fingerprint, List.of());
    }

    public InviteLink {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Host must not be empty.");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port must be a number between 1 and 65535.");
        }
        alternates = alternates == null ? List.of() : List.copyOf(alternates);
        if (alternates.size() > MAX_CANDIDATES - 1) {
            throw new IllegalArgumentException("The link names " + (alternates.size() + 1) + " addresses; at most "
                    + MAX_CANDIDATES + " are tried. Ask the host for a fresh link.");
        }
    }

    /**
     * A link naming {@code candidates} in that order (the first in the authority), duplicates
     * dropped, the first {@link #MAX_CANDIDATES} kept: what a host with several interfaces gives out.
     */
    public static InviteLink of(List<Candidate> candidates, Fingerprint fp) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("A link needs at least one address.");
        }
        Candidate first = candidates.getFirst();
        return new InviteLink(first.host(), first.port(), fp, List.of())
                .withAlternates(candidates.subList(1, candidates.size()));
    }

    /** Every address to try, the first one first, then the alternates (no duplicates). */
    public List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>(alternates.size() + 1);
        out.add(new Candidate(unbracketed(host), port));
        out.addAll(alternates);
        return List.copyOf(out);
    }

    /**
     * The same room with {@code more} as its further addresses (replacing any it had): the first
     * address and duplicates of it or of each other are dropped, and no more than
     * {@link #MAX_CANDIDATES} are kept in all.
     */
    public InviteLink withAlternates(List<Candidate> more) {
        Set<String> seen = new LinkedHashSet<>();
        seen.add(Addresses.hostPort(unbracketed(host), port).toLowerCase(Locale.ROOT));
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : more) {
            if (kept.size() == MAX_CANDIDATES - 1) {
                break;
            }
            if (seen.add(c.address().toLowerCase(Locale.ROOT))) {
                kept.add(c);
            }
        }
        return new InviteLink(host, port, fingerprint, kept);
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
        if (link.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("This link is " + link.length() + " characters long; an invitation link"
                    + " has at most " + MAX_LENGTH + ". Ask the host to copy the link again.");
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
        List<Candidate> alternates = null;
        for (String kv : query.split("&")) {
            if (kv.startsWith("alt=")) {
                if (alternates != null) {
                    throw new IllegalArgumentException(
                            "The link lists its addresses (alt) twice; ask the host for a fresh link.");
                }
                alternates = parseAlternates(kv.substring(4), parsed.port());
                continue;
            }
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
        InviteLink out = parsed.withFingerprint(fp);
        return alternates == null ? out : out.withAlternates(alternates);
    }

    /** The {@code alt} list: comma-separated {@code HOST:PORT}, {@code [V6]:PORT} (or without port: the link's). */
    private static List<Candidate> parseAlternates(String value, int defaultPort) {
        String text = percentDecode(value);
        if (text.isBlank()) {
            throw new IllegalArgumentException(
                    "The link's address list (alt=) is empty. Ask the host to copy the link again.");
        }
        String[] items = text.split(",", -1);
        if (items.length > MAX_CANDIDATES - 1) {
            throw new IllegalArgumentException("The link names " + (items.length + 1) + " addresses; at most "
                    + MAX_CANDIDATES + " are tried. Ask the host for a fresh link.");
        }
        List<Candidate> out = new ArrayList<>();
        for (String item : items) {
            try {
                if (looksLikeLink(item)) {
                    throw new IllegalArgumentException("a link inside a link");
                }
                InviteLink one = parseAddress(item, defaultPort);
                if (!validHost(unbracketed(one.host()))) {
                    throw new IllegalArgumentException("not an IP address or host name");
                }
                out.add(new Candidate(unbracketed(one.host()), one.port()));
            } catch (IllegalArgumentException e) {
                String why = e.getMessage();
                throw new IllegalArgumentException(
                        "The link's address list (alt=) holds \"" + shorten(item) + "\", which is not an address ("
                                + (why.endsWith(".") ? why.substring(0, why.length() - 1) : why)
                                + "). Ask the host to copy the link again.",
                        e);
            }
        }
        return out;
    }

    /** %XX escapes (a browser or chat program may have escaped "[", "]", ":" or ","); a bad escape is an error. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        var sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
            if (lo < 0 || hi * 16 + lo >= 0x80) {
                throw new IllegalArgumentException(
                        "The link's address list (alt=) is damaged (a bad \"%\" escape). Ask the host to copy the link again.");
            }
            sb.append((char) (hi * 16 + lo));
            i += 2;
        }
        return sb.toString();
    }

    /**
     * An IP literal (IPv4 dotted quad, IPv6 without zone) or a DNS host name (letters, digits,
     * "-" and ".", labels of 1..63, at most 253): what a link may name as a further address.
     */
    static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            if (!host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return false; // a zone id ("%eth0") names the joiner's interface, unknown to the host
            }
            return literal(host);
        }
        if (host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            return literal(host);
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty()
                    || label.length() > 63
                    || label.startsWith("-")
                    || label.endsWith("-")
                    || !label.chars().allMatch(c -> c == '-' || c < 128 && Character.isLetterOrDigit(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean literal(String ip) {
        try {
            InetAddress.ofLiteral(ip); // parses only: never a name lookup
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * A link to message {@code seq} of this room: the invitation link with {@code msg=SEQ} (older
     * Confabs ignore the parameter and just open the room).
     */
    public String formatMessage(long seq) {
        return (fingerprint == null && alternates.isEmpty() ? PREFIX + address() + "/?" : format() + "&") + "msg="
                + seq;
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

    /**
     * The invitation link: {@code confab://HOST:PORT}, {@code confab://HOST:PORT/?fp=...} with a key,
     * and {@code &alt=HOST:PORT,[V6]:PORT} (or {@code /?alt=}) with further addresses.
     */
    public String format() {
        var sb = new StringBuilder(PREFIX).append(address());
        char sep = '?';
        if (fingerprint != null) {
            sb.append("/?fp=").append(fingerprint.base64url());
            sep = '&';
        }
        if (!alternates.isEmpty()) {
            sb.append(sep == '?' ? "/?" : "&").append("alt=");
            sb.append(
                    String.join(",", alternates.stream().map(Candidate::address).toList()));
        }
        return sb.toString();
    }

    /** The same addresses pinning {@code fp} (null = none). */
    public InviteLink withFingerprint(Fingerprint fp) {
        return new InviteLink(host, port, fp, alternates);
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
