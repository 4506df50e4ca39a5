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
 * interface only, and a host bound to loopback nowhere.
 */
public final class MdnsInterfaces {
    /** One chosen interface and the address its responder binds. */
    public record Choice(String interfaceName, InetAddress address) {}

    private MdnsInterfaces() {}

    public static List<Choice> choose(InetAddress bindAddress) {
        if (bindAddress != null && bindAddress.isLoopbackAddress()) {
            return List.of();
        }
        List<Choice> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) {
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
}
