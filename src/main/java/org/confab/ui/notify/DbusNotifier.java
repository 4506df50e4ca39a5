package org.confab.ui.notify;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.confab.ui.notify.FreedesktopNotifications.ActionInvoked;
import org.confab.ui.notify.FreedesktopNotifications.NotificationClosed;
import org.confab.ui.notify.FreedesktopNotifications.ServerInformation;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * Desktop notifications through the freedesktop.org notification service on the session D-Bus
 * (GNOME, KDE, Xfce, dunst, mako, ...), with dbus-java.
 *
 * <p>Each notification is sent as {@code Notify("Confab", replaces_id, "", summary, body,
 * ["default", "Open"], {category: "im.received", desktop-entry: "confab-confab"}, -1)}; replaces_id is
 * the id of the conversation's previous notification while the server still shows it. The body is
 * plain text, and escaped only where the server says it reads markup ({@code body-markup}). A click
 * ({@code ActionInvoked(id, "default")}) is told to the {@link #onActivated} listeners with the
 * conversation's key; {@code NotificationClosed} forgets the id.
 *
 * <p>Calls to the server run on one daemon thread of this notifier, so {@link #notify} returns at
 * once; a server that stops answering fills a small queue, past which the oldest waiting
 * notification is dropped.
 */
public final class DbusNotifier implements Notifier {
    static final String APP_NAME = "Confab";
    /** The desktop file the installers put in /usr/share/applications, without ".desktop". */
    static final String DESKTOP_ENTRY = "confab-confab";

    static final String CATEGORY = "im.received";
    static final String DEFAULT_ACTION = "default";
    private static final int QUEUE = 16;
    private static final int CONNECT_RETRY_MS = 1000;

    private final FreedesktopNotifications server;
    private final String serverName;
    private final List<String> capabilities;
    private final boolean bodyMarkup;
    private final boolean actions;
    private volatile DBusConnection connection; // null in tests with a fake server
    private final ThreadPoolExecutor calls;
    private final Map<String, Long> idByKey = new ConcurrentHashMap<>();
    private final Map<Long, String> keyById = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    DbusNotifier(FreedesktopNotifications server, String serverName, List<String> capabilities) {
        this.server = Objects.requireNonNull(server, "server");
        this.serverName = Objects.requireNonNullElse(serverName, "");
        this.capabilities = List.copyOf(capabilities);
        this.bodyMarkup = this.capabilities.contains("body-markup");
        this.actions = this.capabilities.contains("actions");
        this.calls = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                r -> Thread.ofPlatform().name("confab-notify").daemon(true).unstarted(r),
                (dropped, executor) -> {
                    if (executor.isShutdown()) {
                        fail(dropped, "notifier closed");
                        return;
                    }
                    fail(executor.getQueue().poll(), "dropped: the notification service is not answering");
                    executor.execute(dropped);
                });
    }

    /**
     * Connects to the bus at {@code busAddress} (a D-Bus address such as {@code
     * unix:path=/run/user/1000/bus}) and asks its notification service who it is and what it can.
     * Blocks for the round trips: call it off the FX thread.
     *
     * @throws IOException if the bus does not answer or has no notification service
     */
    public static DbusNotifier connect(String busAddress) throws IOException {
        Objects.requireNonNull(busAddress, "busAddress");
        DBusConnection connection = null;
        try {
            connection = DBusConnectionBuilder.forAddress(busAddress)
                    .withShared(false)
                    // dbus-java retries a socket that is not there (yet) for this long; default 10 s
                    .transportConfig()
                    .withTimeout(CONNECT_RETRY_MS)
                    .back()
                    .build();
            FreedesktopNotifications server = connection.getRemoteObject(
                    FreedesktopNotifications.BUS_NAME,
                    FreedesktopNotifications.OBJECT_PATH,
                    FreedesktopNotifications.class);
            ServerInformation info = server.serverInformation();
            List<String> capabilities = server.capabilities();
            DbusNotifier notifier =
                    new DbusNotifier(server, info.name(), capabilities == null ? List.of() : capabilities);
            connection.addSigHandler(ActionInvoked.class, s -> notifier.actionInvoked(s.id(), s.actionKey()));
            connection.addSigHandler(NotificationClosed.class, s -> notifier.closed(s.id()));
            // closing the connection drops its match rules with it: no RemoveMatch round trips on close
            notifier.connection = connection;
            return notifier;
        } catch (DBusException | RuntimeException e) {
            // dbus-java reports a missing service or a failed call as unchecked DBusExecutionException
            if (connection != null) {
                connection.disconnect();
            }
            throw new IOException("no desktop notification service on the session bus (" + e.getMessage() + ")", e);
        }
    }

    /** The server's name from GetServerInformation, e.g. "gnome-shell", "dunst". */
    public String serverName() {
        return serverName;
    }

    /** What the server said it can (GetCapabilities). */
    public List<String> capabilities() {
        return capabilities;
    }

    @Override
    public void notify(Notification notification) {
        send(notification);
    }

    /**
     * Sends {@code notification} on this notifier's thread; completes with the id the server gave
     * it, or exceptionally if the call failed (logged once), was dropped or the notifier is closed.
     */
    public CompletableFuture<Long> send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        CompletableFuture<Long> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new IllegalStateException("notifier closed"));
            return result;
        }
        Runnable call = () -> {
            try {
                result.complete(show(notification));
            } catch (RuntimeException e) {
                if (!closed.get()) {
                    logOnce("could not show a desktop notification", e);
                }
                result.completeExceptionally(e);
            }
        };
        try {
            calls.execute(new Call(call, result));
        } catch (RuntimeException rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }

    @Override
    public void onActivated(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Runnable dropped : calls.shutdownNow()) {
            fail(dropped, "notifier closed");
        }
        DBusConnection c = connection;
        if (c != null) {
            c.disconnect();
        }
    }

    @Override
    public String toString() {
        return "desktop notifications through D-Bus (" + serverName + ")";
    }

    /** One Notify call; on this notifier's thread, so the ids of one conversation stay in order. */
    private long show(Notification n) {
        String key = n.conversationKey();
        String body = NotificationText.body(n);
        if (bodyMarkup) {
            body = NotificationText.escapeMarkup(body);
        }
        long replaces = idByKey.getOrDefault(key, 0L);
        Map<String, Variant<?>> hints =
                Map.of("category", new Variant<>(CATEGORY), "desktop-entry", new Variant<>(DESKTOP_ENTRY));
        List<String> actionList = actions ? List.of(DEFAULT_ACTION, "Open") : List.of();
        UInt32 answer = server.show(
                APP_NAME, new UInt32(replaces), "", NotificationText.summary(n), body, actionList, hints, -1);
        long id = answer.longValue();
        if (replaces != 0 && replaces != id) {
            keyById.remove(replaces, key);
        }
        keyById.put(id, key);
        idByKey.put(key, id);
        return id;
    }

    /** The ActionInvoked signal: a click on one of ours ("default") opens its conversation. */
    void actionInvoked(long id, String actionKey) {
        if (!DEFAULT_ACTION.equals(actionKey)) {
            return;
        }
        String key = keyById.get(id);
        if (key == null) {
            return; // another program's notification, or one we no longer know
        }
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(key);
            } catch (RuntimeException e) {
                System.err.println("confab: a notification click listener failed:");
                e.printStackTrace(System.err);
            }
        }
    }

    /** Whether {@code id} is one of ours that the server has not said it closed. */
    boolean knows(long id) {
        return keyById.containsKey(id);
    }

    /** The NotificationClosed signal: the next one of that conversation is a new notification. */
    void closed(long id) {
        String key = keyById.remove(id);
        if (key != null) {
            idByKey.remove(key, id);
        }
    }

    private void logOnce(String what, Exception e) {
        if (failureLogged.compareAndSet(false, true)) {
            System.err.println("confab: " + what + " (" + e + "); further failures are not logged");
        }
    }

    private static void fail(Runnable dropped, String why) {
        if (dropped instanceof Call c) {
            c.result.completeExceptionally(new IllegalStateException(why));
        }
    }

    /** A queued call that, if dropped (queue full, closed), fails its future instead of hanging it. */
    private record Call(Runnable call, CompletableFuture<Long> result) implements Runnable {
        @Override
        public void run() {
            call.run();
        }
    }
}
