package org.confab.ui.common;

import java.time.Duration;
import java.util.List;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;
import org.confab.store.MemberSecrets;
import org.confab.store.OutboxEntry;
import org.confab.store.StoredEvent;

/**
 * This app's membership of a room, hosted or joined: the lasting connection, the store it uses
 * (history cache and outbox, kept across restarts; null: in memory only), and what the store had
 * before this visit (shown first; the connection's events follow).
 */
public record Membership(RoomConnection room, ClientStore store, List<StoredEvent> cached, List<OutboxEntry> pending) {
    /** How long to wait for the host before giving up. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);
    /** How many cached events a room view shows at once. */
    public static final int CACHE_ROWS = 500;

    /** A membership on {@code room} and its {@code store}, with what the store holds now. */
    public static Membership of(RoomConnection room, ClientStore store) {
        return new Membership(room, store, room.cachedHistory(CACHE_ROWS), room.pending());
    }

    /** The lasting connection for a room and nickname, on this member's store for it (not started). */
    public static RoomConnection connection(
            InviteLink target, String nick, JoinOptions security, ClientStore store, RoomConnectionListener listener) {
        var options = RoomConnection.Options.of(target, nick) // every address of a multi-address link
                .withTimeouts(CONNECT_TIMEOUT, HostConfig.DEFAULT_IDLE_TIMEOUT)
                .withSecurity(security.identity() == null ? security.withIdentity(MemberSecrets.standard()) : security);
        return new RoomConnection(options, store, listener);
    }

    /** This member's store for a room address and nickname, under the user's data directory. */
    public static ClientStore openStore(InviteLink target, String nick) {
        return ClientStore.open(DataDirs.clientFile(DataDirs.userDataDir(), target.address(), nick));
    }

    /** Leaves and releases the store (off the FX thread: may wait for the network briefly). */
    public void close() {
        try {
            room.close(); // leaves in order if connected, stops reconnecting
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }
}
