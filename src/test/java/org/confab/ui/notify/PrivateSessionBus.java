package org.confab.ui.notify;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session bus of the test's own (never the machine's): {@code dbus-daemon} with one {@code
 * unix:path=} socket in {@code dir}, no service activation, a clean environment. As in {@link
 * DbusNotifierDaemonTest}; needs {@code dbus-daemon} ({@code apt-get install dbus}) and fails,
 * saying so, where it is missing.
 */
public final class PrivateSessionBus implements AutoCloseable {
    private static final int TIMEOUT_S = 20;

    private final Process daemon;
    private final String address;

    private PrivateSessionBus(Process daemon, String address) {
        this.daemon = daemon;
        this.address = address;
    }

    public static PrivateSessionBus start(Path dir) throws Exception {
        if (!onPath("dbus-daemon")) {
            fail("dbus-daemon is not installed: this test needs a private D-Bus"
                    + " (apt-get install dbus; .ci/run installs it)");
        }
        Path socket = dir.resolve("bus");
        Path config = dir.resolve("bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(socket));
        ProcessBuilder builder = new ProcessBuilder(
                        "dbus-daemon", "--config-file=" + config, "--nofork", "--print-address=1")
                .redirectError(dir.resolve("dbus-daemon.log").toFile());
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", dir.toString());
        env.put("LANG", "C.UTF-8");
        Process daemon = builder.start();
        String address = firstLine(daemon);
        if (!address.startsWith("unix:path=" + socket)) {
            daemon.destroyForcibly();
            fail("dbus-daemon's address is not its socket " + socket + ": " + address);
        }
        return new PrivateSessionBus(daemon, address);
    }

    public String address() {
        return address;
    }

    /** Stops the daemon (every connection to it sees the bus go away). Idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (daemon.isAlive()) {
            daemon.destroy();
            if (!daemon.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
    }

    private static String firstLine(Process p) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first = line.get(TIMEOUT_S, TimeUnit.SECONDS);
        if (first == null) {
            fail("dbus-daemon printed no address (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
        }
        return first.strip();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
