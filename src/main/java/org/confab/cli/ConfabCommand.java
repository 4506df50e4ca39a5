package org.confab.cli;

import java.util.concurrent.Callable;
import org.confab.net.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: with no subcommand it opens the desktop app. */
@Command(name = "confab", mixinStandardHelpOptions = true, versionProvider = ConfabCommand.VersionProvider.class,
        description = {"Confab: a LAN messenger. Host a room, join by IP:port, chat.",
                "With no command, opens the desktop app."},
        subcommands = {HostCommand.class, JoinCommand.class})
public final class ConfabCommand implements Callable<Integer> {
    /** Returned by {@link #execute} when the GUI took over the main thread's work. */
    public static final int GUI_STARTED = Integer.MIN_VALUE;

    @CommandLine.Parameters(arity = "0..1", paramLabel = "LINK",
            description = "Optional confab://HOST:PORT link: opens the Join dialog prefilled.")
    String link;

    @Override
    public Integer call() {
        org.confab.ui.ConfabApp.launchGui(link);
        return GUI_STARTED;
    }

    public static int execute(String[] args) {
        var cmd = new CommandLine(new ConfabCommand());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        Integer code = cmd.execute(args);
        return code;
    }

    /** Reads the version that the build put into version.properties. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Confab " + Version.get(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
