package org.confab.ui.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Finds the system's way to badge Confab's launcher: the Unity LauncherEntry API on the session
 * D-Bus ({@link LauncherBadge}), else AWT's {@link java.awt.Taskbar} where it has a badge or an
 * attention request (macOS), else {@link Attention#NONE}. Never throws; why the better ways failed
 * is logged once.
 */
public final class Attentions {
    /** How long the session bus gets to answer before Confab does without it. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private Attentions() {}

    /** One way to show unread messages, or an IOException saying why not. */
    @FunctionalInterface
    interface Attempt extends SystemWays.Way<Attention> {}

    /**
     * The best badge this system has. Blocks for up to {@link #CONNECT_TIMEOUT} for each bus address
     * it tries, then for starting AWT: call it off the FX thread, or use {@link #systemAsync()}.
     */
    public static Attention system() {
        List<Attempt> attempts = new ArrayList<>();
        Map<String, String> env = System.getenv();
        List<String> buses = Notifiers.sessionBusAddresses(env, Files::exists);
        for (String bus : buses) {
            attempts.add(() -> connectWithin(bus, CONNECT_TIMEOUT));
        }
        if (buses.isEmpty()) {
            String given = env.get("DBUS_SESSION_BUS_ADDRESS");
            String why = given == null || given.isBlank()
                    ? "no session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
                    : "no session bus address Java can open (only unix:path= sockets): " + given;
            attempts.add(() -> {
                throw new IOException(why);
            });
        }
        attempts.add(TaskbarAttention::create);
        return firstAvailable(attempts, why -> {
            if (LOGGED.compareAndSet(false, true)) {
                System.err.println("confab: the taskbar badge is off: " + why);
            }
        });
    }

    /** {@link #system()} on a daemon thread of its own; the future never completes exceptionally. */
    public static CompletableFuture<Attention> systemAsync() {
        CompletableFuture<Attention> result = new CompletableFuture<>();
        Thread.ofPlatform().name("confab-badge-start").daemon(true).start(() -> {
            try {
                result.complete(system());
            } catch (RuntimeException | Error e) {
                result.complete(Attention.NONE);
            }
        });
        return result;
    }

    /** {@link SystemWays#first}: the first attempt that opens, else {@link Attention#NONE}, the reasons told to {@code log}. */
    static Attention firstAvailable(List<Attempt> attempts, Consumer<String> log) {
        return SystemWays.first(attempts, Attention.NONE, log);
    }

    /** {@link LauncherBadge#connect} given up after {@code timeout} ({@link SystemWays#within}). */
    static LauncherBadge connectWithin(String busAddress, Duration timeout) throws IOException {
        return SystemWays.within(
                "confab-badge-connect", timeout, "no session bus", () -> LauncherBadge.connect(busAddress));
    }
}
