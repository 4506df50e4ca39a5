package org.confab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import org.confab.core.RoomEvent;
import org.confab.store.DataDirs;
import org.confab.store.HostStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HostCommandTest {
    @Test
    void portInUseIsOneLineOnStderrAndExit2() throws Exception {
        try (var taken = new ServerSocket(0)) {
            var out = new Lines();
            var err = new Lines();
            var cmd = new HostCommand();
            cmd.haltAfterSignal = false;
            int code = new CommandLine(cmd)
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true))
                    .execute("--port", String.valueOf(taken.getLocalPort()), "--name", "Room");
            assertThat(code).isEqualTo(2);
            assertThat(err.all())
                    .singleElement()
                    .asString()
                    .isEqualTo(
                            "confab host: Port " + taken.getLocalPort()
                                    + " is already in use. Stop the other program or choose another port (0 picks a free one).");
            assertThat(out.all()).isEmpty();
        }
    }

    @Test
    void badLimitsAreUsageErrors() {
        for (String[] args : new String[][] {
            {"--port", "70000"},
            {"--history", "-1"},
            {"--max-members", "0"},
            {"--max-frame", "10"},
            {"--nick", "a\u0007b"},
            {"--bind", "no.such.host.invalid"},
            {"--rate", "0"},
            {"--burst", "0"},
            {"--keep", "0"},
            {"--sync", "sometimes"},
            {"--max-file-size", "lots"},
            {"--max-file-size", "0"},
            {"--file-quota", "5X"},
            {"--file-retention", "-1"}
        }) {
            var err = new Lines();
            int code = new CommandLine(new HostCommand())
                    .setErr(new PrintWriter(err, true))
                    .execute(args);
            assertThat(code).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.all()).as(String.join(" ", args)).isNotEmpty();
        }
    }

    @Test
    void aHistoryFileInUseByAnotherHostIsAClearStartError(@TempDir Path dir) throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var file = DataDirs.hostRoomFile(dir, "Busy", port);
        try (var other = HostStore.open(file)) {
            other.append(new RoomEvent.Joined(1, "j", Instant.now(), "x"), null);
            var err = new Lines();
            var cmd = new HostCommand();
            cmd.haltAfterSignal = false;
            int code = new CommandLine(cmd)
                    .setOut(new PrintWriter(new Lines(), true))
                    .setErr(new PrintWriter(err, true))
                    .execute("--port", String.valueOf(port), "--name", "Busy", "--data-dir", dir.toString());
            assertThat(code).isEqualTo(2);
            assertThat(err.all())
                    .singleElement()
                    .asString()
                    .startsWith("confab host: Cannot open the room's history: ")
                    .contains("in use by another Confab program");
        }
    }

    @Test
    void joinAddressesShowTheBoundAddressOrNonLoopbackOnes() throws Exception {
        assertThat(HostCommand.joinAddresses(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5555)))
                .containsExactly("10.1.2.3:5555");
        assertThat(HostCommand.joinAddresses(new InetSocketAddress(InetAddress.getByName("fd00::5"), 5555)))
                .containsExactly("[fd00::5]:5555");
        var any = HostCommand.joinAddresses(new InetSocketAddress(5555));
        assertThat(any)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a).endsWith(":5555").doesNotContain("%"));
    }

    @Test
    void helpListsExitCodes() {
        var out = new StringWriter();
        new CommandLine(new ConfabCommand()).setOut(new PrintWriter(out)).execute("join", "--help");
        assertThat(out.toString())
                .contains("Exit codes:")
                .contains(" 20  The nickname is taken")
                .contains("/nick NEW");
        out.getBuffer().setLength(0);
        new CommandLine(new ConfabCommand()).setOut(new PrintWriter(out)).execute("host", "--help");
        assertThat(out.toString()).contains("--max-frame").contains("4747").contains("port in use");
        out.getBuffer().setLength(0);
        new CommandLine(new ConfabCommand()).setOut(new PrintWriter(out)).execute("--help");
        assertThat(out.toString()).doesNotContain("--smoke");
    }
}
