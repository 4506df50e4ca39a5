package org.confab.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.confab.net.RoomClient;
import org.confab.net.RoomListener;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * Workload 4, ready for when the desktop UI is merged: a burst of messages into a running GUI
 * client, measured at the GUI's own list. The UI supplies, on the FX thread, the list its chat view
 * shows and the {@link RoomListener} (its FX bridge) that feeds that list; see {@link Target}.
 * Measured: time from the first send until the list holds every message; the worst delay of a
 * probe {@code Platform.runLater} posted every millisecond (how long the FX thread was busy); and
 * used heap after a larger flood. Needs the FX toolkit (run under xvfb-run).
 *
 * <p>Not run by {@link BenchRunner} yet: there is no {@code org.confab.ui.FxBridge} on this
 * branch, and figures from a stand-in bridge would be figures of the stand-in. To wire it in, set
 * {@link #BRIDGE} to {@code list -> new FxBridge(list)} (or whatever the bridge's constructor is)
 * and call {@link #run}.
 */
final class GuiFlood {
    /** What the UI provides: the list its chat view shows, and the listener that fills it. */
    record Target(ObservableList<?> shown, RoomListener listener) { }

    record Result(int messages, double allShownMs, double worstFxDelayMs, long heapAfterBytes) { }

    /** Builds the UI's bridge around the chat list, on the FX thread. Null until the UI is merged. */
    static volatile Function<ObservableList<Object>, RoomListener> BRIDGE;

    private GuiFlood() { }

    static boolean available() {
        return BRIDGE != null;
    }

    /**
     * Sends {@code messages} 128-byte messages as fast as the host takes them from a raw member
     * (load side) into the room the GUI client has joined; the GUI client is a real RoomClient in
     * this process whose listener is the UI's bridge.
     */
    static Result run(int port, int messages, ObservableList<Object> list) throws Exception {
        var bridge = BRIDGE;
        if (bridge == null) {
            throw new IllegalStateException("no FX bridge: the UI is not merged yet");
        }
        var target = onFx(() -> new Target(list, bridge.apply(list)));
        RoomClient gui = RoomClient.connect("127.0.0.1", port, "gui", target.listener());
        var all = new CountDownLatch(1);
        long base = list.size();
        Platform.runLater(() -> list.addListener((ListChangeListener<Object>) c -> {
            if (list.size() - base >= messages) {
                all.countDown();
            }
        }));
        // probe: one runLater per millisecond; the worst gap between posting and running it
        var worst = new AtomicLong();
        var probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread probe = Thread.ofPlatform().daemon(true).name("fx-probe").start(() -> {
            while (probing.get()) {
                long posted = System.nanoTime();
                var ran = new CountDownLatch(1);
                Platform.runLater(() -> {
                    worst.accumulateAndGet(System.nanoTime() - posted, Math::max);
                    ran.countDown();
                });
                try {
                    ran.await();
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        RawMember sender = RawMember.join(port, "flood", true, null, 64 * 1024);
        byte[] frame = JsonCodec.encode(new Message.Send(FanOut.text(128), null)).encode();
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            sender.write(frame);
        }
        boolean done = all.await(10, TimeUnit.MINUTES);
        long t1 = System.nanoTime();
        probing.set(false);
        probe.join();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        sender.close();
        gui.close();
        return new Result(messages, done ? (t1 - t0) / 1e6 : Double.NaN, worst.get() / 1e6, heap);
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        var box = new java.util.concurrent.atomic.AtomicReference<T>();
        var err = new java.util.concurrent.atomic.AtomicReference<Exception>();
        var done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                box.set(c.call());
            } catch (Exception e) {
                err.set(e);
            } finally {
                done.countDown();
            }
        });
        done.await();
        if (err.get() != null) {
            throw err.get();
        }
        return box.get();
    }

    /** The rows the report shows until this runs. */
    static List<String> notRunYet() {
        return List.of("50,000-message burst: time until all shown", "worst FX-thread delay (runLater probe)",
                "heap after 1,000,000 messages");
    }
}
