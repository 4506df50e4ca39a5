package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class NotifiersTest {
    @Test
    void takesTheFirstWayThatOpens() {
        RecordingNotifier tray = new RecordingNotifier();
        List<String> logged = new ArrayList<>();
        Notifier chosen = Notifiers.firstAvailable(
                List.of(
                        () -> {
                            throw new IOException("no desktop notification service on the session bus");
                        },
                        () -> tray,
                        () -> {
                            throw new AssertionError("not tried once one opened");
                        }),
                logged::add);
        assertThat(chosen).isSameAs(tray);
        assertThat(logged).isEmpty();
    }

    @Test
    void withNoWayItIsNoneAndEveryReasonIsLoggedOnce() {
        List<String> logged = new ArrayList<>();
        Notifier chosen = Notifiers.firstAvailable(
                List.of(
                        () -> {
                            throw new IOException("no session bus");
                        },
                        () -> {
                            throw new IllegalStateException("toolkit broke");
                        },
                        () -> {
                            throw new UnsatisfiedLinkError("no libawt_xawt");
                        }),
                logged::add);
        assertThat(chosen).isSameAs(Notifier.NONE);
        assertThat(logged).hasSize(1);
        assertThat(logged.getFirst())
                .contains("no session bus")
                .contains("toolkit broke")
                .contains("no libawt_xawt");
        // NONE takes anything quietly
        Notifier.NONE.onActivated(key -> {});
        Notifier.NONE.notify(new Notification("k", "t", "s", "x"));
        Notifier.NONE.close();
    }

    @Test
    void theSessionBusIsTheEnvironmentsThenTheUserBusSocket() {
        Predicate<Path> userBus = p -> p.equals(Path.of("/run/user/1000/bus"));
        assertThat(Notifiers.sessionBusAddresses(
                        Map.of(
                                "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/tmp/dbus-x,guid=ab12",
                                "XDG_RUNTIME_DIR",
                                "/run/user/1000"),
                        userBus))
                .containsExactly("unix:path=/tmp/dbus-x,guid=ab12", "unix:path=/run/user/1000/bus");
        // the usual systemd case: both name the same socket, tried once
        assertThat(Notifiers.sessionBusAddresses(
                        Map.of(
                                "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/run/user/1000/bus",
                                "XDG_RUNTIME_DIR",
                                "/run/user/1000"),
                        userBus))
                .containsExactly("unix:path=/run/user/1000/bus");
        assertThat(Notifiers.sessionBusAddresses(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), userBus))
                .containsExactly("unix:path=/run/user/1000/bus");
        assertThat(Notifiers.sessionBusAddresses(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), p -> false))
                .isEmpty();
        assertThat(Notifiers.sessionBusAddresses(Map.of("DBUS_SESSION_BUS_ADDRESS", "  "), p -> true))
                .isEmpty();
        assertThat(Notifiers.sessionBusAddresses(Map.of("XDG_RUNTIME_DIR", "/run/user/a b;c"), p -> true))
                .containsExactly("unix:path=/run/user/a%20b%3bc/bus");
    }

    @Test
    void abstractSocketsAreLeftOutForWhatJavaCanOpen() {
        assertThat(Notifiers.sessionBusAddresses(
                        Map.of(
                                "DBUS_SESSION_BUS_ADDRESS",
                                "unix:abstract=/tmp/dbus-Xy,guid=1;unix:guid=2,path=/tmp/dbus-sock;tcp:host=localhost,port=1"),
                        p -> false))
                .containsExactly("unix:guid=2,path=/tmp/dbus-sock");
    }

    @Test
    void aBusThatDoesNotExistFailsQuickly() {
        long t0 = System.nanoTime();
        Notifier chosen = Notifiers.firstAvailable(
                List.of(() ->
                        Notifiers.connectWithin("unix:path=/nonexistent/confab-test/bus", Notifiers.CONNECT_TIMEOUT)),
                why -> assertThat(why).isNotBlank());
        assertThat(chosen).isSameAs(Notifier.NONE);
        assertThat(System.nanoTime() - t0).isLessThan(Notifiers.CONNECT_TIMEOUT.toNanos());
    }
}
