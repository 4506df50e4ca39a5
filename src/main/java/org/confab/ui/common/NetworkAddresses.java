package org.confab.ui.common;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.confab.core.InviteLink;
import org.confab.net.LocalAddresses;

/** The addresses other computers can use to reach a room hosted here. */
public final class NetworkAddresses {
    /** One address to tell people, and the interface it belongs to. */
    public record Entry(InviteLink link, String interfaceName, boolean loopback) {}

    private NetworkAddresses() {}

    /**
     * Every non-loopback IPv4 and IPv6 address of every interface that is up, IPv4 first, with
     * {@code port}; each entry's link names that address first and the others after it (a
     * multi-address link: the joiner tries them all). If there is none (no network), the loopback
     * address, marked as such.
     */
    public static List<Entry> forPort(int port) {
        List<Entry> out = new ArrayList<>();
        List<LocalAddresses.Local> all = LocalAddresses.reachable();
        List<InviteLink.Candidate> candidates =
                all.stream().map(a -> new InviteLink.Candidate(a.host(), port)).toList();
        for (int i = 0; i < all.size(); i++) {
            List<InviteLink.Candidate> order = new ArrayList<>(candidates);
            order.addFirst(order.remove(i));
            out.add(new Entry(InviteLink.of(order, null), all.get(i).interfaceName(), false));
        }
        if (out.isEmpty()) {
            out.add(new Entry(
                    new InviteLink(
                            InetAddress.getLoopbackAddress() instanceof Inet4Address ? "127.0.0.1" : "::1", port),
                    "loopback",
                    true));
        }
        return List.copyOf(out);
    }
}
