package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.confab.ui.notify.FreedesktopNotifications.ServerInformation;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DbusNotifier against a fake server: what it sends, and how it maps signals back to conversations. */
class DbusNotifierTest {
    /** One Notify call as the server saw it. */
    record Call(
            String appName,
            long replacesId,
            String appIcon,
            String summary,
            String body,
            List<String> actions,
            Map<String, Variant<?>> hints,
            int expireTimeout) {}

    /** Gives ids 1, 2, ... (or keeps replaces_id, as the spec says), and can be made to fail. */
    static final class FakeServer implements FreedesktopNotifications {
        final List<Call> calls = new ArrayList<>();
        final AtomicInteger nextId = new AtomicInteger(1);
        volatile RuntimeException failure;
        volatile CountDownLatch block;
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public synchronized UInt32 show(
                String appName,
                UInt32 replacesId,
                String appIcon,
                String summary,
                String body,
                List<String> actions,
                Map<String, Variant<?>> hints,
                int expireTimeout) {
            CountDownLatch gate = block;
            entered.countDown();
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure != null) {
                throw failure;
            }
            calls.add(new Call(appName, replacesId.longValue(), appIcon, summary, body, actions, hints, expireTimeout));
            long id = replacesId.longValue() != 0 ? replacesId.longValue() : nextId.getAndIncrement();
            return new UInt32(id);
        }

        @Override
        public List<String> capabilities() {
            return List.of();
        }

        @Override
        public ServerInformation serverInformation() {
            return new ServerInformation("fake", "confab", "1", "1.2");
        }

        @Override
        public String getObjectPath() {
            return OBJECT_PATH;
        }

        synchronized List<Call> calls() {
            return List.copyOf(calls);
        }
    }

    private final FakeServer server = new FakeServer();
    private DbusNotifier notifier;

    private DbusNotifier notifier(String... capabilities) {
        notifier = new DbusNotifier(server, "fake", List.of(capabilities));
        return notifier;
    }

    @AfterEach
    void close() {
        if (notifier != null) {
            notifier.close();
        }
    }

    private static long sent(DbusNotifier n, Notification notification) throws Exception {
        return n.send(notification).get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendsTheSpecsArgumentsWithPlainText() throws Exception {
        DbusNotifier n = notifier("actions", "body");
        long id = sent(n, new Notification("room-1", "Lobby", "alice", "a <b>tag</b> & \u0007bell"));

        assertThat(id).isEqualTo(1);
        Call call = server.calls().getFirst();
        assertThat(call.appName()).isEqualTo("Confab");
        assertThat(call.replacesId()).isZero();
        assertThat(call.appIcon()).isEmpty();
        assertThat(call.summary()).isEqualTo("Lobby");
        // no body-markup capability: the text goes as it is (escaping would show "&lt;")
        assertThat(call.body()).isEqualTo("alice: a <b>tag</b> & bell");
        assertThat(call.actions()).containsExactly("default", "Open");
        assertThat(call.hints()).containsOnlyKeys("category", "desktop-entry");
        assertThat(call.hints().get("category").getValue()).isEqualTo("im.received");
        assertThat(call.hints().get("desktop-entry").getValue()).isEqualTo("confab-confab");
        assertThat(call.expireTimeout()).isEqualTo(-1);
    }

    @Test
    void escapesTheBodyWhereTheServerReadsMarkup() throws Exception {
        DbusNotifier n = notifier("actions", "body", "body-markup");
        sent(n, new Notification("room-1", "R&D <team>", "bob", "x < y && y > z"));

        Call call = server.calls().getFirst();
        assertThat(call.body()).isEqualTo("bob: x &lt; y &amp;&amp; y &gt; z");
        // the summary is plain text by the spec, markup or not
        assertThat(call.summary()).isEqualTo("R&D <team>");
    }

    @Test
    void sendsNoActionsToAServerWithout() throws Exception {
        DbusNotifier n = notifier("body");
        sent(n, new Notification("room-1", "Lobby", "alice", "hi"));
        assertThat(server.calls().getFirst().actions()).isEmpty();
    }

    @Test
    void replacesThePreviousNotificationOfTheSameConversation() throws Exception {
        DbusNotifier n = notifier("actions");
        long first = sent(n, new Notification("room-1", "Lobby", "alice", "one"));
        long other = sent(n, new Notification("room-2", "Kitchen", "bob", "two"));
        long again = sent(n, new Notification("room-1", "Lobby", "alice", "three"));

        assertThat(other).isNotEqualTo(first);
        assertThat(again).isEqualTo(first);
        assertThat(server.calls()).extracting(Call::replacesId).containsExactly(0L, 0L, first);
    }

    @Test
    void aClosedNotificationIsNotReplacedAndNoLongerActivates() throws Exception {
        DbusNotifier n = notifier("actions");
        List<String> opened = new ArrayList<>();
        n.onActivated(opened::add);
        long first = sent(n, new Notification("room-1", "Lobby", "alice", "one"));

        n.closed(first);
        n.actionInvoked(first, "default");
        long second = sent(n, new Notification("room-1", "Lobby", "alice", "two"));

        assertThat(opened).isEmpty();
        assertThat(server.calls().getLast().replacesId()).isZero();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aClickOpensTheConversationOfThatNotification() throws Exception {
        DbusNotifier n = notifier("actions");
        List<String> opened = new ArrayList<>();
        List<String> alsoOpened = new ArrayList<>();
        n.onActivated(key -> {
            throw new IllegalStateException("a broken listener does not stop the others: " + key);
        });
        n.onActivated(opened::add);
        n.onActivated(alsoOpened::add);
        long lobby = sent(n, new Notification("room-1", "Lobby", "alice", "one"));
        long kitchen = sent(n, new Notification("room-2", "Kitchen", "bob", "two"));

        n.actionInvoked(kitchen, "default");
        n.actionInvoked(lobby, "default");
        n.actionInvoked(lobby, "some-other-action");
        n.actionInvoked(999, "default"); // another program's notification

        assertThat(opened).containsExactly("room-2", "room-1");
        assertThat(alsoOpened).containsExactly("room-2", "room-1");
    }

    @Test
    void aFailingServerFailsTheSendButNotifyNeverThrows() throws Exception {
        DbusNotifier n = notifier("actions");
        server.failure = new IllegalStateException("org.freedesktop.DBus.Error.ServiceUnknown");

        n.notify(new Notification("room-1", "Lobby", "alice", "lost"));
        assertThatThrownBy(() -> sent(n, new Notification("room-1", "Lobby", "alice", "lost too")))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);

        server.failure = null;
        assertThat(sent(n, new Notification("room-1", "Lobby", "alice", "back")))
                .isPositive();
    }

    @Test
    void aServerThatHangsDropsTheOldestQueuedNotificationsNotTheCaller() throws Exception {
        DbusNotifier n = notifier("actions");
        CountDownLatch gate = new CountDownLatch(1);
        server.block = gate;
        var inFlight = n.send(new Notification("room-0", "Lobby", "alice", "stuck"));
        assertThat(server.entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            queued.add(n.send(new Notification("room-" + i, "Lobby", "alice", "m" + i)));
        }
        // the caller was never blocked; the oldest waiting ones failed fast
        assertThat(queued.getFirst()).isCompletedExceptionally();
        gate.countDown();
        server.block = null;
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(queued.getLast().get(10, TimeUnit.SECONDS)).isPositive();
    }

    @Test
    void afterCloseNothingIsSent() throws Exception {
        DbusNotifier n = notifier("actions");
        n.close();
        n.close();
        n.notify(new Notification("room-1", "Lobby", "alice", "late"));
        assertThatThrownBy(() -> sent(n, new Notification("room-1", "Lobby", "alice", "late")))
                .isInstanceOf(ExecutionException.class);
        assertThat(server.calls()).isEmpty();
    }
}
