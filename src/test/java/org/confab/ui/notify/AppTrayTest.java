package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.SystemTray;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Confab's tray icon in a real system tray: trayer (an XEmbed tray, as KDE's, Xfce's or MATE's) on
 * the virtual display the UI tests run on. The menu lists what is unread and its entries reach the
 * listeners. Needs trayer ({@code apt-get install trayer}; .ci/run installs it): on Linux, its absence fails.
 */
@Tag("ui")
class AppTrayTest {
    private static final int TIMEOUT_S = 20;

    @TempDir
    Path dir;

    private Process trayer;
    private AppTray tray;

    @AfterEach
    void stop() throws Exception {
        if (tray != null) {
            tray.close();
        }
        if (trayer != null) {
            trayer.destroy();
            trayer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void labelsArePlainShortTextAndTheTooltipCounts() {
        assertThat(AppTray.tooltip(0, 0)).isEqualTo("Confab");
        assertThat(AppTray.tooltip(1, 1)).isEqualTo("Confab: 1 unread message");
        assertThat(AppTray.tooltip(12, 3)).isEqualTo("Confab: 12 unread messages in 3 conversations");
        assertThat(AppTray.label(new Tray.Unread("k", "Design", 3, true)))
                .isEqualTo("Design: 3 unread, you were mentioned");
        assertThat(AppTray.label(new Tray.Unread("k", "a\nb\u0007" + "x".repeat(60), 1, false)))
                .as("control characters and long names do not reach the menu")
                .startsWith("a b x")
                .doesNotContain("\n")
                .hasSizeLessThan(60)
                .endsWith("…: 1 unread");
    }

    @Test
    void theMenuListsUnreadConversationsAndItsEntriesOpenAndQuit() throws Exception {
        assumeTrue(
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "trayer is an X11 tray");
        if (!onPath("trayer")) {
            fail("trayer is not installed: this test needs a system tray on the virtual display"
                    + " (apt-get install trayer; .ci/run installs it)");
        }
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            fail("the tray needs an X display: run the UI tests under xvfb-run -a (as .ci/run does)");
        }
        trayer = new ProcessBuilder("trayer", "--expand", "false", "--widthtype", "request")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("trayer.log").toFile())
                .start();
        awaitTrue("a system tray on " + display, () -> SystemTray.isSupported());

        tray = AppTray.create();
        BlockingQueue<String> opened = new LinkedBlockingQueue<>();
        BlockingQueue<Boolean> quit = new LinkedBlockingQueue<>();
        tray.onOpen(key -> opened.add(key == null ? "<window>" : key));
        tray.onQuit(() -> quit.add(true));
        awaitTrue("the icon in the tray", () -> SystemTray.getSystemTray().getTrayIcons().length == 1);
        assertThat(tray.present()).isTrue();
        assertThat(tray.isPlain()).isTrue();
        assertThat(tray.menuLabels()).containsExactly("Open Confab", "-", "Quit Confab");

        tray.unread(
                List.of(new Tray.Unread("a/alice", "Design", 3, true), new Tray.Unread("b/alice", "Ops", 1, false)));
        awaitTrue("the menu lists them", () -> tray.menuLabels().size() == 6);
        assertThat(tray.menuLabels())
                .containsExactly(
                        "Open Confab",
                        "-",
                        "Design: 3 unread, you were mentioned",
                        "Ops: 1 unread",
                        "-",
                        "Quit Confab");
        assertThat(tray.isPlain()).as("a dot while unread").isFalse();

        tray.choose("Ops: 1 unread");
        assertThat(opened.poll(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("b/alice");
        tray.choose("Open Confab");
        assertThat(opened.poll(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("<window>");
        tray.choose("Quit Confab");
        assertThat(quit.poll(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

        tray.unread(List.of());
        awaitTrue(
                "read: the dot goes", () -> tray.isPlain() && tray.menuLabels().size() == 3);

        tray.close();
        awaitTrue("the icon left the tray", () -> SystemTray.getSystemTray().getTrayIcons().length == 0);
        assertThat(tray.present()).isFalse();
    }

    private static void awaitTrue(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            fail("Timed out after " + TIMEOUT_S + " s waiting for: " + what);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
