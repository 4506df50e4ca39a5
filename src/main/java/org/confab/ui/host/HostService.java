package org.confab.ui.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.HostListener;
import org.confab.net.HostSecurity;
import org.confab.net.HostStartException;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnectionListener;
import org.confab.net.RoomHost;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;
import org.confab.ui.common.Membership;
import org.confab.ui.common.NetworkAddresses;

/**
 * Hosting as a JavaFX {@link Service}: starts a {@link RoomHost} on a background thread, then joins
 * it as the host's own member, so buttons and the status bar follow the Service's state
 * (SCHEDULED/RUNNING = starting, SUCCEEDED = running, FAILED = the exception's sentence).
 * The host itself knows nothing of JavaFX.
 */
public final class HostService extends Service<HostService.Hosted> {
    /**
     * A running room and this app's own membership of it. {@code self} and the addresses carry the
     * room's key (invite links with {@code ?fp=}); {@code password} is the room password or null;
     * {@code announcement} its announcement on the local network, or null when the person chose
     * not to announce it (it ends with the room).
     */
    public record Hosted(
            RoomHost host,
            Membership member,
            InviteLink self,
            List<NetworkAddresses.Entry> addresses,
            String password,
            LanAnnouncement announcement) {
        /** Stops the room: the goodbyes on the network first (browsers drop it), then the room. Blocks. */
        public void stop() {
            if (announcement != null) {
                announcement.close();
            }
            host.close();
        }

        /** The room's key, or null when it runs without encryption. */
        public Fingerprint fingerprint() {
            return host.fingerprint();
        }

        public boolean passwordProtected() {
            return password != null;
        }
    }

    private volatile String roomName = "Room";
    private volatile String nick = "host";
    private volatile int port = HostConfig.DEFAULT_PORT;
    private volatile InetAddress bindAddress;
    private volatile RoomConnectionListener listener;
    private volatile HostListener hostListener = HostListener.NONE;
    private volatile String password;
    private volatile boolean insecure;
    private volatile LanAnnouncement.Factory announce = LanAnnouncement.lan();
    private volatile HostViewModel.FileLimits files =
            new HostViewModel.FileLimits(HostConfig.DEFAULT_MAX_FILE_SIZE, HostConfig.DEFAULT_FILE_QUOTA);

    public HostService() {
        setOnFailed(e -> {});
    }

    /** What to start next time {@link #restart()} or {@link #start()} runs. */
    public void configure(
            String roomName, String nick, int port, InetAddress bindAddress, RoomConnectionListener listener) {
        this.roomName = roomName;
        this.nick = nick;
        this.port = port;
        this.bindAddress = bindAddress;
        this.listener = listener;
    }

    /**
     * How the next start protects the room: a password (null = open room), and plain TCP instead
     * of TLS (only by explicit choice: {@code -Dconfab.insecure=true}).
     */
    public void configureSecurity(String password, boolean insecure) {
        this.password = password == null || password.isEmpty() ? null : password;
        this.insecure = insecure;
    }

    /** How the next start announces the room on the local network; null: not at all (the Host dialog's checkbox). */
    public void configureAnnouncing(LanAnnouncement.Factory announce) {
        this.announce = announce;
    }

    /**
     * What the Host dialog's form asks for: its room name, nickname, port and password, and its
     * "announce" checkbox: ticked, the room is announced through {@code lan}; not, not at all.
     */
    public void configure(
            HostViewModel form,
            InetAddress bindAddress,
            RoomConnectionListener listener,
            boolean insecure,
            LanAnnouncement.Factory lan) {
        configure(form.roomNameValue(), form.nick().text(), form.portValue(), bindAddress, listener);
        configureSecurity(form.passwordValue(), insecure);
        configureAnnouncing(form.announceProperty().get() ? lan : null);
        configureFiles(form.fileLimits());
    }

    /** What the next start takes in files (the Host dialog's switch and limits). */
    public void configureFiles(HostViewModel.FileLimits files) {
        this.files = files;
    }

    public void setHostListener(HostListener hostListener) {
        this.hostListener = hostListener == null ? HostListener.NONE : hostListener;
    }

    /**
     * What one start of a room needs: the Host dialog's choices, or a room hosted again on start.
     *
     * @param announce how to announce it on the local network, or null: not announced
     * @param files    what it takes in files: the largest (0: file sharing off) and the quota
     */
    public record Request(
            String roomName,
            String nick,
            int port,
            InetAddress bindAddress,
            RoomConnectionListener listener,
            HostListener hostListener,
            String password,
            boolean insecure,
            LanAnnouncement.Factory announce,
            HostViewModel.FileLimits files) {}

    /** What the next start runs with, as configured. */
    Request request() {
        return new Request(
                roomName, nick, port, bindAddress, listener, hostListener, password, insecure, announce, files);
    }

    @Override
    protected Task<Hosted> createTask() {
        Request request = request();
        return new Task<>() {
            @Override
            protected Hosted call() throws Exception {
                return start(request, this::updateMessage, this::isCancelled);
            }
        };
    }

    /**
     * Starts the room and joins it as its host's member, on the calling thread (a background one):
     * the one way the app hosts, from the dialog (this Service) or on start (rooms hosted again).
     *
     * @param progress told each step, as a sentence
     * @param cancelled true once the start is no longer wanted: the room stops again, the result is null
     */
    public static Hosted start(Request r, Consumer<String> progress, BooleanSupplier cancelled) throws Exception {
        String room = r.roomName();
        String me = r.nick();
        int p = r.port();
        InetAddress bind = r.bindAddress();
        String pw = r.password() == null || r.password().isEmpty() ? null : r.password();
        boolean plain = r.insecure();
        progress.accept("Starting the room…");
        HostSecurity security;
        try {
            security = HostSecurity.of(pw, plain, null);
        } catch (IllegalArgumentException e) {
            throw new HostStartException(
                    e.getMessage() + " (confab.insecure). Leave the password empty or turn encryption back on.", e);
        }
        HostConfig config = HostConfig.defaults(room, p).withBindAddress(bind);
        if (r.files() != null) {
            config = config.withFiles(r.files().maxFileSize(), r.files().quota());
        }
        if (p != 0) {
            // a room on a fixed port keeps its identity and history across restarts; on an
            // ephemeral port (0) nobody could find it again, so its history stays in memory
            config = config.withHistoryFile(DataDirs.hostRoomFile(DataDirs.userDataDir(), room, p));
        }
        // whatever stops the room (a leave, the window's shutdown) also ends its announcement
        AtomicReference<LanAnnouncement> announced = new AtomicReference<>();
        HostListener told = endingWith(r.hostListener() == null ? HostListener.NONE : r.hostListener(), announced);
        RoomHost host = new RoomHost(config, security, told);
        InetSocketAddress bound = host.start();
        int actual = bound.getPort();
        progress.accept("Listening on port " + actual + ", joining it…");
        try {
            String self = bind != null && !bind.isAnyLocalAddress() ? bind.getHostAddress() : "127.0.0.1";
            Fingerprint fp = host.fingerprint();
            JoinOptions own = (plain ? JoinOptions.insecureTcp() : JoinOptions.pinned(fp))
                    .withPassword(pw)
                    .withOwnerToken(host.ownerToken()); // this app's member is the room's host
            InviteLink selfLink = new InviteLink(self, actual, fp);
            // our own membership: a store beside the room's file when it is persistent
            ClientStore store = p != 0 ? Membership.openStore(selfLink, me) : null;
            Membership member = Membership.of(Membership.connection(selfLink, me, own, store, r.listener()), store);
            try {
                member.room().connect();
            } catch (JoinException | RuntimeException e) {
                member.close();
                throw e;
            }
            if (cancelled.getAsBoolean()) {
                member.close();
                host.close();
                return null;
            }
            progress.accept("Hosting on port " + actual);
            LanAnnouncement announcement =
                    r.announce() == null ? null : r.announce().start(host, me);
            announced.set(announcement);
            if (announcement != null && !host.isRunning()) {
                announcement.close(); // stopped meanwhile: its listener found nothing to end
            }
            List<NetworkAddresses.Entry> addresses = NetworkAddresses.forPort(actual).stream()
                    .map(e -> new NetworkAddresses.Entry(e.link().withFingerprint(fp), e.interfaceName(), e.loopback()))
                    .toList();
            return new Hosted(host, member, selfLink, addresses, pw, announcement);
        } catch (JoinException | RuntimeException e) {
            host.close();
            throw new HostStartException("The room started, but joining it failed: " + e.getMessage(), e);
        }
    }

    /** {@code listener}, and when the room stops, its announcement ends first. */
    private static HostListener endingWith(HostListener listener, AtomicReference<LanAnnouncement> announcement) {
        return new HostListener() {
            @Override
            public void started(InetSocketAddress bound) {
                listener.started(bound);
            }

            @Override
            public void joined(String nick, String remote) {
                listener.joined(nick, remote);
            }

            @Override
            public void left(String nick, String reason) {
                listener.left(nick, reason);
            }

            @Override
            public void peerError(String remote, String code, String text) {
                listener.peerError(remote, code, text);
            }

            @Override
            public void stopped() {
                LanAnnouncement a = announcement.get();
                if (a != null) {
                    a.close();
                }
                listener.stopped();
            }
        };
    }
}
