package org.confab.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.confab.net.Version;
import org.confab.store.DataDirs;
import org.confab.ui.ConfabApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command: with no subcommand it opens the desktop app.
 *
 * <p>{@code --smoke} (hidden from --help, documented here and in the README): opens the desktop
 * app through {@code ConfabApp.launchSmoke()}, a start-up self-check for packaging and CI that
 * shows the main window and exits by itself.
 */
@Command(
        name = "confab",
        mixinStandardHelpOptions = true,
        versionProvider = ConfabCommand.VersionProvider.class,
        description = {
            "Confab: a LAN messenger. Host a room, join by IP:port, chat.",
            "With no command, opens the desktop app."
        },
        subcommands = {HostCommand.class, JoinCommand.class, SendCommand.class, RoomsCommand.class, DoctorCommand.class
        },
        footerHeading = "%nExit codes of the desktop app:%n",
        footer = {
            "  0  The window was closed.",
            "  3  No display to open a window on (no DISPLAY or WAYLAND_DISPLAY, e.g. over SSH), or the",
            "     toolkit could not start; the message says so and names 'confab host' / 'confab join'.",
            "  The host and join commands list their own codes: confab host --help, confab join --help."
        })
public final class ConfabCommand implements Callable<Integer> {
    /** Returned by {@link #execute} when the GUI took over the main thread's work. */
    public static final int GUI_STARTED = Integer.MIN_VALUE;
    /**
     * No window can be opened here. Its own code, not 1 or 2, so that {@code mvn exec:exec} (the
     * README's first command, configured to accept it) ends with the hint, not a build failure.
     */
    public static final int EXIT_NO_DISPLAY = 3;

    @CommandLine.Parameters(
            arity = "0..1",
            paramLabel = "LINK",
            description = "Optional confab://HOST:PORT link: opens the Join dialog prefilled.")
    String link;

    @CommandLine.Option(
            names = "--insecure",
            description =
                    "Host and join without encryption (plain TCP), for debugging: the room shows \"Not encrypted\".")
    boolean insecure;

    /**
     * {@code --profile DIR}, before or after a subcommand ({@code confab --profile DIR host},
     * {@code confab host --profile DIR}): applied as soon as it is parsed, so the desktop app, the
     * host and the terminal client all keep their settings, keys and history there.
     */
    @CommandLine.Option(
            names = "--profile",
            paramLabel = "DIR",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Keep settings, keys and history in DIR (its data in DIR/data) instead of the user's"
                    + " folders: a second profile on one account. Same as the environment variable CONFAB_HOME.")
    void profile(Path dir) {
        Path home = dir.toAbsolutePath();
        System.setProperty("confab.home", home.toString()); // AppDirs
        System.setProperty(DataDirs.PROPERTY, home.resolve("data").toString());
    }

    @CommandLine.Option(
            names = "--smoke",
            hidden = true,
            description = "Start the desktop app as a self-check: show the window, then exit (packaging/CI).")
    boolean smoke;

    @Override
    public Integer call() {
        if (insecure) {
            System.setProperty("confab.insecure", "true"); // read by the desktop app's MainWindow
        }
        String noDisplay = noDisplay(System.getProperty("os.name", ""), System.getenv());
        if (noDisplay != null) {
            System.err.println(noDisplay);
            return EXIT_NO_DISPLAY;
        }
        try {
            if (smoke) {
                ConfabApp.launchSmoke();
            } else {
                ConfabApp.launchGui(link);
            }
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // JavaFX could not start its toolkit (no usable display, missing GTK): one clear line, no stack trace
            System.err.println("confab: cannot open the desktop window: " + e.getMessage()
                    + ". For the terminal, use 'confab host' or 'confab join' (see confab --help).");
            return EXIT_NO_DISPLAY;
        }
        return GUI_STARTED;
    }

    /**
     * Why the desktop app cannot open a window here, or null if it can try: on Linux and the BSDs
     * a window needs an X11 or Wayland display, and an SSH session or a server has none. (JavaFX
     * would otherwise end with "Unable to open DISPLAY" and a stack trace.)
     */
    static String noDisplay(String osName, Map<String, String> env) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac")) {
            return null;
        }
        if (!env.getOrDefault("DISPLAY", "").isBlank()
                || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank()) {
            return null;
        }
        return "confab: no display to open the desktop window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                + "In a terminal or over SSH, use 'confab host' to run a room or 'confab join HOST:PORT' to chat (see confab --help).";
    }

    public static int execute(String[] args) {
        ConfabCommand gui = desktopStart(args);
        if (gui != null) {
            return gui.call();
        }
        var cmd = new CommandLine(new ConfabCommand());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        // peer text is UTF-8 on the wire; print it as UTF-8 whatever the platform default is
        cmd.setOut(utf8(FileDescriptor.out));
        cmd.setErr(utf8(FileDescriptor.err));
        return cmd.execute(args);
    }

    /**
     * The desktop starts (no arguments, a lone {@code confab://} link from the desktop's link
     * handler, or {@code --smoke}) parsed without picocli: building picocli's model of every
     * subcommand costs ~0.25 s of reflection at each start of the desktop app, which never needs
     * it. Returns the command as picocli would have filled it, or null for anything else (options,
     * subcommands, {@code --help}), which picocli parses as usual.
     */
    static ConfabCommand desktopStart(String[] args) {
        if (args.length > 1) {
            return null;
        }
        var c = new ConfabCommand();
        if (args.length == 0) {
            return c;
        }
        String a = args[0];
        if (a.equals("--smoke")) {
            c.smoke = true;
            return c;
        }
        if (a.regionMatches(true, 0, "confab://", 0, "confab://".length())) {
            c.link = a;
            return c;
        }
        return null;
    }

    private static PrintWriter utf8(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
    }

    /** Reads the version that the build put into version.properties. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "Confab " + Version.get(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
