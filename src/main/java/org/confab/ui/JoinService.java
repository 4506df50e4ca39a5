package org.confab.ui;

import java.time.Duration;
import java.util.List;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import org.confab.core.InviteLink;
import org.confab.net.RoomConnectionListener;
import org.confab.net.HostConfig;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;
import org.confab.store.OutboxEntry;
import org.confab.store.StoredEvent;

/**
 * Joining as a JavaFX {@link Service}: opens this member's store for the room (history cache and
 * outbox, kept across restarts), makes a {@link RoomConnection} and joins once off the FX thread,
 * with a timeout. A failed first join closes both and fails the service with the
 * {@link JoinException} (its reason drives the dialog: trust question, password, nickname taken).
 */
public final class JoinService extends Service<JoinService.Joined> {
    /** How long to wait for the host before giving up. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);
    /** How many cached events a room view shows at once. */
    public static final int CACHE_ROWS = 500;

    /**
     * A joined room: the lasting connection, the store it uses (the window closes it after the
     * connection), and what was cached before this join (shown first; the join's events follow).
     */
    public record Joined(RoomConnection room, ClientStore store, List<StoredEvent> cached, List<OutboxEntry> pending) {
        /** Leaves and releases the store (off the FX thread: may wait for the network briefly). */
        public void close() {
            try {
                room.close();
            } finally {
                store.close();
            }
        }
    }

    private volatile InviteLink target;
    private volatile String nick;
    private volatile RoomConnectionListener listener;
    private volatile JoinOptions options = JoinOptions.secure();
    /** A connection made already (a known room shown from its cache): the next run only joins it. */
    private volatile RoomConnection prepared;

    public JoinService() {
        setOnFailed(e -> { });
    }

    /**
     * What the next run joins, and how it checks the room ({@link JoinOptions}: pinned key, known
     * rooms, password, or plain TCP).
     */
    public void configure(InviteLink target, String nick, JoinOptions options, RoomConnectionListener listener) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.prepared = null;
        this.target = target;
        this.nick = nick;
        this.listener = listener;
    }

    /**
     * The next run makes the first join of this connection (made and shown by the caller) and
     * returns null; it fails with the {@link JoinException} as a fresh join would. The caller owns it.
     */
    public void configureFirstAttempt(RoomConnection room) {
        this.prepared = java.util.Objects.requireNonNull(room, "room");
        this.target = new InviteLink(room.options().host(), room.options().port());
    }

    /** The lasting connection for a room and nickname, on this member's store for it (not started). */
    static RoomConnection connection(InviteLink target, String nick, JoinOptions security, ClientStore store,
                                     RoomConnectionListener listener) {
        var options = RoomConnection.Options.defaults(target.host(), target.port(), nick)
                .withTimeouts(CONNECT_TIMEOUT, HostConfig.DEFAULT_IDLE_TIMEOUT)
                .withSecurity(security);
        return new RoomConnection(options, store, listener);
    }

    /** This member's store for a room address and nickname, under the user's data directory. */
    static ClientStore openStore(InviteLink target, String nick) {
        return ClientStore.open(DataDirs.clientFile(DataDirs.userDataDir(), target.address(), nick));
    }

    @Override
    protected Task<Joined> createTask() {
        InviteLink t = target;
        String n = nick;
        RoomConnectionListener l = listener;
        JoinOptions o = options;
        RoomConnection first = prepared;
        return new Task<>() {
            @Override
            protected Joined call() throws Exception {
                updateMessage("Connecting to " + t.address() + "…");
                if (first != null) {
                    first.connect(RoomConnection.FIRST_JOIN_RETRY);
                    return null;
                }
                ClientStore store = openStore(t, n);
                RoomConnection room;
                List<StoredEvent> cached;
                List<OutboxEntry> pending;
                try {
                    room = connection(t, n, o, store, l);
                    cached = room.cachedHistory(CACHE_ROWS);
                    pending = room.pending();
                } catch (RuntimeException e) {
                    store.close();
                    throw e;
                }
                Joined joined = new Joined(room, store, cached, pending);
                try {
                    room.connect(RoomConnection.FIRST_JOIN_RETRY);
                } catch (JoinException | RuntimeException e) {
                    joined.close();
                    throw e;
                }
                if (isCancelled()) {
                    joined.close();
                    return null;
                }
                return joined;
            }
        };
    }
}
