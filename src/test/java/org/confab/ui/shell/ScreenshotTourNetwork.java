package org.confab.ui.shell;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.net.discovery.NetworkRoom;
import org.confab.net.discovery.RoomAd;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.Png;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.start.FakeRoomSource;
import org.confab.ui.start.RecentRooms;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The issue-16 pictures: the start screen listing rooms on the network (docs/screenshots/
 * start-network-*.png), light and dark, default and smallest window. The rooms come from a fake
 * source: discovery stays off, nothing multicasts. Off by default; {@code docs/screenshots/make.sh}
 * runs it with {@code -Dconfab.screenshots=true} under xvfb-run.
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourNetwork {
    private static final Path OUT = Path.of(System.getProperty("confab.screenshots.dir", "docs/screenshots"));

    private final FakeRoomSource source = new FakeRoomSource();
    private Theme theme;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        Settings settings = Settings.inMemory();
        settings.put("window.w", "1240");
        settings.put("window.h", "860");
        RecentRooms.remember(settings, new InviteLink("192.168.1.31", 4747), "Friday lunch");
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        KnownRooms known =
                new KnownRooms(Files.createTempDirectory("confab-tour").resolve("known-rooms"));
        known.trust("192.168.1.20", 4747, FakeRoomSource.key("design")); // joined before: "Known"
        known.trust("192.168.1.57", 4747, FakeRoomSource.key("the real one")); // now announces another key
        known.trust("100.101.7.9", 4747, FakeRoomSource.key("night")); // joined over the VPN before
        window.setKnownRooms(known);
        window.setRoomSource(source);
        window.show();
    }

    @Test
    void tour(FxRobot robot) throws Exception {
        robot.moveTo(window.stage().getX() + 5, window.stage().getY() + 5); // nothing hovered
        Fx.await("browsing", 10, () -> source.openBrowses() == 1);
        source.rooms(List.of(
                FakeRoomSource.room(
                        "Design team", "d1", FakeRoomSource.key("design"), true, 4, "alice", "192.168.1.20", 4747),
                FakeRoomSource.room(
                        "Friday lunch", "f1", FakeRoomSource.key("lunch"), false, 2, "bob", "192.168.1.31", 4747),
                FakeRoomSource.room(
                        "Printer queue",
                        "p1",
                        FakeRoomSource.key("impostor"),
                        false,
                        1,
                        "it-desk",
                        "192.168.1.57",
                        4747),
                // joined before over the VPN, found by a probe (multicast does not pass there)
                new NetworkRoom(
                        new RoomAd(1, "Night shift", "n1", FakeRoomSource.key("night"), false, -1, null),
                        List.of(new InetSocketAddress(InetAddress.getByName("100.101.7.9"), 4747)),
                        InviteLink.of(
                                List.of(
                                        new InviteLink.Candidate("100.101.7.9", 4747),
                                        new InviteLink.Candidate("10.20.0.4", 4747)),
                                FakeRoomSource.key("night")))));
        Fx.await(
                "rooms listed",
                10,
                () -> window.stage()
                                .getScene()
                                .getRoot()
                                .lookupAll(".network-row")
                                .size()
                        == 4);
        settle();
        shoot("start-network-light.png");
        resize(760, 520);
        shoot("start-network-min-light.png");
        Fx.run(theme::toggle);
        settle();
        shoot("start-network-min-dark.png");
        resize(1240, 860);
        shoot("start-network-dark.png");
        Fx.run(theme::toggle);
        Fx.run(() -> window.stage().close());
    }

    private void resize(double width, double height) {
        Fx.run(() -> {
            window.stage().setWidth(width);
            window.stage().setHeight(height);
        });
        settle();
    }

    private static void settle() {
        WaitForAsyncUtils.waitForFxEvents(10);
        for (int i = 0; i < 6; i++) {
            var latch = new CountDownLatch(1);
            Fx.run(() -> new AnimationTimer() {
                int frames;

                @Override
                public void handle(long now) {
                    if (++frames >= 2) {
                        stop();
                        latch.countDown();
                    }
                }
            }.start());
            try {
                latch.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        WaitForAsyncUtils.waitForFxEvents(10);
    }

    private void shoot(String name) throws Exception {
        var image = Fx.call(() -> window.stage().getScene().snapshot(null));
        Png.write(image, OUT.resolve(name));
        System.out.println("screenshot: " + OUT.resolve(name).toAbsolutePath());
    }
}
