package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.confab.ui.notify.UnityLauncherEntry.Update;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * LauncherBadge on a real, private session bus: a second connection listens for the
 * com.canonical.Unity.LauncherEntry.Update signal as the docks do and checks what arrives, in
 * D-Bus's own types. Needs dbus-daemon (no display): on Linux its absence fails.
 */
class LauncherBadgeDaemonTest {
    private static final int TIMEOUT_S = 20;
    private static final String MARKER_PATH = "/org/confab/test/marker";

    @TempDir
    Path dir;

    private PrivateSessionBus bus;
    private DBusConnection dock;
    private final BlockingQueue<Update> received = new LinkedBlockingQueue<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private LauncherBadge badge;

    @BeforeEach
    void startBusAndDock() throws Exception {
        assumeTrue(
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "the D-Bus launcher badge is Linux's");
        bus = PrivateSessionBus.start(dir);
        dock = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
        // AddMatch is a call: once it returns, the bus routes Update signals here
        dock.addSigHandler(Update.class, received::add);
    }

    @AfterEach
    void stop() throws Exception {
        if (badge != null) {
            badge.close();
        }
        if (dock != null) {
            dock.disconnect();
        }
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void theCountArrivesAsTheDocksReadItAndOnlyWhenItChanges() throws Exception {
        badge = LauncherBadge.connect(bus.address(), logged::add);

        badge.unread(3, true);
        Update first = next();
        assertThat(first.getPath()).isEqualTo("/org/confab/Confab/launcher");
        assertThat(first.getInterface()).isEqualTo("com.canonical.Unity.LauncherEntry");
        assertThat(first.getName()).isEqualTo("Update");
        assertThat(first.getSig()).isEqualTo("sa{sv}");
        assertThat(first.appUri()).isEqualTo("application://confab-confab.desktop");
        assertBadge(first, 3, true, true);

        // the same again is not sent: the next signal is the next change
        for (int i = 0; i < 5; i++) {
            badge.unread(3, true);
        }
        badge.updates().sync().get(TIMEOUT_S, TimeUnit.SECONDS);
        badge.unread(4, false);
        assertBadge(next(), 4, true, false);

        // none unread: the badge goes, and so does the urgency
        badge.unread(0, true);
        assertBadge(next(), 0, false, false);
        badge.unread(-1, false); // the same: no signal
        badge.unread(12, false);
        assertBadge(next(), 12, true, false);
        assertThat(logged).isEmpty();
    }

    @Test
    void closingClearsTheBadgeAndLaterCallsAreNoOps() throws Exception {
        badge = LauncherBadge.connect(bus.address(), logged::add);
        badge.unread(7, true);
        assertBadge(next(), 7, true, true);

        badge.close();
        assertBadge(next(), 0, false, false);
        assertThatCode(() -> {
                    badge.unread(9, true);
                    badge.close();
                })
                .doesNotThrowAnyException();
        // a signal of the dock's own after close: nothing of the badge's comes before it
        dock.sendMessage(new Update(MARKER_PATH, "marker", Map.of()));
        assertThat(next().getPath()).isEqualTo(MARKER_PATH);
        assertThat(logged).as("closing is no failure").isEmpty();
    }

    @Test
    void aBusThatGoesAwayIsLoggedOnceAndLaterCallsAreHarmless() throws Exception {
        badge = LauncherBadge.connect(bus.address(), logged::add);
        badge.unread(2, false);
        assertBadge(next(), 2, true, false);

        bus.close(); // the session bus dies (a logout, a crash)
        assertThatCode(() -> badge.unread(5, true)).doesNotThrowAnyException();
        try {
            WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> !logged.isEmpty());
        } catch (TimeoutException e) {
            throw new AssertionError("the lost bus was not logged within " + TIMEOUT_S + " s");
        }
        assertThatCode(() -> {
                    badge.unread(6, true);
                    badge.unread(0, false);
                    badge.unread(1, false);
                })
                .doesNotThrowAnyException();
        badge.updates().sync().get(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(badge.updates().isOff()).isTrue();
        assertThat(logged).hasSize(1);
        assertThat(logged.getFirst()).startsWith("confab: the taskbar badge is off: ");
        assertThatCode(badge::close).doesNotThrowAnyException();
        assertThat(logged).hasSize(1);
    }

    @Test
    void noBusThereIsAnIoException() {
        String nowhere = "unix:path=" + dir.resolve("no-such-bus");
        assertThatThrownBy(() -> LauncherBadge.connect(nowhere)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Attentions.connectWithin(nowhere, Attentions.CONNECT_TIMEOUT))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theSystemWayConnectsWithinItsTimeout() throws Exception {
        try (LauncherBadge found = Attentions.connectWithin(bus.address(), Attentions.CONNECT_TIMEOUT)) {
            found.unread(1, false);
            assertBadge(next(), 1, true, false);
        }
        assertBadge(next(), 0, false, false);
    }

    private Update next() throws InterruptedException {
        Update u = received.poll(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(u).as("an Update signal within %d s", TIMEOUT_S).isNotNull();
        return u;
    }

    /** The properties as D-Bus typed them: count int64 (x), count-visible and urgent boolean (b). */
    private static void assertBadge(Update u, long count, boolean visible, boolean urgent) {
        Map<String, Variant<?>> p = u.properties();
        assertThat(p).containsOnlyKeys("count", "count-visible", "urgent");
        assertThat(p.get("count").getSig()).isEqualTo("x");
        assertThat(p.get("count").getValue()).isEqualTo(count);
        assertThat(p.get("count-visible").getSig()).isEqualTo("b");
        assertThat(p.get("count-visible").getValue()).isEqualTo(visible);
        assertThat(p.get("urgent").getSig()).isEqualTo("b");
        assertThat(p.get("urgent").getValue()).isEqualTo(urgent);
    }
}
