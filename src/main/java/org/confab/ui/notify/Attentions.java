package org.confab.ui.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    interface Attempt {
        Attention open() throws IOException;
    }

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

    /**
     * The first attempt that opens, else {@link Attention#NONE} after telling {@code log} every
     * reason in one line. An attempt that throws an unchecked exception counts as failed.
     */
    static Attention firstAvailable(List<Attempt> attempts, Consumer<String> log) {
        List<String> reasons = new ArrayList<>();
        for (Attempt attempt : attempts) {
            try {
                Attention attention = attempt.open();
                if (attention != null) {
                    return attention;
                }
            } catch (IOException e) {
                reasons.add(e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                reasons.add(e.toString());
            }
        }
        log.accept(String.join("; ", reasons));
        return Attention.NONE;
    }

    /**
     * {@link LauncherBadge#connect} that gives up after {@code timeout} (a bus that accepts the
     * connection but never answers); a connection that succeeds after that is closed again.
     */
    static LauncherBadge connectWithin(String busAddress, Duration timeout) throws IOException {
        CompletableFuture<LauncherBadge> attempt = new CompletableFuture<>();
        Thread.ofPlatform().name("confab-badge-connect").daemon(true).start(() -> {
            try {
                attempt.complete(LauncherBadge.connect(busAddress));
            } catch (IOException | RuntimeException e) {
                attempt.completeExceptionally(e);
            }
        });
        try {
            return attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("no session bus: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            attempt.thenAccept(LauncherBadge::close);
            throw new IOException("the session bus did not answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.thenAccept(LauncherBadge::close);
            throw new IOException("interrupted while connecting to the session bus");
        }
    }
}
