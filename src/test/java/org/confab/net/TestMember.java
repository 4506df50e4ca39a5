package org.confab.net;

import java.time.Duration;
import org.confab.core.Fingerprint;

/** Another member of a room in a test, on the one client path the app ships: a {@link RoomConnection}. */
public final class TestMember {
    private TestMember() {}

    /** Joins the room on loopback {@code port} with its key pinned (null: plain TCP), in memory only. */
    public static RoomConnection join(int port, String nick, Fingerprint key, RoomConnectionListener listener)
            throws JoinException {
        return join(
                port,
                nick,
                key == null ? JoinOptions.insecureTcp() : JoinOptions.pinned(key),
                RoomLink.DEFAULT_CONNECT_TIMEOUT,
                HostConfig.DEFAULT_IDLE_TIMEOUT,
                listener);
    }

    /** As above, with these security options and timeouts (benchmarks: long ones, for a loaded machine). */
    public static RoomConnection join(
            int port,
            String nick,
            JoinOptions security,
            Duration connectTimeout,
            Duration idleTimeout,
            RoomConnectionListener listener)
            throws JoinException {
        var c = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, nick)
                        .withSecurity(security)
                        .withTimeouts(connectTimeout, idleTimeout),
                null,
                listener);
        c.connect();
        return c;
    }
}
