package org.confab.ui.room;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Rectangle2D;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.TextArea;
import javafx.scene.effect.DropShadow;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
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
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Screenshots of the composer: the formatting preview under a draft, a message that names me,
 * and the completion list (commands, members), light and dark. Run by
 * {@code docs/screenshots/make.sh} (-Dconfab.screenshots=true under xvfb-run).
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourComposer {
    private static final Path OUT = Path.of(System.getProperty("confab.screenshots.dir", "docs/screenshots"));
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void composer() throws Exception {
        for (boolean dark : new boolean[] {false, true}) {
            String theme = dark ? "dark" : "light";
            Scene scene = room(dark);
            RoomView view = (RoomView) scene.getRoot().getProperties().get(RoomView.class);
            TextArea input = (TextArea) scene.lookup("#input");
            type(input, "**Ship it** after `mvn verify` — _thanks_ @alice \uD83D\uDC4D");
            Fx.await("the preview drawn", 10, () -> scene.lookup("#composerPreview .md-strong") != null);
            shoot(scene, null, "composer-preview-" + theme + ".png");
            type(input, "/to");
            Fx.await("commands offered", 10, () -> view.completion().isShowing());
            shoot(scene, view, "composer-commands-" + theme + ".png");
            type(input, "thanks @al");
            Fx.await(
                    "members offered",
                    10,
                    () -> view.completion().isShowing()
                            && view.completion().shown().size() == 2);
            shoot(scene, view, "composer-mention-" + theme + ".png");
            Fx.run(() -> view.completion().popup().hide());
            // emoji in the draft: the TextArea draws them blank on Linux, the strip above as images
            type(
                    input,
                    "see you there \uD83D\uDC4B\uD83C\uDFFD \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uD83C\uDDEB\uD83C\uDDF7");
            Fx.await(
                    "the emoji drawn",
                    10,
                    () -> scene.getRoot().lookupAll("#composerPreview .emoji").size() == 3);
            // the strip at the window's minimum size (MainWindow: 760x520), its default (1100x720) and a large one
            for (double[] size : new double[][] {{760, 520}, {1100, 720}, {1920, 1200}}) {
                Fx.run(() -> {
                    stage.setWidth(size[0]);
                    stage.setHeight(size[1]);
                });
                Fx.await(
                        "the window at " + (int) size[0] + "x" + (int) size[1],
                        10,
                        () -> Math.abs(scene.getWidth() - size[0]) < 1 && Math.abs(scene.getHeight() - size[1]) < 1);
                Fx.run(() -> scene.getRoot().layout());
                shoot(scene, null, "composer-emoji-" + (int) size[0] + "-" + theme + ".png");
            }
        }
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
                            1, "Design team", "me", List.of("me", "alice", "albert", "bob"), List.of(), 0, "test"),
                    new InviteLink("192.168.1.20", 4747));
            List<FxBridge.Update> updates = new ArrayList<>();
            String[][] lines = {
                {"alice", "The build is green again \uD83C\uDF89"},
                {"bob", "@me can you check the release notes before we ship?"},
                {"albert", "I fixed the typo in **CHANGELOG.md**"},
            };
            long seq = 1;
            for (String[] l : lines) {
                updates.add(new FxBridge.Update.Event(
                        new RoomEvent.Posted(new ChatMessage(seq, "c" + seq, l[0], l[1], T.plusSeconds(60 * seq)))));
                seq++;
            }
            vm.apply(updates);
            RoomView view = new RoomView(vm, theme, RoomViewFixture.NO_ACTIONS, List.of(), text -> {});
            view.setPreviewSetting(new SimpleBooleanProperty(true));
            Scene scene = new Scene(view.load(), 1100, 640);
            scene.getRoot().getProperties().put(RoomView.class, view);
            theme.style(scene);
            stage.setScene(scene);
            stage.show();
            stage.toFront();
            ((TextArea) scene.lookup("#input")).requestFocus();
            return scene;
        });
    }

    private static void type(TextArea input, String text) {
        Fx.run(() -> {
            input.requestFocus();
            input.setText(text);
            input.positionCaret(text.length());
        });
        Fx.run(() -> input.getScene().getRoot().layout());
    }

    /** The window, and the completion list's popup over it where it shows on screen. */
    private void shoot(Scene scene, RoomView view, String name) throws Exception {
        WritableImage image = Fx.call(() -> {
            WritableImage back = scene.snapshot(null);
            if (view == null || !view.completion().isShowing()) {
                return back;
            }
            var popup = view.completion().popup();
            WritableImage front = popup.getScene().snapshot(null);
            ImageView list = new ImageView(front);
            list.setLayoutX(popup.getX() - scene.getWindow().getX() - scene.getX());
            list.setLayoutY(popup.getY() - scene.getWindow().getY() - scene.getY());
            list.setEffect(new DropShadow(18, 0, 4, Color.rgb(0, 0, 0, 0.3)));
            Pane pane = new Pane(new ImageView(back), new Group(list));
            pane.setPrefSize(back.getWidth(), back.getHeight());
            new Scene(pane, back.getWidth(), back.getHeight());
            pane.applyCss();
            pane.layout();
            SnapshotParameters frame = new SnapshotParameters();
            frame.setViewport(new Rectangle2D(0, 0, back.getWidth(), back.getHeight()));
            return pane.snapshot(frame, null);
        });
        Png.write(image, OUT.resolve(name));
        System.out.println("screenshot: " + OUT.resolve(name).toAbsolutePath());
    }
}
