package org.confab.ui.room;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.ui.Fx;
import org.confab.ui.Png;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Screenshots of the actions bar over the message under the pointer (the pointer really moved
 * there), light and dark: beside a short message at the default size, over the corner of a long one
 * at the window's minimum size, and at a large size. Run by {@code docs/screenshots/make.sh}
 * (-Dconfab.screenshots=true under xvfb-run).
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourMessageBar {
    private static final Path OUT = Path.of(System.getProperty("confab.screenshots.dir", "docs/screenshots"));
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final String SHORT = "Great. Can you share the release checklist?";
    private static final String LONG = "Hi all, just catching up. I tried the new join dialog on my laptop: pasting"
            + " host:port straight into the address field works, and the error when the port is wrong is finally"
            + " readable. \uD83D\uDC4D\uD83C\uDFFD";
    private static final String MINE = "1. Bump the version\n2. Tag the release\n3. Publish the installers";
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void messageBar(FxRobot robot) throws Exception {
        for (boolean dark : new boolean[] {false, true}) {
            String theme = dark ? "dark" : "light";
            Scene scene = room(dark);
            hover(robot, scene, SHORT, 1100, 720);
            shoot(scene, "message-bar-" + theme + ".png");
            hover(robot, scene, MINE, 1100, 720);
            shoot(scene, "message-bar-own-" + theme + ".png");
            hover(robot, scene, LONG, 760, 520);
            shoot(scene, "message-bar-min-" + theme + ".png");
            hover(robot, scene, SHORT, 1920, 1200);
            shoot(scene, "message-bar-large-" + theme + ".png");
            robot.moveTo(stage.getX() + 5, stage.getY() + 5);
        }
    }

    /** The window at {@code width} x {@code height}, the pointer on the bubble of the message reading {@code text}. */
    private void hover(FxRobot robot, Scene scene, String text, double width, double height) {
        robot.moveTo(stage.getX() + 5, stage.getY() + 5);
        Fx.run(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
        Fx.await(
                "the window at " + (int) width + "x" + (int) height,
                10,
                () -> Math.abs(scene.getWidth() - width) < 1 && Math.abs(scene.getHeight() - height) < 1);
        Fx.settled(
                "the message",
                () -> row(scene, text) == null ? null : row(scene, text).lookup(".bubble"));
        robot.moveTo(Fx.call(() -> row(scene, text).lookup(".bubble")));
        Fx.await("the bar", 10, () -> {
            Node bar = scene.lookup("#hoverBar");
            return bar != null && bar.getScene() != null;
        });
        Fx.run(() -> scene.getRoot().layout());
    }

    private static Node row(Scene scene, String text) {
        return scene.getRoot().lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ListCell<?> c
                        && !c.isEmpty()
                        && c.getItem() instanceof ChatItem.Message m
                        && m.text().equals(text))
                .findFirst()
                .orElse(null);
    }

    private Scene room(boolean dark) {
        return Fx.call(() -> {
            Theme theme = new Theme(Settings.inMemory());
            theme.install();
            theme.setDark(dark);
            RoomViewModel vm = new RoomViewModel(false, Runnable::run);
            RoomViewFixture.joined(
                    vm,
                    RoomViewFixture.ME,
                    new Message.Welcome(
                            1, "Design team", "me", List.of("me", "bob", "Carol Diaz"), List.of(), 0, "test"),
                    new InviteLink("192.168.1.20", 4747));
            List<FxBridge.Update> updates = new ArrayList<>();
            String[][] lines = {
                {"bob", "Morning! Is the build green again? ☕"},
                {"me", "Yes, fixed the flaky test last night. \uD83C\uDF89"},
                {"bob", SHORT},
                {"me", MINE},
                {"Carol Diaz", LONG},
                {"bob", "Thanks! \uD83D\uDE4F"},
            };
            long seq = 1;
            for (String[] l : lines) {
                updates.add(new FxBridge.Update.Event(
                        new RoomEvent.Posted(new ChatMessage(seq, "c" + seq, l[0], l[1], T.plusSeconds(60 * seq)))));
                seq++;
            }
            updates.add(new FxBridge.Update.Event(
                    new RoomEvent.Reacted(seq, "r" + seq, T, 2, "bob", "\uD83D\uDC4D", true)));
            vm.apply(updates);
            Scene scene = RoomViewFixture.scene(vm, theme, 1100, 720, text -> {});
            stage.setScene(scene);
            stage.show();
            stage.toFront();
            return scene;
        });
    }

    private static void shoot(Scene scene, String name) throws Exception {
        var image = Fx.call(() -> scene.snapshot(null));
        Png.write(image, OUT.resolve(name));
        System.out.println("screenshot: " + OUT.resolve(name).toAbsolutePath());
    }
}
