package org.confab.ui;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.HostListener;
import org.confab.net.HostStartException;
import org.confab.net.JoinException;
import org.confab.net.RoomClient;
import org.confab.net.RoomHost;
import org.confab.net.RoomListener;

/**
 * Hosting as a JavaFX {@link Service}: starts a {@link RoomHost} on a background thread, then joins
 * it as the host's own member, so buttons and the status bar follow the Service's state
 * (SCHEDULED/RUNNING = starting, SUCCEEDED = running, FAILED = the exception's sentence).
 * The host itself knows nothing of JavaFX.
 */
public final class HostService extends Service<HostService.Hosted> {
    /** A running room and this app's own membership of it. */
    public record Hosted(RoomHost host, RoomClient client, InviteLink self, List<NetworkAddresses.Entry> addresses) { }

    private volatile String roomName = "Room";
    private volatile String nick = "host";
    private volatile int port = HostConfig.DEFAULT_PORT;
    private volatile InetAddress bindAddress;
    private volatile RoomListener listener;
    private volatile HostListener hostListener = HostListener.NONE;

    public HostService() {
        setOnFailed(e -> { });
    }

    /** What to start next time {@link #restart()} or {@link #start()} runs. */
    public void configure(String roomName, String nick, int port, InetAddress bindAddress, RoomListener listener) {
        this.roomName = roomName;
        this.nick = nick;
        this.port = port;
        this.bindAddress = bindAddress;
        this.listener = listener;
    }

    public void setHostListener(HostListener hostListener) {
        this.hostListener = hostListener == null ? HostListener.NONE : hostListener;
    }

    @Override
    protected Task<Hosted> createTask() {
        String room = roomName;
        String me = nick;
        int p = port;
        InetAddress bind = bindAddress;
        RoomListener l = listener;
        HostListener hl = hostListener;
        return new Task<>() {
            @Override
            protected Hosted call() throws Exception {
                updateMessage("Starting the room…");
                var identity = org.confab.net.tls.HostIdentity.loadOrCreate(
                        org.confab.store.AppDirs.config().resolve("host-identity.p12"));
                RoomHost host = new RoomHost(HostConfig.defaults(room, p).withBindAddress(bind),
                        org.confab.net.HostSecurity.tls(identity), hl);
                InetSocketAddress bound = host.start();
                int actual = bound.getPort();
                updateMessage("Listening on port " + actual + ", joining it…");
                try {
                    String self = bind != null && !bind.isAnyLocalAddress() ? bind.getHostAddress() : "127.0.0.1";
                    RoomClient client = RoomClient.connect(self, actual, me,
                            org.confab.net.JoinOptions.pinned(host.fingerprint()), l);
                    if (isCancelled()) {
                        client.leave();
                        host.close();
                        return null;
                    }
                    updateMessage("Hosting on port " + actual);
                    return new Hosted(host, client, new InviteLink(self, actual), NetworkAddresses.forPort(actual));
                } catch (JoinException e) {
                    host.close();
                    throw new HostStartException("The room started, but joining it failed: " + e.getMessage(), e);
                }
            }
        };
    }
}
