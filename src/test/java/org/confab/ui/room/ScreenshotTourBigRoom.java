package org.confab.ui.room;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javafx.scene.Scene;
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
 * Screenshots of a big room whose member list is loaded lazily (docs/protocol.md §20): the count
 * and "Show all members" at the window's minimum, default and a large size, light and dark, and
 * the list once loaded. Run by {@code docs/screenshots/make.sh}.
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourBigRoom {
    private static final Path OUT = Path.of(System.getProperty("confab.screenshots.dir", "docs/screenshots"));
    private static final Instant T = Instant.parse("2026-12-03T09:00:00Z");
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void bigRoom() throws Exception {
        for (boolean dark : new boolean[] {false, true}) {
            String theme = dark ? "dark" : "light";
            RoomViewModel[] vm = new RoomViewModel[1];
            Scene scene = room(dark, vm);
            for (double[] size : new double[][] {{760, 520}, {1100, 720}, {1920, 1200}}) {
                resize(scene, size);
                shoot(scene, "bigroom-" + (int) size[0] + "-" + theme + ".png");
            }
            List<String> all = IntStream.range(0, 10_412)
                    .mapToObj(i -> NAMES[i % NAMES.length] + (i < NAMES.length ? "" : "-" + i))
                    .collect(Collectors.toCollection(ArrayList::new));
            all.add("me");
            Fx.run(() -> vm[0].apply(List.of(new FxBridge.Update.Members(all, 10_420))));
            Fx.await(
                    "the list shown",
                    10,
                    () -> !scene.lookup("#showMembersButton").isVisible());
            resize(scene, new double[] {1100, 720});
            shoot(scene, "bigroom-loaded-" + theme + ".png");
        }
    }

    private static final String[] NAMES = {
        "alice", "amir", "bea", "carlos", "dana", "emeka", "fatima", "gustav", "hana", "igor", "jun", "keira"
    };

    private void resize(Scene scene, double[] size) {
        Fx.run(() -> {
            stage.setWidth(size[0]);
            stage.setHeight(size[1]);
        });
        Fx.await(
                "the window at " + (int) size[0] + "x" + (int) size[1],
                10,
                () -> Math.abs(scene.getWidth() - size[0]) < 1 && Math.abs(scene.getHeight() - size[1]) < 1);
        Fx.run(() -> scene.getRoot().layout());
    }

    private Scene room(boolean dark, RoomViewModel[] out) {
        return Fx.call(() -> {
            Theme theme = new Theme(Settings.inMemory());
            theme.install();
            theme.setDark(dark);
            RoomViewModel vm = new RoomViewModel(false, Runnable::run);
            out[0] = vm;
            RoomViewFixture.joined(
                    vm,
                    RoomViewFixture.ME,
                    new Message.Welcome(
                            1,
                            "All hands",
                            "me",
                            List.of("me"),
                            List.of(),
                            10_400,
                            "test",
                            "r",
                            null,
                            null,
                            Message.CAPS,
                            "Company-wide announcements",
                            Map.of(),
                            Map.of(),
                            Map.of(),
                            10_412),
                    new InviteLink("192.168.1.20", 4747));
            List<FxBridge.Update> updates = new ArrayList<>();
            String[][] lines = {
                {"dana", "Town hall starts in 10 minutes, link in the topic"},
                {"gustav", "The quarterly numbers are in the shared folder 📈"},
                {"hana", "Can everyone on the 3rd floor check the printer queue?"},
            };
            long seq = 10_401;
            for (String[] l : lines) {
                updates.add(new FxBridge.Update.Event(new RoomEvent.Posted(
                        new ChatMessage(seq, "c" + seq, l[0], l[1], T.plusSeconds(60 * (seq - 10_400))))));
                seq++;
            }
            vm.apply(updates);
            RoomView view = new RoomView(vm, theme, RoomViewFixture.NO_ACTIONS, List.of(), text -> {});
            Scene scene = new Scene(view.load(), 1100, 720);
            theme.style(scene);
            stage.setScene(scene);
            stage.show();
            stage.toFront();
            return scene;
        });
    }

    private static void shoot(Scene scene, String name) throws Exception {
        Png.write(Fx.call(() -> scene.snapshot(null)), OUT.resolve(name));
        System.out.println("screenshot: " + OUT.resolve(name).toAbsolutePath());
    }
}
