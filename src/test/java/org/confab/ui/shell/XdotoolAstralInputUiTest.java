package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javafx.scene.control.Button;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.store.DataDirs;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Astral characters typed with real X11 key input reach the room whole: {@code xdotool type} sends
 * 👋 (U+1F44B) and a ZWJ family as keysyms 0x1000000 + code point to the app's window, through the
 * X server, GTK and JavaFX's glass (which cuts each to 16 bits: U+F44B), into the composer
 * ({@code AstralInput} repairs them); Enter sends it through the app's client to a real host, and
 * another member receives the exact code points. Needs {@code xdotool} on the X display the tests
 * run on: skipped without it unless {@code CONFAB_REQUIRE_XDOTOOL=1} (.ci/run installs it and sets
 * that).
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class XdotoolAstralInputUiTest {
    static final String WAVE = "\uD83D\uDC4B"; // U+1F44B
    static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // man ZWJ woman ZWJ girl
    static final int WAIT_S = 30;

    @TempDir
    Path home;

    private Theme theme;
    private String dataDirBefore;
    private RoomHost host;
    private RoomConnection listener;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        dataDirBefore = System.getProperty(DataDirs.PROPERTY);
        System.setProperty(DataDirs.PROPERTY, home.resolve("data").toString());
        theme = new Theme(Settings.inMemory());
        theme.install();
    }

    @AfterEach
    void stop() {
        if (window != null) {
            Fx.run(() -> window.stage().close());
        }
        if (listener != null) {
            listener.close();
        }
        if (host != null) {
            host.close();
        }
        if (dataDirBefore == null) {
            System.clearProperty(DataDirs.PROPERTY);
        } else {
            System.setProperty(DataDirs.PROPERTY, dataDirBefore);
        }
    }

    private static Path xdotool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "xdotool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs xdotool on the tests' display; its output. */
    private static String xdotool(Path exe, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(exe.toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** Runs a command to its end (it must exit with 0); its output. */
    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(WAIT_S, TimeUnit.SECONDS)).as("%s ended", cmd[0]).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    @Test
    void emojiTypedAsX11KeysReachTheRoomWhole(FxRobot robot) throws Exception {
        Path exe = xdotool();
        if (!"1".equals(System.getenv("CONFAB_REQUIRE_XDOTOOL"))) {
            Assumptions.assumeTrue(
                    exe != null,
                    "xdotool is not installed (apt-get install xdotool): real X11 key input cannot be sent;"
                            + " .ci/run installs it and sets CONFAB_REQUIRE_XDOTOOL=1");
        }
        assertThat(exe).as("xdotool on PATH (CONFAB_REQUIRE_XDOTOOL=1)").isNotNull();

        String room = "Astral " + System.nanoTime() % 1_000_000;
        host = new RoomHost(
                HostConfig.defaults(room, 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        int port = host.start().getPort();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        listener = TestMember.join(
                port,
                "bob",
                JoinOptions.pinned(host.fingerprint()),
                Duration.ofSeconds(WAIT_S),
                Duration.ofSeconds(120),
                (event, cid) -> {
                    if (event instanceof RoomEvent.Posted p
                            && p.message().sender().equals("alice")) {
                        received.add(p.message().text());
                    }
                });

        // the app as a person runs it: the main window joins through its Join dialog
        window = Fx.call(() -> {
            MainWindow w = new MainWindow(new Stage(), Settings.inMemory(), theme);
            w.setKnownRooms(new KnownRooms(home.resolve("known-rooms")));
            w.show();
            return w;
        });
        Fx.run(() -> window.openJoinDialog(new InviteLink("127.0.0.1", port, host.fingerprint())));
        Fx.await(
                "join dialog",
                WAIT_S,
                () -> robot.lookup("#nickField").tryQuery().isPresent());
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("alice"));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await("alice in the room", WAIT_S, () -> window.room() != null);
        TextArea input = Fx.call(() -> (TextArea) window.stage().getScene().lookup("#input"));
        Fx.await(
                "the window titled with the room",
                WAIT_S,
                () -> window.stage().getTitle().contains(room));

        // X11: focus the window (no window manager on Xvfb: xdotool sets the input focus) and the composer
        String id = xdotool(exe, "search", "--sync", "--onlyvisible", "--name", room)
                .lines()
                .findFirst()
                .orElseThrow()
                .strip();
        xdotool(exe, "windowfocus", "--sync", id);
        Fx.run(() -> {
            window.stage().toFront();
            input.requestFocus();
        });
        Fx.await(
                "the composer focused",
                WAIT_S,
                () -> input.isFocused() && window.stage().isFocused());

        // the emoji's keysyms on keys of the display's keymap while typing (as an emoji keyboard layout
        // has them): xdotool's own way, binding a spare keycode per key and binding the next one at
        // once, races GTK's reading of the keymap and loses keys on a busy machine
        String typed = "hi " + WAVE + " " + FAMILY + " ok";
        Path saved = home.resolve("keymap.xkb");
        String display = System.getenv("DISPLAY");
        run("xkbcomp", "-xkb", display, saved.toString());
        String keymap = Files.readString(saved);
        String[] keysyms = {"U1F44B", "U1F468", "U200D", "U1F469", "U1F467"};
        for (int i = 0; i < keysyms.length; i++) {
            // q w e r t: keys the typed text does not use
            String key = "key <AD0" + (i + 1) + ">";
            String changed =
                    keymap.replaceFirst(Pattern.quote(key) + "\\s*\\{[^}]*\\};", key + " { [ " + keysyms[i] + " ] };");
            assertThat(changed).as("%s in the display's keymap", key).isNotEqualTo(keymap);
            keymap = changed;
        }
        Path emoji = home.resolve("emoji.xkb");
        Files.writeString(emoji, keymap);
        run("xkbcomp", emoji.toString(), display);
        try {
            xdotool(exe, "type", "--delay", "30", typed);
            Fx.await(
                    "the typed text in the composer",
                    WAIT_S,
                    () -> input.getText().equals(typed),
                    () -> input.getText()
                            .codePoints()
                            .mapToObj(Integer::toHexString)
                            .toList()
                            .toString());
        } finally {
            run("xkbcomp", saved.toString(), display); // the display's keymap as it was, for the tests after this
        }
        assertThat(Fx.<String>call(input::getText)).doesNotContain("\uF44B").contains(WAVE, FAMILY);
        xdotool(exe, "key", "Return");

        String got = received.poll(WAIT_S, TimeUnit.SECONDS);
        assertThat(got).as("the message bob received").isEqualTo(typed);
        assertThat(got.codePoints().toArray())
                .containsSequence(0x1F44B)
                .containsSequence(0x1F468, 0x200D, 0x1F469, 0x200D, 0x1F467)
                .doesNotContain(0xF44B, 0xF468, 0xF469, 0xF467);
    }
}
