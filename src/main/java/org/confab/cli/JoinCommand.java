package org.confab.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.confab.core.NicknameRules;
import org.confab.net.HostConfig;
import org.confab.net.JoinException;
import org.confab.net.RoomConnection;
import org.confab.store.ClientStore;
import org.confab.store.DataDirs;
import org.confab.store.StoreException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The terminal client: stdin lines become messages, room events become stdout lines. */
@Command(name = "join", mixinStandardHelpOptions = true, versionProvider = ConfabCommand.VersionProvider.class,
        description = {"Join a room from the terminal.",
                "Each line typed (UTF-8) is sent as a message; every room event is printed, one per line.",
                "Input commands: /nick NEW renames you; /quit leaves; a line starting with // sends it with one / removed.",
                "End of input (Ctrl-D) leaves the room in order.",
                "If the connection drops, it reconnects by itself (0.5 s doubling to 30 s) and resumes where it",
                "left off: missed events are printed, lines typed meanwhile are kept on disk and sent exactly once."},
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
                " 14  The connection dropped while joining.",
                " 20  The nickname is taken in that room.",
                " 21  The host refused the nickname.",
                " 22  The room is full.",
                " 30  The host speaks another protocol version.",
                " 31  The other side is not a Confab host (protocol error).",
                "",
                "With --json every line is one JSON object with a \"type\": welcome, message, joined, left, renamed,",
                "error or disconnected; events have seq, id and time (ISO-8601 UTC). See docs/protocol.md."})
public final class JoinCommand implements Callable<Integer> {
    public static final int EXIT_LOST = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
            description = "Host address: HOST:PORT, [IPv6]:PORT, or HOST alone (port " + HostConfig.DEFAULT_PORT + ").")
    HostPort address;

    @Option(names = "--nick", required = true, paramLabel = "NICK", description = "Your nickname in the room (at most 32 characters).")
    String nick;

    @Option(names = "--json", description = "Print one JSON object per line instead of human text.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "8",
            description = "Seconds to wait for the host to answer when joining (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where to keep this room's history cache and unsent messages (default: the user data folder, "
                    + "e.g. ~/.local/share/confab).")
    Path stateDir;

    @Option(names = "--no-save", description = "Keep nothing on disk: history and unsent messages live only as long as this process.")
    boolean noSave;

    /** Where input lines come from; tests replace it. */
    InputStream in = System.in;
    ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be between 1 and 3600 seconds.");
        }
        var problem = NicknameRules.problem(nick);
        if (problem.isPresent()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid --nick: " + problem.get());
        }
        var chat = new TerminalChat(out, err, json, zone, Clock.systemUTC());
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
        var options = RoomConnection.Options.defaults(address.host(), address.port(), nick)
                .withTimeouts(Duration.ofSeconds(timeoutSeconds), HostConfig.DEFAULT_IDLE_TIMEOUT);
        var connection = new RoomConnection(options, store, chat);
        chat.attach(connection);
        try {
            connection.connect();
        } catch (JoinException e) {
            err.println("confab join: " + e.getMessage());
            err.flush();
            connection.close();
            if (store != null) {
                store.close();
            }
            return exitCode(e.reason());
        }
        Thread hook = new Thread(connection::leave, "confab-join-shutdown");
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
        };
    }
}
