package org.confab.ui.join;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import org.confab.core.InviteLink;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;
import org.confab.ui.common.Membership;

/**
 * Joining as a JavaFX {@link Service}: opens this member's store for the room (history cache and
 * outbox, kept across restarts), makes a {@link RoomConnection} and joins once off the FX thread,
 * with a timeout. A failed first join closes both and fails the service with the
 * {@link JoinException} (its reason drives the dialog: trust question, password, nickname taken).
 */
public final class JoinService extends Service<Membership> {
    private volatile InviteLink target;
    private volatile String nick;
    private volatile RoomConnectionListener listener;
    private volatile JoinOptions options = JoinOptions.secure();

    public JoinService() {
        setOnFailed(e -> {});
    }

    /**
     * What the next run joins, and how it checks the room ({@link JoinOptions}: pinned key, known
     * rooms, password, or plain TCP).
     */
    public void configure(InviteLink target, String nick, JoinOptions options, RoomConnectionListener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.target = target;
        this.nick = nick;
        this.listener = listener;
    }

    /**
     * A room this member was in before (its store on disk has history), not joined yet: the window
     * shows its history at once and joins behind it, so the past can be read and new messages
     * written (to the outbox) even while the host is away. Empty if there is no such history (or
     * it cannot be read: a fresh join then reports why).
     */
    public static Optional<Membership> known(
            InviteLink target, String nick, JoinOptions options, RoomConnectionListener listener) {
        Path file = DataDirs.clientFile(DataDirs.userDataDir(), target.address(), nick);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        ClientStore store;
        try {
            store = ClientStore.open(file);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (store.roomId() == null || store.lastSeq() == 0) {
            store.close();
            return Optional.empty();
        }
        return Optional.of(Membership.of(Membership.connection(target, nick, options, store, listener), store));
    }

    @Override
    protected Task<Membership> createTask() {
        InviteLink t = target;
        String n = nick;
        RoomConnectionListener l = listener;
        JoinOptions o = options;
        return new Task<>() {
            @Override
            protected Membership call() throws Exception {
                updateMessage("Connecting to " + t.address() + "…");
                ClientStore store = Membership.openStore(t, n);
                Membership joined;
                try {
                    joined = Membership.of(Membership.connection(t, n, o, store, l), store);
                } catch (RuntimeException e) {
                    store.close();
                    throw e;
                }
                try {
                    joined.room().connect(RoomConnection.FIRST_JOIN_RETRY);
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
