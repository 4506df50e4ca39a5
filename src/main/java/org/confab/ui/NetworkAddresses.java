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
                    String host = a.getHostAddress();
                    if (a instanceof Inet6Address) {
                        int pct = host.indexOf('%');
                        if (pct >= 0 && !a.isLinkLocalAddress()) {
                            host = host.substring(0, pct);
                        }
                    }
                    out.add(new Entry(new InviteLink(host, port), ni.getDisplayName(), false));
                }
            }
        } catch (SocketException e) {
            System.err.println("confab: cannot list network interfaces: " + e.getMessage());
        }
        out.sort(Comparator.comparing((Entry e) -> e.link().isIpv6())
                .thenComparing(e -> e.link().host().startsWith("fe80")));
        if (out.isEmpty()) {
            out.add(new Entry(new InviteLink(InetAddress.getLoopbackAddress() instanceof Inet4Address
                    ? "127.0.0.1" : "::1", port), "loopback", true));
        }
        return List.copyOf(out);
    }
}
