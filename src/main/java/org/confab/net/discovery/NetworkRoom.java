package org.confab.net.discovery;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One room seen on the network: what it announces and every address it was seen at (across
 * interfaces, IPv4 first, then IPv6), all with the announced port.
 */
public record NetworkRoom(RoomAd ad, List<InetSocketAddress> addresses) {
    public NetworkRoom {
        addresses = List.copyOf(addresses);
    }

    /** The address to try first. */
    public InetSocketAddress primary() {
        return addresses.getFirst();
    }
}
