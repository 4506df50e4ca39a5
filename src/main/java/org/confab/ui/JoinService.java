package org.confab.ui;

import java.time.Duration;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.JoinOptions;
import org.confab.net.RoomClient;
import org.confab.net.RoomListener;

/** Joining as a JavaFX {@link Service}: {@link RoomClient#connect} off the FX thread, with a timeout. */
public final class JoinService extends Service<RoomClient> {
    /** How long to wait for the host before giving up. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);

    private volatile InviteLink target;
    private volatile String nick;
    private volatile RoomListener listener;
    private volatile JoinOptions options = JoinOptions.secure();

    public JoinService() {
        setOnFailed(e -> { });
    }

    /**
     * What the next run joins, and how it checks the room ({@link JoinOptions}: pinned key, known
     * rooms, password, or plain TCP).
     */
    public void configure(InviteLink target, String nick, JoinOptions options, RoomListener listener) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.target = target;
        this.nick = nick;
        this.listener = listener;
    }

    @Override
    protected Task<RoomClient> createTask() {
        InviteLink t = target;
        String n = nick;
        RoomListener l = listener;
        JoinOptions o = options;
        return new Task<>() {
            @Override
            protected RoomClient call() throws Exception {
                updateMessage("Connecting to " + t.address() + "…");
                RoomClient client = RoomClient.connect(t.host(), t.port(), n, o, CONNECT_TIMEOUT,
                        HostConfig.DEFAULT_IDLE_TIMEOUT, l);
                if (isCancelled()) {
                    client.leave();
                    return null;
                }
                return client;
            }
        };
    }
}
