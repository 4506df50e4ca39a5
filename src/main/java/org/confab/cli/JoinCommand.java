package org.confab.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.Joined;
import org.confab.net.RoomConnection;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;
import org.confab.store.FavouriteRooms;
import org.confab.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The terminal client: stdin lines become messages, room events become stdout lines. */
@Command(
        name = "join",
        description = {
            "Join a room from the terminal.",
            "Each line typed (UTF-8) is sent as a message; every room event is printed, one per line.",
            "Input commands: /nick NEW renames you; /quit leaves; a line starting with // sends it with one / removed.",
            "Files: /send PATH [CAPTION] shares one; a file message shows a number N:",
            "/get N downloads it to --download-dir; /files lists the transfers;",
            "/cancel N stops one (/get N later continues a download).",
            "End of input (Ctrl-D) and /quit leave the room in order, once every line",
            "typed is delivered and every file transfer finished.",
            "If the connection drops, it reconnects by itself (0.5 s doubling to 30 s, --reconnect-max) and resumes where it",
            "left off: missed events are printed, lines typed meanwhile are kept on disk and sent exactly once."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  You left (/quit, end of input) or the host closed the room.",
            "  1  After a drop the host would not take you back (e.g. it now speaks another protocol version).",
            "     (A lost connection is not an exit: join reconnects by itself and resumes.)",
            "  2  Invalid command line (bad HOST:PORT, nickname breaks the rules).",
            " 10  Nobody is hosting at that address (connection refused).",
            " 11  Unknown host name.",
            " 12  No answer within the timeout.",
            " 13  No route to the host (network unreachable).",
            " 14  The connection kept dropping while joining (tried for --retry-for seconds).",
            " 20  The nickname is taken in that room.",
            " 21  The host refused the nickname.",
            " 22  The room is full.",
            " 23  The room is closing (the host is shutting down).",
            " 24  A moderator banned you from this room.",
            " 30  The host speaks another protocol version.",
            " 31  The other side is not a Confab host (protocol error).",
            " 40  First visit to this room and its key was not trusted (use --fp or --trust-new).",
            " 41  The room's key changed since last time (possible impersonation).",
            " 42  The room's key is not the one given with --fp / in the link.",
            " 43  Encryption on one side only (one side uses --insecure).",
            " 50  The room needs a password (--password-file or CONFAB_PASSWORD).",
            " 51  Wrong password.",
            " 52  Too many wrong passwords; wait and retry.",
            "",
            "With --json every line is one JSON object with a \"type\": welcome, message, joined, left, renamed,",
            "error or disconnected; events have seq, id and time (ISO-8601 UTC).",
            "A message that shares a file has a \"file\" object: id, name, size, sha256,",
            "mime, chunk, and handle (the N of /get N). Transfers are lines of their own:",
            "file-started, file-progress (done, total), file-done (path, for a download),",
            "file-failed (reason), file-cancelled; each with handle, direction (upload or",
            "download) and name. See docs/protocol.md §12."
        })
public final class JoinCommand implements Callable<Integer> {
    public static final int EXIT_LOST = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** --help, --version, --insecure: shared with host. */
    @Mixin
    CommonOptions common;

    /** Where to join and how: address, nickname, key, password, timeouts; shared with send. */
    @Mixin
    JoinTarget target;

    @Option(names = "--json", description = "Print one JSON object per line instead of human text.")
    boolean json;

    @Option(
            names = "--typing",
            description = "Say when others type (\"* alice is typing…\"; with --json a typing line). Off by default:"
                    + " a terminal reads whole lines, so it never tells the others that you are typing.")
    boolean showTyping;

    @Option(
            names = "--show-seq",
            description = "Start each human line with the event's number (#12), for /reply, /edit, /delete and /react.")
    boolean showSeq;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where to keep this room's history cache and unsent messages (default: the user data folder, "
                    + "e.g. ~/.local/share/confab).")
    Path stateDir;

    @Option(
            names = "--no-save",
            description = "Keep nothing on disk: history and unsent messages live only as long as this process.")
    boolean noSave;

    @Option(
            names = "--download-dir",
            paramLabel = "DIR",
            description = "Where /get saves files (created if missing; default: ~/Downloads/Confab). Names are made"
                    + " safe and never overwrite: report (1).pdf.")
    Path downloadDir;

    @Option(
            names = "--auto-download-below",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            description = "Download every file up to SIZE (e.g. 10M) as soon as someone shares it (default: none).")
    Long autoDownloadBelow;

    /** Where input lines come from; tests replace it. */
    InputStream in = System.in;

    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() throws InterruptedException {
        var cl = spec.commandLine();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        target.validate(cl);
        HostPort address = target.address;
        String nick = target.nick;
        var chat = new TerminalChat(
                out,
                err,
                json,
                showSeq,
                zone,
                Clock.systemUTC(),
                downloadDir != null ? downloadDir : TerminalFiles.defaultDownloadDir(),
                autoDownloadBelow != null ? autoDownloadBelow : -1);
        chat.showTyping(showTyping);
        JoinOptions security;
        try {
            security = target.security(common.insecure);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        ClientStore store = null;
        if (!noSave) {
            Path dir = stateDir != null ? stateDir : DataDirs.userDataDir();
            try {
                store = ClientStore.open(DataDirs.clientFile(dir, address.toString(), nick));
            } catch (StoreException e) {
                err.println("confab join: " + e.getMessage() + " (use --state-dir DIR or --no-save)");
                err.flush();
                return EXIT_USAGE;
            }
        }
        var options = target.connection();
        RoomConnection connection = null;
        try {
            connection = connect(options, security, store, chat, err);
        } catch (JoinException e) {
            err.println("confab join: " + e.getMessage());
            if (e.presented() != null) {
                err.println("confab join: the room's safety code is "
                        + e.presented().safetyCode() + " (fingerprint "
                        + e.presented().base64url() + ")");
            }
            err.flush();
            if (store != null) {
                store.close();
            }
            return exitCode(e.reason());
        }
        if (!noSave) {
            remember(connection);
        }
        if (!address.alternates().isEmpty() && connection.connectedVia() != null) {
            err.println("confab join: reached the room at " + connection.connectedVia() + " (of the link's "
                    + options.candidates().size() + " addresses)");
            err.flush();
        }
        if (security.insecure()) {
            err.println("confab join: " + CommonOptions.INSECURE_WARNING);
            err.flush();
        }
        RoomConnection joined = connection;
        Thread hook = new Thread(joined::leave, "confab-join-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread input = Thread.ofPlatform().daemon(true).name("confab-stdin").start(() -> chat.readInput(in, true));
        try {
            chat.awaitEnd();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
            input.interrupt();
            connection.close();
            if (store != null) {
                store.close();
            }
        }
        return chat.exitCode();
    }

    /**
     * Joins; on a terminal, asks before trusting a new room key or for a missing password, as ssh
     * does. Without a terminal (scripts) it never asks: the failure and its exit code stand.
     */
    private RoomConnection connect(
            RoomConnection.Options base, JoinOptions options, ClientStore store, TerminalChat chat, PrintWriter err)
            throws JoinException {
        Console console = System.console();
        while (true) {
            var connection = new RoomConnection(base.withSecurity(options), store, chat);
            chat.attach(connection);
            try {
                connection.connect(Duration.ofSeconds(target.retryForSeconds));
                return connection;
            } catch (JoinException e) {
                connection.close();
                if (console == null) {
                    throw e;
                }
                if (e.reason() == JoinException.Reason.UNKNOWN_KEY) {
                    err.println("The room at " + target.address + " is new to you. Its safety code is:");
                    err.println("    " + e.presented().safetyCode());
                    err.println("Compare it with the code the host sees. If it differs, someone may be in between.");
                    err.flush();
                    String answer = console.readLine("Trust this room? [y/N] ");
                    if (answer == null
                            || !answer.strip().equalsIgnoreCase("y")
                                    && !answer.strip().equalsIgnoreCase("yes")) {
                        throw e;
                    }
                    options = options.withPinned(e.presented(), JoinOptions.PinSource.SEEN);
                    remember(options, e.presented());
                } else if (e.reason() == JoinException.Reason.PASSWORD_REQUIRED && options.password() == null) {
                    char[] pw = console.readPassword("Room password: ");
                    if (pw == null || pw.length == 0) {
                        throw e;
                    }
                    options = options.withPassword(new String(pw));
                } else {
                    throw e;
                }
            }
        }
    }

    private void remember(JoinOptions options, Fingerprint fp) {
        if (options.knownRooms() != null) {
            try {
                options.knownRooms().trust(target.address.host(), target.address.port(), fp);
            } catch (IOException e) {
                // cannot remember: the next visit asks again
            }
        }
    }

    /** A room joined: the desktop app's start screen looks for it later where multicast does not pass. */
    private void remember(RoomConnection connection) {
        Joined w = connection.welcome();
        Fingerprint key = connection.roomKey();
        if (w == null || key == null) {
            return;
        }
        try {
            FavouriteRooms.standard()
                    .remember(
                            w.roomId(),
                            w.room(),
                            new InviteLink(target.address.host(), target.address.port(), key)
                                    .withAlternates(target.address.alternates()));
        } catch (IOException | RuntimeException e) {
            // not remembered: nothing else depends on it
        }
    }

    /** The exit code for each way joining can fail (listed in the --help footer). */
    public static int exitCode(JoinException.Reason reason) {
        return switch (reason) {
            case REFUSED -> 10;
            case UNKNOWN_HOST -> 11;
            case TIMEOUT -> 12;
            case UNREACHABLE -> 13;
            case LOST -> 14;
            case NICK_TAKEN -> 20;
            case NICK_INVALID -> 21;
            case ROOM_FULL -> 22;
            case INCOMPATIBLE_VERSION -> 30;
            case PROTOCOL -> 31;
            case UNKNOWN_KEY -> 40;
            case KEY_CHANGED -> 41;
            case KEY_MISMATCH -> 42;
            case NOT_ENCRYPTED -> 43;
            case PASSWORD_REQUIRED -> 50;
            case BAD_PASSWORD -> 51;
            case THROTTLED -> 52;
            case ROOM_CLOSED -> 23;
            case BANNED -> 24;
        };
    }
}
