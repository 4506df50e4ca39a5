package org.confab.ui.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Finds the system's way to show notifications: the freedesktop service on the session D-Bus
 * ({@link DbusNotifier}), else the system tray's balloons ({@link TrayNotifier}), else {@link
 * Notifier#NONE}.
 * Never throws; why the better ways failed is logged once.
 */
public final class Notifiers {
    /** How long the session bus gets to answer before Confab does without it. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private Notifiers() {}

    /** One way to show notifications, or an IOException saying why not. */
    @FunctionalInterface
    interface Attempt extends SystemWays.Way<Notifier> {}

    /**
     * The best notifier this system has: the session bus's notification service, else balloons of
     * {@code tray} (if it is an {@link AppTray}). Blocks for up to {@link #CONNECT_TIMEOUT} for each
     * bus address it tries: call it off the FX thread, or use {@link #systemAsync}.
     */
    public static Notifier system(Tray tray) {
        List<Attempt> attempts = new ArrayList<>();
        Map<String, String> env = System.getenv();
        List<String> buses = sessionBusAddresses(env, Files::exists);
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
        attempts.add(() -> {
            if (tray instanceof AppTray app && app.present()) {
                return new TrayNotifier(app);
            }
            throw new IOException("no system tray for balloons");
        });
        return firstAvailable(attempts, why -> {
            if (LOGGED.compareAndSet(false, true)) {
                System.err.println("confab: desktop notifications are off: " + why);
            }
        });
    }

    /** {@link #system} on a daemon thread of its own; the future never completes exceptionally. */
    public static CompletableFuture<Notifier> systemAsync(Tray tray) {
        CompletableFuture<Notifier> result = new CompletableFuture<>();
        Thread.ofPlatform().name("confab-notify-start").daemon(true).start(() -> {
            try {
                result.complete(system(tray));
            } catch (RuntimeException | Error e) {
                result.complete(Notifier.NONE);
            }
        });
        return result;
    }

    /** {@link SystemWays#first}: the first attempt that opens, else {@link Notifier#NONE}, the reasons told to {@code log}. */
    static Notifier firstAvailable(List<Attempt> attempts, Consumer<String> log) {
        return SystemWays.first(attempts, Notifier.NONE, log);
    }

    /** {@link DbusNotifier#connect} given up after {@code timeout} ({@link SystemWays#within}). */
    static DbusNotifier connectWithin(String busAddress, Duration timeout) throws IOException {
        return SystemWays.within(
                "confab-notify-connect",
                timeout,
                "no desktop notification service",
                () -> DbusNotifier.connect(busAddress));
    }

    /**
     * The session bus addresses to try, best first: those of {@code DBUS_SESSION_BUS_ADDRESS} that
     * name a socket file ({@code unix:path=}; Java cannot open Linux's abstract sockets), then the
     * socket {@code $XDG_RUNTIME_DIR/bus} where it exists (the systemd user bus, often the same).
     */
    static List<String> sessionBusAddresses(Map<String, String> env, Predicate<Path> exists) {
        List<String> addresses = new ArrayList<>();
        String given = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (given != null) {
            for (String address : given.split(";")) {
                String a = address.strip();
                if (a.startsWith("unix:") && (a.startsWith("unix:path=") || a.contains(",path="))) {
                    addresses.add(a);
                }
            }
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            Path socket = Path.of(runtime.strip(), "bus");
            String address = "unix:path=" + escapeAddressValue(socket.toString());
            if (socket.isAbsolute()
                    && exists.test(socket)
                    && addresses.stream().noneMatch(a -> a.startsWith(address))) {
                addresses.add(address);
            }
        }
        return List.copyOf(addresses);
    }

    /** A D-Bus address value: bytes outside {@code [-0-9A-Za-z_/.\*]} as {@code %xx}. */
    static String escapeAddressValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean plain = (c >= '0' && c <= '9')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || c == '-'
                    || c == '_'
                    || c == '/'
                    || c == '.'
                    || c == '\\'
                    || c == '*';
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            }
        }
        return out.toString();
    }
}
