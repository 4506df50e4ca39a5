package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * DbusNotifier against a real notification daemon (dunst) on a private session bus of its own
 * (never the machine's): what the daemon shows, replacing, a click, closing. dunst draws on an X
 * display, so this runs under xvfb-run with the other UI tests. Needs dbus-daemon and dunst
 * ({@code apt-get install dbus dunst}; .ci/run installs them): on Linux, their absence fails.
 */
@Tag("ui")
class DbusNotifierDaemonTest {
    private static final int TIMEOUT_S = 20;
    private static final String DUNST_IFACE = "org.dunstproject.cmd0";

    @TempDir
    Path dir;

    private Process bus;
    private Process dunst;
    private String address;
    private DBusConnection probe;
    private DbusNotifier notifier;

    @BeforeEach
    void startBusAndDaemon() throws Exception {
        assumeTrue(
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "the D-Bus notification path is Linux's");
        for (String tool : List.of("dbus-daemon", "dbus-send", "dunst", "dunstctl")) {
            if (!onPath(tool)) {
                fail(tool + " is not installed: this test needs a private D-Bus and a notification daemon"
                        + " (apt-get install dbus dunst; .ci/run installs them)");
            }
        }
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            fail("dunst needs an X display: run the UI tests under xvfb-run -a (as .ci/run does)");
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
        // no <servicedir>: nothing is started on demand, only what this test starts
        ProcessBuilder busBuilder = new ProcessBuilder(
                        "dbus-daemon", "--config-file=" + config, "--nofork", "--print-address=1")
                .redirectError(dir.resolve("dbus-daemon.log").toFile());
        cleanEnvironment(busBuilder);
        bus = busBuilder.start();
        address = firstLine(bus);
        assertThat(address).as("dbus-daemon's address").startsWith("unix:path=" + socket);

        Path dunstrc = dir.resolve("dunstrc");
        // markup = full: dunst then reads body markup and says so (body-markup), as GNOME and KDE do
        Files.writeString(dunstrc, "[global]\n    markup = full\n");
        ProcessBuilder dunstBuilder = new ProcessBuilder("dunst", "-config", dunstrc.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dunst.log").toFile());
        cleanEnvironment(dunstBuilder);
        dunstBuilder.environment().put("DISPLAY", display);
        String xauthority = System.getenv("XAUTHORITY"); // xvfb-run's cookie for its display
        if (xauthority != null) {
            dunstBuilder.environment().put("XAUTHORITY", xauthority);
        }
        dunstBuilder.environment().put("DBUS_SESSION_BUS_ADDRESS", address);

        probe = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        CountDownLatch owned = new CountDownLatch(1);
        probe.addSigHandler(DBus.NameOwnerChanged.class, s -> {
            if (FreedesktopNotifications.BUS_NAME.equals(s.name) && !s.newOwner.isEmpty()) {
                owned.countDown();
            }
        });
        dunst = dunstBuilder.start();
        dunst.onExit().thenRun(owned::countDown); // a dunst that gives up need not be waited for
        DBus dbus = probe.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        if (!dbus.NameHasOwner(FreedesktopNotifications.BUS_NAME)) {
            owned.await(TIMEOUT_S, TimeUnit.SECONDS);
        }
        if (!dbus.NameHasOwner(FreedesktopNotifications.BUS_NAME)) {
            fail("dunst did not take the name org.freedesktop.Notifications within " + TIMEOUT_S + " s ("
                    + (dunst.isAlive() ? "still running" : "exited with " + dunst.exitValue()) + "); its log:\n"
                    + log("dunst.log"));
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (notifier != null) {
            notifier.close();
        }
        if (dunst != null && dunst.isAlive()) {
            dunstctl("close-all");
        }
        if (probe != null) {
            probe.disconnect();
        }
        for (Process p : new Process[] {dunst, bus}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void theDaemonShowsReplacesAndActivatesOurNotifications() throws Exception {
        notifier = DbusNotifier.connect(address);
        assertThat(notifier.serverName()).isEqualTo("dunst");
        assertThat(notifier.capabilities()).contains("actions", "body-markup");
        BlockingQueue<String> opened = new LinkedBlockingQueue<>();
        notifier.onActivated(opened::add);

        long first = send(new Notification("room-1", "Lobby <3", "alice", "first"));
        long replaced = send(new Notification("room-1", "Lobby <3", "alice", "hi <b>x</b> & y\u0007"));
        assertThat(replaced)
                .as("the same conversation replaces its notification")
                .isEqualTo(first);
        awaitDisplayed(1);

        // a click on it, as dunst's own "do the default action" does it: ActionInvoked(id, "default")
        dunstctl("action", "0");
        assertThat(opened.poll(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("room-1");

        long other = send(new Notification("room-2", "Kitchen", "bob", "tea?"));
        assertThat(other).isNotEqualTo(first);
        awaitDisplayed(2);

        // closing them sends NotificationClosed; dunst then keeps them in its history
        dunstctl("close-all");
        await("the notifier heard NotificationClosed", () -> !notifier.knows(first) && !notifier.knows(other));
        Map<Long, JsonNode> history = history();
        JsonNode lobby = history.get(first);
        assertThat(lobby)
                .as("dunst's history has notification %s: %s", first, history)
                .isNotNull();
        assertThat(field(lobby, "appname")).isEqualTo("Confab");
        assertThat(field(lobby, "summary")).isEqualTo("Lobby <3");
        // plain text, the control character gone, escaped for a server that reads markup
        assertThat(field(lobby, "body")).isEqualTo("alice: hi &lt;b&gt;x&lt;/b&gt; &amp; y");
        assertThat(field(lobby, "category")).isEqualTo("im.received");
        assertThat(field(lobby, "default_action_name")).isEqualTo("default");
        assertThat(field(history.get(other), "body")).isEqualTo("bob: tea?");

        // after the close, the conversation's next message is a new notification
        long again = send(new Notification("room-1", "Lobby <3", "alice", "again"));
        assertThat(again).isNotEqualTo(first);
        assertThat(opened).isEmpty();
    }

    private long send(Notification n) throws Exception {
        return notifier.send(n).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private void awaitDisplayed(int count) throws Exception {
        Properties dunstProperties = probe.getRemoteObject(
                FreedesktopNotifications.BUS_NAME, FreedesktopNotifications.OBJECT_PATH, Properties.class);
        await("dunst displays " + count + " notification(s)", () -> {
            Object displayed = dunstProperties.Get(DUNST_IFACE, "displayedLength");
            return displayed instanceof UInt32 u && u.intValue() == count;
        });
    }

    private static void await(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + TIMEOUT_S + " s waiting until " + what);
        }
    }

    /** dunst's history (dunstctl history, JSON), by notification id. */
    private Map<Long, JsonNode> history() throws Exception {
        JsonNode root = new ObjectMapper().readTree(dunstctl("history"));
        Map<Long, JsonNode> byId = new HashMap<>();
        for (JsonNode entry : root.path("data").path(0)) {
            byId.put(entry.path("id").path("data").asLong(), entry);
        }
        return byId;
    }

    private static String field(JsonNode entry, String name) {
        assertThat(entry).as("a history entry").isNotNull();
        return entry.path(name).path("data").asText();
    }

    /** Runs dunstctl on the private bus; its standard output, or an AssertionError on failure. */
    private String dunstctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dunstctl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        cleanEnvironment(builder);
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", address);
        Process p = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dunstctl " + String.join(" ", args) + " did not finish");
        }
        String output = out.get(TIMEOUT_S, TimeUnit.SECONDS);
        if (p.exitValue() != 0) {
            throw new AssertionError("dunstctl " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    /** The child gets no bus, display or config of the machine's: only what the test gives it. */
    private void cleanEnvironment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", dir.toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("XDG_DATA_HOME", dir.resolve("data").toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("LANG", "C.UTF-8");
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

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
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
