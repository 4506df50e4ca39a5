package org.confab.ui.room;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.markdown.MarkdownText;

/**
 * The hostile-Markdown benchmark, the GUI process (started by {@code org.confab.bench.MarkdownBench}
 * under {@code xvfb-run}): each case of {@link HostileMarkdown} rendered {@code reps} times,
 * (1) by the renderer alone ({@link MarkdownText#render} with the emoji images and the font
 * {@link ChatCell} uses), and (2) as a message from a peer arriving in the real room view (a
 * {@link RoomView} on a {@link RoomViewModel}, 900x600, Confab's theme), timed from the view
 * model's apply to the first layout pulse in which a {@link ChatCell} shows it. Meanwhile
 * {@link FxProbe} measures how long the FX thread kept a {@code runLater} waiting: the stall a
 * person would feel.
 *
 * <p>Argument: {@code reps}. Prints one line per case: {@code case name=.. chars=.. markdown=..
 * renderMedianMs=.. renderMaxMs=.. roomMedianMs=.. roomMaxMs=.. stallMs=.. nodes=..}, then
 * {@code done}.
 */
public final class MarkdownBenchMain {
    /** The FX application (a nested class: a main class extending Application needs JavaFX on the module path). */
    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            show(stage);
        }
    }

    private static final CountDownLatch SHOWN = new CountDownLatch(1);
    private static final AtomicReference<Throwable> FAILED = new AtomicReference<>();
    private static volatile RoomViewModel vm;
    private static volatile Scene scene;
    private static volatile int reps;

    private MarkdownBenchMain() {}

    public static void main(String[] args) {
        reps = Integer.parseInt(args[0]);
        Thread.ofPlatform().name("markdown-bench-driver").start(MarkdownBenchMain::drive);
        Application.launch(App.class);
    }

    /** Ordinary messages sent untimed before the cases. */
    private static final int WARM_UP = 40;

    private static void show(Stage stage) {
        try {
            Theme theme = new Theme(Settings.inMemory());
            theme.install();
            RoomViewModel model = new RoomViewModel(false, Runnable::run);
            RoomViewFixture.joined(
                    model,
                    RoomViewFixture.ME,
                    new Message.Welcome(1, "Bench", "me", List.of("me", "mallory"), List.of(), 0, "bench"),
                    new InviteLink("127.0.0.1", 4747));
            vm = model;
            scene = RoomViewFixture.scene(model, theme, 900, 600);
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
            if (!SHOWN.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("window not shown within 60 s");
            }
            if (FAILED.get() != null) {
                throw new IllegalStateException("view failed", FAILED.get());
            }
            MarkdownText renderer =
                    Fx.call(() -> new MarkdownText(EmojiText.standard(), ChatCell.BUBBLE_FONT, u -> {}, s -> {}));
            long seq = 1;
            // warm-up, untimed: a GUI that has been running (the JIT has compiled the view's and the
            // renderer's code), as a person's app is when a hostile message comes in
            for (int w = 0; w < WARM_UP; w++) {
                intoTheRoom(seq++, w % 2 == 0 ? "warming up, **bold** and `code` " + w : "plain line " + w);
            }
            for (HostileMarkdown.Case c : HostileMarkdown.cases()) {
                double[] render = new double[reps];
                double[] room = new double[reps];
                int[] nodes = new int[1];
                double stall = 0;
                for (int r = 0; r < reps; r++) {
                    render[r] = Fx.call(() -> {
                        long t0 = System.nanoTime();
                        VBox v = renderer.render(c.text());
                        double ms = (System.nanoTime() - t0) / 1e6;
                        nodes[0] = count(v);
                        return ms;
                    });
                    // the stall a person feels: while the message goes into the room (the renderer's own
                    // call above, of the whole text, is the benchmark's, timed on its own)
                    FxProbe probe = FxProbe.start();
                    room[r] = intoTheRoom(seq++, c.text());
                    stall = Math.max(stall, probe.stop().worstMs());
                }
                System.out.println(String.format(
                        Locale.ROOT,
                        "case name=%s chars=%d markdown=%s renderMedianMs=%.1f renderMaxMs=%.1f roomMedianMs=%.1f"
                                + " roomMaxMs=%.1f stallMs=%.1f nodes=%d",
                        c.name(),
                        c.text().length(),
                        ChatCell.looksFormatted(c.text()),
                        median(render),
                        max(render),
                        median(room),
                        max(room),
                        stall,
                        nodes[0]));
                System.out.flush();
            }
            System.out.println("done");
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("failed " + t);
            t.printStackTrace();
            System.out.flush();
            System.exit(1);
        }
    }

    /** Posts {@code text} from a peer; ms from the apply to the first layout pulse in which a cell shows it. */
    private static double intoTheRoom(long seq, String text) throws InterruptedException {
        var shown = new CountDownLatch(1);
        var t0 = new AtomicLong();
        var at = new AtomicLong();
        Runnable[] pulse = new Runnable[1];
        pulse[0] = () -> {
            if (showing(scene.getRoot(), seq)) {
                at.set(System.nanoTime());
                scene.removePostLayoutPulseListener(pulse[0]);
                shown.countDown();
            } else {
                Platform.requestNextPulse();
            }
        };
        Fx.run(() -> {
            scene.addPostLayoutPulseListener(pulse[0]);
            t0.set(System.nanoTime());
            vm.apply(List.of(new FxBridge.Update.Event(
                    new RoomEvent.Posted(new ChatMessage(seq, "h" + seq, "mallory", text, Instant.now())))));
            Platform.requestNextPulse();
        });
        if (!shown.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("message " + seq + " not shown within 120 s");
        }
        return (at.get() - t0.get()) / 1e6;
    }

    /** True if a chat cell under {@code n} shows the message with this seq. */
    private static boolean showing(Node n, long seq) {
        if (n instanceof ChatCell c && !c.isEmpty() && c.getItem() instanceof ChatItem.Message m && m.seq() == seq) {
            return c.isVisible();
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                if (showing(child, seq)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int count(Node n) {
        int sum = 1;
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                sum += count(child);
            }
        }
        return sum;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
