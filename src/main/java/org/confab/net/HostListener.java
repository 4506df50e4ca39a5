package org.confab.net;

import java.net.InetSocketAddress;

/**
 * What a running host reports, called on the host's own threads. Plain interface, so the CLI logs
 * it and the UI hops it onto the FX thread; the host knows nothing of either.
 */
public interface HostListener {
    default void started(InetSocketAddress bound) {}

    default void joined(String nick, String remote) {}

    default void left(String nick, String reason) {}

    /** One peer broke the protocol or timed out; it alone was dropped. */
    default void peerError(String remote, String code, String text) {}

    default void stopped() {}

    HostListener NONE = new HostListener() {};
}
