package org.confab.ui.notify;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.confab.ui.notify.AttentionUpdates.Unread;
import org.confab.ui.notify.UnityLauncherEntry.Update;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.Variant;

/**
 * The unread count on Confab's launcher in the dock or task manager, through the Unity
 * LauncherEntry API on the session D-Bus: the signal {@code
 * com.canonical.Unity.LauncherEntry.Update("application://confab-confab.desktop", {count: x,
 * count-visible: b, urgent: b})} from {@value #OBJECT_PATH}. KDE Plasma, Ubuntu Dock / Dash to
 * Dock, Dash to Panel, Plank and Latte read it; where nobody listens (GNOME without a dock
 * extension) the signal goes nowhere and nothing shows.
 *
 * <p>Sent on a daemon thread of its own ({@code confab-badge}), only when the badge changes.
 */
public final class LauncherBadge implements Attention {
    static final String OBJECT_PATH = "/org/confab/Confab/launcher";
    /** The desktop entry the installers install, as the docks name launchers. */
    static final String APP_URI = "application://" + DbusNotifier.DESKTOP_ENTRY + ".desktop";

    private static final int CONNECT_RETRY_MS = 1000;

    private final AttentionUpdates updates;

    private LauncherBadge(AttentionUpdates updates) {
        this.updates = updates;
    }

    /**
     * Connects to the bus at {@code busAddress} (a D-Bus address such as {@code
     * unix:path=/run/user/1000/bus}). Blocks for the connection's handshake: call it off the FX
     * thread. Whether a dock listens cannot be known; nothing is sent before {@link #unread}.
     *
     * @throws IOException if there is no bus there
     */
    public static LauncherBadge connect(String busAddress) throws IOException {
        return connect(busAddress, System.err::println);
    }

    static LauncherBadge connect(String busAddress, Consumer<String> log) throws IOException {
        Objects.requireNonNull(busAddress, "busAddress");
        AtomicReference<AttentionUpdates> self = new AtomicReference<>();
        IDisconnectCallback lost = new IDisconnectCallback() {
            @Override
            public void disconnectOnError(IOException e) {
                tell(e);
            }

            @Override
            public void clientDisconnect() {
                tell(new IOException("the session bus closed the connection"));
            }

            private void tell(IOException e) {
                AttentionUpdates u = self.get();
                if (u != null) {
                    u.lost(e); // ignored once closed: our own disconnect comes here too
                }
            }
        };
        DBusConnection connection;
        try {
            connection = DBusConnectionBuilder.forAddress(busAddress)
                    .withShared(false)
                    .withDisconnectCallback(lost)
                    // dbus-java retries a socket that is not there (yet) for this long; default 10 s
                    .transportConfig()
                    .withTimeout(CONNECT_RETRY_MS)
                    .back()
                    .build();
        } catch (DBusException | RuntimeException e) {
            throw new IOException("no session bus at " + busAddress + " (" + e.getMessage() + ")", e);
        }
        DBus daemon;
        try {
            daemon = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        } catch (DBusException | RuntimeException e) {
            connection.disconnect();
            throw new IOException("no session bus at " + busAddress + " (" + e.getMessage() + ")", e);
        }
        AttentionUpdates updates = new AttentionUpdates(
                "confab-badge",
                new AttentionUpdates.Display() {
                    @Override
                    public void show(Unread unread) throws DBusException {
                        // sendMessage queues it for dbus-java's sender thread: it does not wait for the bus
                        connection.sendMessage(new Update(OBJECT_PATH, APP_URI, properties(unread)));
                    }

                    @Override
                    public void close() {
                        try {
                            // dbus-java writes on a sender thread that disconnecting interrupts: one
                            // round trip first, so the last Update (the clear) has reached the bus
                            if (connection.isConnected()) {
                                daemon.GetId();
                            }
                        } catch (RuntimeException e) {
                            // the bus is gone or failing: nothing more to deliver
                        } finally {
                            connection.disconnect();
                        }
                    }
                },
                "the taskbar badge",
                log);
        self.set(updates);
        return new LauncherBadge(updates);
    }

    /** The Update signal's properties for {@code unread}. */
    static Map<String, Variant<?>> properties(Unread unread) {
        return Map.of(
                "count", new Variant<>((long) unread.count()),
                "count-visible", new Variant<>(unread.count() > 0),
                "urgent", new Variant<>(unread.urgent()));
    }

    @Override
    public void unread(int count, boolean urgent) {
        updates.unread(count, urgent);
    }

    /** Clears the badge and disconnects; waits up to {@link AttentionUpdates#CLOSE_WAIT}. */
    @Override
    public void close() {
        updates.close();
    }

    AttentionUpdates updates() {
        return updates;
    }

    @Override
    public String toString() {
        return "taskbar badge through the Unity LauncherEntry API on D-Bus";
    }
}
