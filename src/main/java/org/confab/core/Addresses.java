package org.confab.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;

/**
 * How Confab writes addresses for people: IPv6 literals in brackets before a port, and in their
 * short form (RFC 5952: the longest run of zero groups as "::", lower case, no zone id). The one
 * place for it: invite links, the terminal's output, the join dialog, the known-rooms file.
 */
public final class Addresses {
    private Addresses() {}

    /** "192.168.1.20:4747", "[fd00::2]:4747" (a host already in brackets stays as it is). */
    public static String hostPort(String host, int port) {
        return bracketed(host) + ":" + port;
    }

    /** An IPv6 literal in brackets (as before a port); anything else as it is. */
    public static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** IPv4 as is; IPv6 in its short form. */
    public static String text(InetAddress a) {
        return a instanceof Inet6Address ? compress(a.getHostAddress()) : a.getHostAddress();
    }

    /** "fd00:0:0:0:0:0:0:2" -> "fd00::2" (the longest run of two or more zero groups, RFC 5952); drops a zone id. */
    public static String compress(String v6) {
        int pct = v6.indexOf('%');
        String s = pct >= 0 ? v6.substring(0, pct) : v6;
        String[] g = s.split(":", -1);
        if (g.length != 8) {
            return s;
        }
        for (int i = 0; i < 8; i++) {
            g[i] = g[i].replaceFirst("^0+(?=.)", "").toLowerCase(Locale.ROOT);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (!g[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return String.join(":", g);
        }
        return String.join(":", Arrays.copyOfRange(g, 0, bestStart)) + "::"
                + String.join(":", Arrays.copyOfRange(g, bestStart + bestLen, 8));
    }
}
