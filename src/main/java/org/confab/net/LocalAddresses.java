package org.confab.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.confab.core.Addresses;

/** The addresses of this machine that other computers can type to reach a room hosted here. */
public final class LocalAddresses {
    /** One such address (short text form), the interface it belongs to, and whether it is IPv6. */
    public record Local(String host, String interfaceName, boolean ipv6) {}

    private LocalAddresses() {}

    /** IPv4, then IPv4 link-local (reachable on the same link only), then IPv6. */
    private static int rank(Local l) {
        return l.ipv6() ? 2 : l.host().startsWith("169.254.") ? 1 : 0;
    }

    /**
     * Every address of every interface that is up (LAN, Wi-Fi, VPNs such as a tailnet's
     * 100.64.0.0/10 and fd7a:… addresses), except loopback, the wildcard and IPv6 link-local ones
     * (fe80:: needs the joiner's own zone id, which the host cannot know); IPv4 first, IPv4
     * link-local (169.254/16, no DHCP) last of those, else in the system's interface order. Empty if
     * there is none (no network) or the list cannot be read. The order is the invite link's
     * (HostCommand, the GUI's host page): the first address is the one older Confabs use.
     */
    public static List<Local> reachable() {
        List<Local> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLoopbackAddress()
                            || a.isAnyLocalAddress()
                            || a instanceof Inet6Address && a.isLinkLocalAddress()) {
                        continue;
                    }
                    out.add(new Local(Addresses.text(a), ni.getDisplayName(), a instanceof Inet6Address));
                }
            }
        } catch (SocketException e) {
            return List.of(); // no interface list: the caller falls back to loopback
        }
        out.sort(Comparator.comparingInt(LocalAddresses::rank));
        return List.copyOf(out);
    }
}
