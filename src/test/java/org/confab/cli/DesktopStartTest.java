package org.confab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The picocli-free desktop start must fill the command exactly as picocli would. */
class DesktopStartTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"", "--smoke", "confab://192.168.1.20:4747", "CONFAB://h:1/?fp=abc", "confab://[::1]:4747/?fp=x"
            })
    void desktopStartsMatchPicocli(String arg) {
        String[] args = arg.isEmpty() ? new String[0] : new String[] {arg};
        ConfabCommand fast = ConfabCommand.desktopStart(args);
        assertNotNull(fast, "a desktop start: " + arg);
        ConfabCommand parsed = new ConfabCommand();
        new CommandLine(parsed).parseArgs(args);
        assertEquals(parsed.link, fast.link);
        assertEquals(parsed.smoke, fast.smoke);
        assertEquals(parsed.insecure, fast.insecure);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help",
                "-h",
                "--version",
                "-V",
                "host",
                "join",
                "--insecure",
                "--smoke --insecure",
                "--insecure confab://h:1",
                "host --port 1",
                "not-a-link",
                "--smok"
            })
    void everythingElseGoesToPicocli(String line) {
        assertNull(ConfabCommand.desktopStart(line.split(" ")), line);
    }

    @Test
    void noDisplayIsReportedOnlyWhereAWindowNeedsOne() {
        assertNotNull(ConfabCommand.noDisplay("Linux", Map.of()));
        assertNotNull(ConfabCommand.noDisplay("Linux", Map.of("DISPLAY", " ")));
        assertNotNull(ConfabCommand.noDisplay("FreeBSD", Map.of("TERM", "xterm")));
        assertNull(ConfabCommand.noDisplay("Linux", Map.of("DISPLAY", ":0")));
        assertNull(ConfabCommand.noDisplay("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0")));
        assertNull(ConfabCommand.noDisplay("Windows 11", Map.of()));
        assertNull(ConfabCommand.noDisplay("Mac OS X", Map.of()));
        assertEquals(true, ConfabCommand.noDisplay("Linux", Map.of()).contains("confab host"));
    }
}
