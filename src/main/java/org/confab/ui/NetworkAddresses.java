package org.confab.ui;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.confab.core.InviteLink;

/** The addresses other computers can use to reach a room hosted here. */
public final class NetworkAddresses {
    /** One address to tell people, and the interface it belongs to. */
    public record Entry(InviteLink link, String interfaceName, boolean loopback) { }

    private NetworkAddresses() { }

    /** "fd00:0:0:0:0:0:0:2" -> "fd00::2" (the longest run of zero groups, RFC 5952); drops a zone id. */
    static String compress(String v6) {
        int pct = v6.indexOf('%');
        String s = pct >= 0 ? v6.substring(0, pct) : v6;
        String[] g = s.split(":", -1);
        if (g.length != 8) {
            return s;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i].replaceFirst("^0+(?=.)", "").equals("0")) {
                int j = i;
                while (j < 8 && g[j].replaceFirst("^0+(?=.)", "").equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(g[i].replaceFirst("^0+(?=.)", "").toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }

    /**
     * Every non-loopback IPv4 and IPv6 address of every interface that is up, IPv4 first, with
     * {@code port}. If there is none (no network), the loopback address, marked as such.
     */
    public static List<Entry> forPort(int port) {
        List<Entry> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
                        continue;
                    }
                    if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
                        // fe80:: needs the joiner's own zone id (%eth0): nobody can type it from here
                        continue;
                    }
                    String host = a instanceof Inet6Address ? compress(a.getHostAddress()) : a.getHostAddress();
                    out.add(new Entry(new InviteLink(host, port), ni.getDisplayName(), false));
                }
            }
        } catch (SocketException e) {
            System.err.println("confab: cannot list network interfaces: " + e.getMessage());
        }
        out.sort(Comparator.comparing((Entry e) -> e.link().isIpv6()));
        if (out.isEmpty()) {
            out.add(new Entry(new InviteLink(InetAddress.getLoopbackAddress() instanceof Inet4Address
                    ? "127.0.0.1" : "::1", port), "loopback", true));
        }
        return List.copyOf(out);
    }
}
