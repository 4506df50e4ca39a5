package org.confab.net.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import org.confab.core.InviteLink;

/**
 * One room seen on the network: what it announces and every address it was seen at (across
 * interfaces, IPv4 first, then IPv6), all with the announced port. A room this member joined
 * before and a probe just found (where multicast does not pass) is {@link #remembered()}: its
 * link then carries the key and the addresses this member kept, the answering one first.
 *
 * @param remembered the remembered room's link, or null for a room heard announcing itself
 */
public record NetworkRoom(RoomAd ad, List<InetSocketAddress> addresses, InviteLink remembered) {
    public NetworkRoom {
        addresses = List.copyOf(addresses);
    }

    /** A room heard announcing itself. */
    public NetworkRoom(RoomAd ad, List<InetSocketAddress> addresses) {
        this(ad, addresses, null);
    }

    /** The address to try first. */
    public InetSocketAddress primary() {
        return addresses.getFirst();
    }
}
