package org.confab.net.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The interfaces Confab announces and browses on: up, not loopback, multicast-capable, with an
 * address; one address each (its first IPv4, else its first IPv6), because each gets its own
 * responder instance bound to it. A host bound to one address announces on that address's
 * interface only, and a host bound to loopback nowhere. {@link #skipped()} says, with the same
 * rules, which interfaces are left out and why (the diagnostics).
 */
public final class MdnsInterfaces {
    /** One chosen interface and the address its responder binds. */
    public record Choice(String interfaceName, InetAddress address) {}

    /** An interface not used for discovery, and why, in words ("down", "loopback", ...). */
    public record Skipped(String interfaceName, String why) {}

    private MdnsInterfaces() {}

    public static List<Choice> choose(InetAddress bindAddress) {
        if (bindAddress != null && bindAddress.isLoopbackAddress()) {
            return List.of();
        }
        List<Choice> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (skipReason(ni) != null) {
                    continue;
                }
                List<InetAddress> addrs = Collections.list(ni.getInetAddresses());
                if (bindAddress != null && !bindAddress.isAnyLocalAddress()) {
                    if (addrs.contains(bindAddress)) {
                        out.add(new Choice(ni.getName(), bindAddress));
                    }
                    continue;
                }
                addrs.stream()
                        .filter(a -> a instanceof Inet4Address)
                        .findFirst()
                        .or(() -> addrs.stream()
                                .filter(a -> a instanceof Inet6Address)
                                .findFirst())
                        .ifPresent(a -> out.add(new Choice(ni.getName(), a)));
            }
        } catch (SocketException e) {
            return List.of();
        }
        return List.copyOf(out);
    }

    /** The interfaces {@link #choose choose(null)} leaves out, each with its reason; empty if none or unreadable. */
    public static List<Skipped> skipped() {
        List<Skipped> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                String why = skipReason(ni);
                if (why != null) {
                    out.add(new Skipped(ni.getName(), why));
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return List.copyOf(out);
    }

    /** Why an interface is not used for discovery, or null if it is. */
    private static String skipReason(NetworkInterface ni) throws SocketException {
        if (!ni.isUp()) {
            return "down";
        }
        if (ni.isLoopback()) {
            return "loopback (this machine only)";
        }
        if (!ni.supportsMulticast()) {
            return "does not carry multicast";
        }
        boolean addressed = Collections.list(ni.getInetAddresses()).stream()
                .anyMatch(a -> a instanceof Inet4Address || a instanceof Inet6Address);
        return addressed ? null : "has no address";
    }
}
