package org.confab.ui;

import java.time.Duration;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.RoomClient;
import org.confab.net.RoomListener;

/** Joining as a JavaFX {@link Service}: {@link RoomClient#connect} off the FX thread, with a timeout. */
public final class JoinService extends Service<RoomClient> {
    /** How long to wait for the host before giving up. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(8);

    private volatile InviteLink target;
    private volatile String nick;
    private volatile RoomListener listener;

    public JoinService() {
        setOnFailed(e -> { });
    }

    public void configure(InviteLink target, String nick, RoomListener listener) {
        this.target = target;
        this.nick = nick;
        this.listener = listener;
    }

    @Override
    protected Task<RoomClient> createTask() {
        InviteLink t = target;
        String n = nick;
        RoomListener l = listener;
        return new Task<>() {
            @Override
            protected RoomClient call() throws Exception {
                updateMessage("Connecting to " + t.address() + "…");
                var options = org.confab.net.JoinOptions.secure()
                        .withKnownRooms(org.confab.store.KnownRooms.standard());
                RoomClient client = RoomClient.connect(t.host(), t.port(), n, options, CONNECT_TIMEOUT,
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
