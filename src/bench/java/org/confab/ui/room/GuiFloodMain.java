package org.confab.ui.room;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.net.Disconnect;
import org.confab.net.JoinOptions;
import org.confab.net.Joined;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.net.TestMember;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;

/**
 * Benchmark workload 4, the GUI process (started by {@code org.confab.bench.GuiFlood} under
 * {@code xvfb-run}): the real desktop room view ({@link RoomView} on a {@link RoomViewModel}, shown
 * in a 900x600 window with Confab's theme), fed by a real {@link RoomConnection} (caching every event, as the app does) through the real
 * {@link FxBridge}, exactly as the app wires a joined room. Another process floods the room.
 *
 * <p>Arguments: {@code PORT FINGERPRINT|-}. Protocol on stdin/stdout, one line each:
 * prints {@code ready heap=B} (used heap after full GC with the view shown and joined); reads
 * {@code go N} (the flooder starts sending N messages right after writing it), and prints
 * {@code burst n=N receivedMs=.. listMs=.. laidOutMs=.. worstFxMs=.. probes=.. drains=.. drainMs=.. drainCpuMs=..
 * layoutMs=.. layoutCpuMs=..} (the longest drain and the longest pulse CSS+layout, wall and FX-thread CPU) once the
 * list holds them all and a layout pulse has shown the last one; reads {@code heap}, prints
 * {@code heap used=B items=K}; reads {@code quit}.
 *
 * <p>FX-thread delay: a probe thread posts a {@link Platform#runLater}, waits for it to run, sleeps
 * 2 ms and repeats, for as long as a burst lasts; reported is the worst post-to-run time.
 */
public final class GuiFloodMain {
    /** The FX application (a nested class: a main class extending Application needs JavaFX on the module path). */
    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            new GuiFloodMain().show(stage);
        }
    }

    private static volatile String[] arguments;
    private static final CountDownLatch SHOWN = new CountDownLatch(1);
    private static final AtomicReference<Throwable> FAILED = new AtomicReference<>();

    private RoomViewModel vm;
    private FxBridge bridge;
    private Scene scene;

    public static void main(String[] args) throws Exception {
        arguments = args;
        Thread.ofPlatform().name("gui-flood-driver").start(GuiFloodMain::drive);
        Application.launch(App.class);
    }

    private static volatile GuiFloodMain app;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Longest drain (view model apply) and longest pulse CSS+layout during a burst, ns: wall and FX-thread CPU. */
    private static final AtomicLong DRAIN_WALL = new AtomicLong();

    private static final AtomicLong DRAIN_CPU = new AtomicLong();
    private static final AtomicLong LAYOUT_WALL = new AtomicLong();
    private static final AtomicLong LAYOUT_CPU = new AtomicLong();
    private static final AtomicLong RECEIVED = new AtomicLong();

    private void show(Stage stage) {
        try {
            app = this;
            Theme theme = new Theme(Settings.inMemory());
            theme.install();
            vm = new RoomViewModel(false, Runnable::run);
            bridge = new FxBridge(batch -> {
                // how long the FX thread works on one drain: wall time and the FX thread's own CPU time
                // (on a loaded machine the two differ: the thread waits for a core)
                long w0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                vm.apply(batch);
                DRAIN_WALL.accumulateAndGet(System.nanoTime() - w0, Math::max);
                DRAIN_CPU.accumulateAndGet(THREADS.getCurrentThreadCpuTime() - c0, Math::max);
            });
            scene = RoomViewFixture.scene(vm, theme, 900, 600);
            // CSS and layout of one pulse (the pre-layout listeners run before its CSS pass, the
            // post-layout ones after its layout pass); the app's own listeners are registered first
            long[] pulseStart = new long[2];
            scene.addPreLayoutPulseListener(() -> {
                pulseStart[0] = System.nanoTime();
                pulseStart[1] = THREADS.getCurrentThreadCpuTime();
            });
            scene.addPostLayoutPulseListener(() -> {
                if (pulseStart[0] != 0) {
                    LAYOUT_WALL.accumulateAndGet(System.nanoTime() - pulseStart[0], Math::max);
                    LAYOUT_CPU.accumulateAndGet(THREADS.getCurrentThreadCpuTime() - pulseStart[1], Math::max);
                }
            });
            stage.setScene(scene);
            stage.show();
        } catch (Throwable t) {
            FAILED.set(t);
        } finally {
            SHOWN.countDown();
        }
    }

    private static void drive() {
        try {
            driveOrThrow();
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("failed " + t);
            t.printStackTrace();
            System.out.flush();
            System.exit(1);
        }
    }

    private static void driveOrThrow() throws Exception {
        if (!SHOWN.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("window not shown within 60 s");
        }
        if (FAILED.get() != null) {
            throw new IllegalStateException("view failed", FAILED.get());
        }
        GuiFloodMain a = app;
        int port = Integer.parseInt(arguments[0]);
        JoinOptions options = arguments[1].equals("-")
                ? JoinOptions.insecureTcp()
                : JoinOptions.pinned(Fingerprint.parse(arguments[1]).orElseThrow());
        // the app's wiring: the client's listener is the bridge (here with a counter in front)
        RoomConnectionListener counting = new RoomConnectionListener() {
            @Override
            public void event(RoomEvent event, String cid) {
                if (event instanceof RoomEvent.Posted) {
                    RECEIVED.incrementAndGet();
                }
                a.bridge.event(event, cid);
            }

            @Override
            public void connected(Joined joined) {
                a.bridge.connected(joined);
            }

            @Override
            public void reconnecting(long delayMillis, int attempt, String reason) {
                a.bridge.reconnecting(delayMillis, attempt, reason);
            }

            @Override
            public void messageState(String cid, RoomConnection.MessageState state) {
                a.bridge.messageState(cid, state);
            }

            @Override
            public void error(String code, String text) {
                a.bridge.error(code, text);
            }

            @Override
            public void ended(Disconnect why) {
                a.bridge.ended(why);
            }
        };
        // the app's path: a lasting connection that caches every event in its store (here in memory)
        RoomConnection client =
                TestMember.join(port, "gui", options, Duration.ofSeconds(30), Duration.ofSeconds(60), counting);
        Fx.run(() -> {
            a.vm.open(
                    RoomActions.of(client),
                    new InviteLink("127.0.0.1", port),
                    client.welcome().room(),
                    List.of(),
                    List.of(),
                    true);
            a.vm.security(options.pinned(), false);
        });
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) Fx.call(() -> a.scene.lookup("#messageList"));
        System.out.println("ready heap=" + heapAfterGc() + " encrypted=" + !options.insecure());
        System.out.flush();

        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            line = line.trim();
            if (line.startsWith("go ")) {
                int n = Integer.parseInt(line.substring(3).trim());
                System.out.println(a.burst(n, list));
                System.out.flush();
            } else if (line.equals("heap")) {
                long used = heapAfterGc();
                int items = Fx.call(() -> a.vm.messages().size());
                System.out.println("heap used=" + used + " items=" + items);
                System.out.flush();
            } else if (line.equals("quit")) {
                client.close();
                Platform.exit();
                return;
            }
        }
    }

    /** One burst of n messages (sent by the other process as soon as it wrote "go n"). */
    private String burst(int n, ListView<ChatItem> list) throws Exception {
        long t0;
        long receivedBase = RECEIVED.get();
        long drains0 = bridge.drains();
        int[] baseBox = new int[1];
        var inList = new AtomicLong(-1);
        var laidOut = new AtomicLong(-1);
        var done = new CountDownLatch(1);
        var receivedAll = new AtomicLong(-1);
        var counter = new int[1];
        ListChangeListener<ChatItem> onChange = c -> {
            while (c.next()) {
                for (ChatItem i : c.getAddedSubList()) {
                    if (i instanceof ChatItem.Message) {
                        counter[0]++;
                    }
                }
            }
            if (counter[0] - baseBox[0] >= n && inList.get() < 0) {
                inList.set(System.nanoTime());
                Platform.requestNextPulse();
            }
        };
        var lastRowShown = new AtomicBoolean();
        Runnable[] pulse = new Runnable[1];
        pulse[0] = () -> {
            // the first layout pulse after the list holds everything: the ListView has laid out the new items
            if (inList.get() >= 0 && laidOut.get() < 0) {
                laidOut.set(System.nanoTime());
                lastRowShown.set(lastVisible(list) == list.getItems().size() - 1);
                scene.removePostLayoutPulseListener(pulse[0]);
                done.countDown();
            } else if (inList.get() >= 0) {
                Platform.requestNextPulse();
            }
        };
        Fx.run(
                () -> { // the count and the listener in one FX turn: no item slips between them
                    DRAIN_WALL.set(0);
                    DRAIN_CPU.set(0);
                    LAYOUT_WALL.set(0);
                    LAYOUT_CPU.set(0);
                    baseBox[0] = (int) vm.messages().stream()
                            .filter(i -> i instanceof ChatItem.Message)
                            .count();
                    counter[0] = baseBox[0];
                    vm.messages().addListener(onChange);
                    scene.addPostLayoutPulseListener(pulse[0]);
                });
        // the flooder starts when it reads this line; times count from here
        System.out.println("armed " + n);
        System.out.flush();
        t0 = System.nanoTime();
        FxProbe probe = FxProbe.start();
        Thread watch = Thread.ofPlatform().daemon(true).name("received-watch").start(() -> {
            while (RECEIVED.get() - receivedBase < n && probe.running()) {
                LockSupport.parkNanos(200_000);
            }
            receivedAll.set(System.nanoTime());
        });
        boolean ok = done.await(Long.getLong("gui.burstTimeoutSecs", 900), TimeUnit.SECONDS);
        probe.stop();
        watch.join();
        Fx.run(() -> {
            vm.messages().removeListener(onChange);
            scene.removePostLayoutPulseListener(pulse[0]);
        });
        if (!ok) {
            throw new IllegalStateException("burst of " + n + " not shown within 15 min: "
                    + (RECEIVED.get() - receivedBase) + " received, " + (counter[0] - baseBox[0]) + " in the list");
        }
        return String.format(
                Locale.ROOT,
                "burst n=%d receivedMs=%.1f listMs=%.1f laidOutMs=%.1f worstFxMs=%.1f p99FxMs=%.1f probes=%d drains=%d lastRowShown=%s"
                        + " drainMs=%.1f drainCpuMs=%.1f layoutMs=%.1f layoutCpuMs=%.1f",
                n,
                (receivedAll.get() - t0) / 1e6,
                (inList.get() - t0) / 1e6,
                (laidOut.get() - t0) / 1e6,
                probe.worstMs(),
                probe.p99Ms(),
                probe.probes(),
                bridge.drains() - drains0,
                lastRowShown.get(),
                DRAIN_WALL.get() / 1e6,
                DRAIN_CPU.get() / 1e6,
                LAYOUT_WALL.get() / 1e6,
                LAYOUT_CPU.get() / 1e6);
    }

    private static int lastVisible(ListView<?> list) {
        if (list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            var cell = flow.getLastVisibleCell();
            return cell == null ? -1 : cell.getIndex();
        }
        return -1;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
