package org.confab.ui.markdown;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.confab.core.Confusables;

/**
 * Which link destinations in a peer's message may become clickable, and how their addresses are
 * shown: only http, https, mailto and confab:// links; with invisible and direction-changing
 * characters taken out of what is shown, and international (punycode) or mixed-script host names
 * shown decoded and marked, as browsers do.
 */
public final class SafeLinks {
    /** The schemes a link may have; anything else ({@code javascript:}, {@code file:}, {@code data:}) stays text. */
    public static final Set<String> SCHEMES = Set.of("http", "https", "mailto", "confab");

    /** Longest destination made clickable. */
    static final int MAX_LENGTH = 2048;

    private SafeLinks() {}

    /** A link a person may open: its address, what to show of it, and whether to warn. */
    public record Link(URI uri, String shown, boolean warning, String why) {}

    /** The link {@code destination} may be, or empty where it must stay text. */
    public static Optional<Link> check(String destination) {
        if (destination == null || destination.isEmpty() || destination.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        boolean hidden = !strip(destination).equals(destination);
        String d = strip(destination).trim();
        for (int i = 0; i < d.length(); i++) {
            if (Character.isISOControl(d.charAt(i)) || Character.isWhitespace(d.charAt(i))) {
                return Optional.empty();
            }
        }
        URI uri;
        try {
            uri = new URI(d);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return Optional.empty();
        }
        String host = null;
        if (scheme.equals("http") || scheme.equals("https")) {
            host = uri.getHost();
            if (host == null && uri.getRawAuthority() != null) {
                // an international name typed as such ("pаypal.com"): the URI class takes only ASCII hosts
                uri = asciiHost(uri);
                host = uri == null ? null : uri.getHost();
            }
            if (host == null || host.isEmpty()) {
                return Optional.empty();
            }
        } else if (scheme.equals("mailto")) {
            String ssp = uri.getSchemeSpecificPart();
            if (ssp == null || !ssp.contains("@")) {
                return Optional.empty();
            }
            host = ssp.substring(ssp.lastIndexOf('@') + 1).replaceAll("[?#].*", "");
        } else {
            host = uri.getHost();
        }
        String why = hidden ? "the address holds invisible or direction-changing characters" : null;
        String shown = d;
        if (host != null && !host.isEmpty()) {
            String decoded = decode(host);
            if (!decoded.equals(host)) {
                shown = d.replace(host, decoded);
                why = "the address uses international characters (" + host + ")";
            }
            if (Confusables.mixesScripts(decoded.replace(".", "").replace("-", ""))) {
                why = "the address mixes alphabets, as look-alike addresses do (" + host + ")";
            }
        }
        return Optional.of(new Link(uri, shown, why != null, why));
    }

    private static URI asciiHost(URI uri) {
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String userInfo = at >= 0 ? authority.substring(0, at + 1) : "";
        String hostPort = authority.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        String host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
        String port = colon >= 0 ? hostPort.substring(colon) : "";
        try {
            String ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            String rest = uri.toString().substring(uri.toString().indexOf(authority) + authority.length());
            return new URI(uri.getScheme() + "://" + userInfo + ascii + port + rest);
        } catch (IllegalArgumentException | URISyntaxException e) {
            return null;
        }
    }

    /** A host name as a person reads it: each punycode ({@code xn--}) label decoded. */
    static String decode(String host) {
        try {
            return IDN.toUnicode(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    /**
     * {@code s} without the characters that hide or reorder text: zero-width characters, bidi
     * embeddings, overrides, isolates and marks, the BOM and soft hyphens.
     */
    public static String strip(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (hides(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    static boolean hides(char c) {
        return (c >= '\u200B' && c <= '\u200F')
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2060' && c <= '\u2064')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\uFEFF'
                || c == '\u061C'
                || c == '\u00AD';
    }

    /**
     * Whether a link's label looks like an address of another host than the link's own
     * ({@code [https://bank.example](https://evil.example)}): then the real address is shown too.
     */
    static boolean labelMisleads(String label, URI target) {
        String l = strip(label).trim().toLowerCase(Locale.ROOT);
        String host = target.getHost() == null ? "" : decode(target.getHost()).toLowerCase(Locale.ROOT);
        if (!l.matches("(?s)^(https?://)?[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)+([/:?#].*)?$")) {
            return false;
        }
        String labelHost = l.replaceFirst("^https?://", "").replaceFirst("[/:?#].*$", "");
        return !decode(labelHost).equals(host);
    }
}
