package org.confab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.confab.core.Addresses;
import org.confab.core.InviteLink;
import org.confab.core.NicknameRules;
import org.confab.core.Room;
import org.confab.core.Sizes;
import org.confab.net.HostConfig;
import org.confab.net.HostListener;
import org.confab.net.HostSecurity;
import org.confab.net.HostStartException;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.LocalAddresses;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.confab.net.Version;
import org.confab.net.discovery.Discovery;
import org.confab.net.discovery.HostAnnouncement;
import org.confab.protocol.Frame;
import org.confab.store.DataDirs;
import org.confab.store.MemberSecrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The headless host: no window, never loads JavaFX. Prints one line once listening (with the
 * actual port, so {@code --port 0} is usable by scripts), then one timestamped line per join,
 * leave and peer error. Runs until SIGTERM or Ctrl-C; then tells the members the room closed,
 * prints "stopped" and exits 0.
 */
@Command(
        name = "host",
        description = {
            "Host a room without a window.",
            "Prints the addresses to join once listening, then one line per join, leave and peer error.",
            "Stop with Ctrl-C or SIGTERM: members are told the room closed."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  Stopped by Ctrl-C or SIGTERM.",
            "  1  Unexpected failure.",
            "  2  Invalid command line, or cannot listen (port in use or not allowed)."
        })
public final class HostCommand implements Callable<Integer> {
    public static final int EXIT_CANNOT_START = 2;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** --help, --version, --insecure: shared with join. */
    @Mixin
    CommonOptions common;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + HostConfig.DEFAULT_PORT,
            description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            defaultValue = "Confab room",
            description = "Room name shown to members (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--nick",
            paramLabel = "NICK",
            description = "Also be a member under this nickname: stdin lines are sent, room events printed.")
    String nick;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            description = "Listen on this address only (default: all interfaces).")
    InetAddress bind;

    @Option(
            names = "--history",
            paramLabel = "N",
            defaultValue = "" + Room.DEFAULT_HISTORY,
            description = "Recent events sent to a member who joins (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(
            names = "--max-members",
            paramLabel = "N",
            defaultValue = "" + Room.DEFAULT_MAX_MEMBERS,
            description = "Most members at once (default: ${DEFAULT-VALUE}).")
    int maxMembers;

    @Option(
            names = "--lazy-members-above",
            paramLabel = "N",
            defaultValue = "" + HostConfig.DEFAULT_LAZY_MEMBERS_ABOVE,
            description = "In a room of more members than N, a member who joins gets the count and loads the "
                    + "member list when it asks, instead of hearing every join (default: ${DEFAULT-VALUE}).")
    int lazyMembersAbove;

    @Option(
            names = "--max-frame",
            paramLabel = "BYTES",
            defaultValue = "" + Frame.DEFAULT_MAX_PAYLOAD,
            description = "Largest frame accepted from a member, in bytes (default: ${DEFAULT-VALUE}).")
    int maxFrame;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "Require the room password on the first line of FILE (or set CONFAB_ROOM_PASSWORD). "
                    + "Kept in memory only as a salted PBKDF2 (SCRAM) hash.")
    Path passwordFile;

    @Option(
            names = "--identity",
            paramLabel = "FILE",
            description =
                    "The room's key file (made on first use, owner-only; default: host-identity.p12 in the config directory).")
    Path identityFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Folder for the room's history (default: the user data folder, e.g. ~/.local/share/confab)."
                    + " The history survives restarts: sequence numbers go on and members resume where they left off.")
    Path dataDir;

    @Option(
            names = "--no-announce",
            description = "Do not announce the room on the local network (mDNS/DNS-SD, docs/discovery.md);"
                    + " it is then joined by address or invite link only.")
    boolean noAnnounce;

    @Option(names = "--no-save", description = "Keep the history in memory only (lost when the host stops).")
    boolean noSave;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "" + HostConfig.DEFAULT_RATE_PER_SECOND,
            description = "Messages per second one member may send on average (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--burst",
            paramLabel = "N",
            defaultValue = "" + HostConfig.DEFAULT_BURST,
            description = "Messages one member may send at once (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(
            names = "--keep",
            paramLabel = "N",
            defaultValue = "" + HostConfig.DEFAULT_KEEP_EVENTS,
            description = "Events kept in the history file; older ones are deleted (default: ${DEFAULT-VALUE}).")
    long keep;

    @Option(
            names = "--sync",
            paramLabel = "MODE",
            defaultValue = "full",
            description = "full: every event is fsynced before anyone sees it (survives power loss); normal: faster,"
                    + " survives the host being killed but not the machine crashing (default: ${DEFAULT-VALUE}).")
    String sync;

    @Option(names = "--no-files", description = "Members cannot share files in this room.")
    boolean noFiles;

    @Option(
            names = "--max-file-size",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            defaultValue = "4G",
            description = "Largest file a member may share, e.g. 500M or 4G (K, M, G, T: powers of 1024;"
                    + " default: ${DEFAULT-VALUE}).")
    long maxFileSize;

    @Option(
            names = "--file-quota",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            defaultValue = "20G",
            description = "Space for shared files in all; an upload that does not fit is refused"
                    + " (default: ${DEFAULT-VALUE}).")
    long fileQuota;

    @Option(
            names = "--file-retention",
            paramLabel = "DAYS",
            defaultValue = "30",
            description = "Days a shared file is kept after its upload, then deleted (its message stays and says"
                    + " the file is gone when asked for); 0 keeps files until their message is deleted"
                    + " (default: ${DEFAULT-VALUE}).")
    int fileRetentionDays;

    /** Input for the host's own membership (--nick); tests replace it. */
    InputStream in = System.in;

    ZoneId zone = ZoneId.systemDefault();
    /** Halt with status 0 after a signal-driven stop (the JVM would otherwise exit 143/130). */
    boolean haltAfterSignal = true;

    private volatile RoomHost host;
    private volatile HostAnnouncement announcement;
    private volatile TerminalChat ownChat;
    private volatile RoomConnection ownConnection;
    private PrintWriter out;

    @Override
    public Integer call() throws InterruptedException {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        Path historyFile =
                noSave ? null : DataDirs.hostRoomFile(dataDir != null ? dataDir : DataDirs.userDataDir(), name, port);
        HostConfig config = HostConfig.defaults(name, port)
                .withBindAddress(bind)
                .withLimits(maxFrame, history, maxMembers, HostConfig.DEFAULT_SEND_QUEUE)
                .withHistoryFile(historyFile)
                .withRateLimit(rate, burst)
                .withKeepEvents(keep)
                .withFsync(sync.equals("full"))
                .withFiles(noFiles ? 0 : maxFileSize, fileQuota)
                .withFileRetention(Duration.ofDays(fileRetentionDays))
                .withLazyMembersAbove(lazyMembersAbove);
        HostSecurity security;
        InetSocketAddress bound;
        try {
            security = security();
            host = new RoomHost(config, security, new LogListener());
            bound = host.start();
        } catch (IOException | IllegalArgumentException | HostStartException e) {
            err.println("confab host: " + e.getMessage());
            err.flush();
            return EXIT_CANNOT_START;
        }
        List<String> addresses = joinAddresses(bound);
        line("Confab " + Version.get() + " hosting \"" + name + "\" on port " + bound.getPort() + " (join at "
                + String.join(", ", addresses) + ")");
        if (security.encrypted()) {
            var fp = security.fingerprint();
            line("Encrypted (TLS 1.3). Room safety code: " + fp.safetyCode());
            // every address in one link: a joiner's Confab tries them all (docs/protocol.md §1.2)
            var invite = InviteLink.of(
                    addresses.stream()
                            .map(a -> InviteLink.parseAddress(a, bound.getPort()))
                            .map(l -> new InviteLink.Candidate(l.host(), l.port()))
                            .toList(),
                    fp);
            line("Invite link: " + invite.format() + (security.password() != null ? "  (password required)" : ""));
        } else {
            line(CommonOptions.INSECURE_WARNING);
        }
        line(filesLine(config));
        line(
                historyFile == null
                        ? "History: in memory only (--no-save)."
                        : "History: " + historyFile.toAbsolutePath() + " (next seq " + (host.lastSeq() + 1) + ")");
        Thread hook = new Thread(this::stopAfterSignal, "confab-host-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (nick != null) {
            var chat = new TerminalChat(out, err, false, zone, Clock.systemUTC());
            InetAddress self =
                    bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
            try {
                var own = security.encrypted() ? JoinOptions.pinned(security.fingerprint()) : JoinOptions.insecureTcp();
                // the host's own membership is an ordinary member's connection, kept in memory only
                var connection = new RoomConnection(
                        RoomConnection.Options.defaults(self.getHostAddress(), bound.getPort(), nick)
                                .withSecurity(own.withPassword(ownPassword)
                                        .withIdentity(MemberSecrets.standard())
                                        .withOwnerToken(host.ownerToken())),
                        null,
                        chat);
                chat.attach(connection);
                ownConnection = connection;
                connection.connect();
            } catch (JoinException e) {
                ownConnection.close();
                err.println("confab host: could not join your own room as \"" + nick + "\": " + e.getMessage());
                err.flush();
                Runtime.getRuntime().removeShutdownHook(hook);
                host.close();
                return 1;
            }
            ownChat = chat;
            Thread.ofPlatform().daemon(true).name("confab-stdin").start(() -> chat.readInput(in, false));
        }
        // announced once the host's own member is in: the first announcement already counts it
        announce(err);
        host.awaitStopped();
        return 0;
    }

    private String ownPassword;

    /** Announces the room on the LAN unless --no-announce (or discovery is off); says where. */
    private void announce(PrintWriter err) {
        if (noAnnounce) {
            line("Not announced on the local network (--no-announce).");
            return;
        }
        if (!Discovery.allowed()) {
            line("Not announced: " + Discovery.whyOff());
            return;
        }
        var a = HostAnnouncement.start(host, nick);
        announcement = a;
        if (a.interfaces().isEmpty()) {
            line("Not announced yet: no network interface with multicast is up; it will be once one is"
                    + " (until then, join by address or invite link).");
        } else {
            line("Announced on the local network (" + String.join(", ", a.interfaces()) + ") as _confab._tcp.");
        }
    }

    private HostSecurity security() throws IOException {
        String password = Passwords.read(passwordFile, "CONFAB_ROOM_PASSWORD");
        try {
            var security = HostSecurity.of(password, common.insecure, identityFile);
            ownPassword = password;
            return security;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " Drop --insecure, or the password.", e);
        }
    }

    private void validate() {
        var cl = spec.commandLine();
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(cl, "--port must be between 0 and 65535.");
        }
        if (name.isBlank() || name.length() > 200) {
            throw new CommandLine.ParameterException(cl, "--name must not be empty or longer than 200 characters.");
        }
        if (nick != null && NicknameRules.problem(nick).isPresent()) {
            throw new CommandLine.ParameterException(
                    cl, "Invalid --nick: " + NicknameRules.problem(nick).get());
        }
        if (history < 0 || history > 100_000) {
            throw new CommandLine.ParameterException(cl, "--history must be between 0 and 100000.");
        }
        if (maxMembers < 1 || maxMembers > 100_000) {
            throw new CommandLine.ParameterException(cl, "--max-members must be between 1 and 100000.");
        }
        if (lazyMembersAbove < 0 || lazyMembersAbove > 100_000) {
            throw new CommandLine.ParameterException(cl, "--lazy-members-above must be between 0 and 100000.");
        }
        if (rate < 1 || rate > 1_000_000 || burst < 1 || burst > 1_000_000) {
            throw new CommandLine.ParameterException(cl, "--rate and --burst must be between 1 and 1000000.");
        }
        if (!sync.equals("full") && !sync.equals("normal")) {
            throw new CommandLine.ParameterException(cl, "--sync must be full or normal.");
        }
        if (keep < 1) {
            throw new CommandLine.ParameterException(cl, "--keep must be at least 1.");
        }
        if (maxFileSize < 1 && !noFiles) {
            throw new CommandLine.ParameterException(
                    cl, "--max-file-size must be at least 1 byte (use --no-files to turn files off).");
        }
        if (fileRetentionDays < 0 || fileRetentionDays > 36_500) {
            throw new CommandLine.ParameterException(cl, "--file-retention must be between 0 and 36500 days.");
        }
        if (maxFrame < 1024 || maxFrame > 64 * 1024 * 1024) {
            throw new CommandLine.ParameterException(cl, "--max-frame must be between 1024 and 67108864 bytes.");
        }
    }

    /** The shutdown hook: stop in order, say so, and exit 0 (a requested stop is a success). */
    private void stopAfterSignal() {
        stop();
        if (haltAfterSignal) {
            Runtime.getRuntime().halt(0);
        }
    }

    /** Closes the room (members are told), waits for the own membership to report it, prints "stopped". */
    void stop() {
        RoomHost h = host;
        if (h == null) {
            return;
        }
        HostAnnouncement a = announcement;
        if (a != null) {
            a.close(); // the goodbyes first: browsers drop the room before members see it close
        }
        h.close();
        TerminalChat chat = ownChat;
        if (chat != null) {
            try {
                chat.awaitEnd(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ownConnection.close();
        }
        line("stopped");
        out.flush();
    }

    /** What the host does with files, in one line. */
    static String filesLine(HostConfig c) {
        if (c.maxFileSize() == 0) {
            return "Files: off (--no-files).";
        }
        return "Files: up to " + Sizes.text(c.maxFileSize()) + " each, " + Sizes.text(c.fileQuota())
                + " in all, "
                + (c.fileRetention().isZero()
                        ? "kept until their message is deleted"
                        : "kept " + c.fileRetention().toDays() + " days")
                + (c.filesDir() == null
                        ? " (a temporary folder, gone at stop: --no-save)."
                        : " in " + c.filesDir() + ".");
    }

    private void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    private void log(String text) {
        line("[" + STAMP.format(LocalDateTime.now(zone)) + "] " + text);
    }

    /** What to type on another machine: this host's non-loopback addresses, loopback if none. */
    static List<String> joinAddresses(InetSocketAddress bound) {
        int p = bound.getPort();
        InetAddress a = bound.getAddress();
        if (a != null && !a.isAnyLocalAddress()) {
            return List.of(Addresses.hostPort(Addresses.text(a), p));
        }
        List<String> out = new ArrayList<>(LocalAddresses.reachable().stream()
                .map(l -> Addresses.hostPort(l.host(), p))
                .toList());
        if (out.isEmpty()) {
            out.add("127.0.0.1:" + p);
        }
        return out;
    }

    private final class LogListener implements HostListener {
        @Override
        public void joined(String who, String remote) {
            log("joined " + EventFormat.safe(who) + " from " + remote);
        }

        @Override
        public void left(String who, String reason) {
            log("left " + EventFormat.safe(who) + " (" + EventFormat.safe(reason) + ")");
        }

        @Override
        public void peerError(String remote, String code, String text) {
            log("peer error " + remote + " " + code + ": " + EventFormat.safe(text));
        }
    }
}
