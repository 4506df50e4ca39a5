package org.confab.ui.shell;

import static org.confab.ui.shell.ScreenshotTourReliability.joinThroughTheDialog;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.confab.core.FileRef;
import org.confab.core.InviteLink;
import org.confab.net.FileTransfers;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.store.DataDirs;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.files.BoundedImages;
import org.confab.ui.files.Transfer;
import org.confab.ui.room.ChatItem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The issue-17 pictures: a room with an image (its preview), a folder saved, and a file on its
 * way up (the strip above the composer), light and dark, at the minimum, default and a large
 * window size: docs/screenshots/files-*.png. Off by default; {@code docs/screenshots/make.sh}
 * runs it.
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTourFiles {
    private MainWindow window;
    private Theme theme;
    private Settings settings;
    private String dataDirBefore;

    @Start
    void start(Stage stage) throws Exception {
        dataDirBefore = System.getProperty(DataDirs.PROPERTY);
        System.setProperty(
                DataDirs.PROPERTY, Files.createTempDirectory("confab-tour-data").toString());
        settings = Settings.inMemory();
        settings.put("window.w", "1240");
        settings.put("window.h", "860");
        settings.put(
                FileSettings.FOLDER,
                Files.createTempDirectory("confab-tour-downloads").toString());
        settings.put(FileSettings.AUTO_BELOW, "0");
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setKnownRooms(
                new KnownRooms(Files.createTempDirectory("confab-tour-home").resolve("known-rooms")));
        window.show();
    }

    private static final FileTransfers.Listener QUIET = new FileTransfers.Listener() {
        @Override
        public void finished(String key, FileRef file, Path saved) {}

        @Override
        public void failed(String key, String why) {}
    };

    @Test
    void filesInARoom(FxRobot robot) throws Exception {
        Path dir = Files.createTempDirectory("confab-tour-files");
        // uploads from a member go at 3 MB/s here: the big one is still on its way in the pictures
        var config = HostConfig.defaults("Design", 0)
                .withBindAddress(InetAddress.getLoopbackAddress())
                .withHistoryFile(dir.resolve("design.db"))
                .withMaxUploadRate(3_000_000);
        var design = new RoomHost(config, HostSecurity.ephemeral(), null);
        int port = design.start().getPort();
        RoomConnectionListener quiet = (e, cid) -> {};
        RoomConnection erin = TestMember.join(port, "erin", design.fingerprint(), quiet);
        RoomConnection dan = TestMember.join(port, "Dan Okafor", design.fingerprint(), quiet);
        try {
            joinThroughTheDialog(robot, window, new InviteLink("127.0.0.1", port, design.fingerprint()), "bob");

            erin.send("Here is the new start screen, with the rooms on the network");
            Path mockup =
                    Files.copy(Path.of("docs/screenshots/start-network-light.png"), dir.resolve("start-screen-v2.png"));
            erin.files()
                    .upload(
                            mockup,
                            "start-screen-v2.png",
                            null,
                            "",
                            BoundedImages.thumbnail(mockup, FileRef.MAX_THUMB).orElseThrow(),
                            QUIET);
            awaitFiles(1);
            Path assets = Files.createDirectories(dir.resolve("icon-set"));
            for (String s : new String[] {"16", "32", "64", "128", "256"}) {
                Files.write(
                        Files.createDirectories(assets.resolve("png")).resolve("confab-" + s + ".png"), bytes(4000));
            }
            Files.copy(Path.of("assets/confab.svg"), assets.resolve("confab.svg"));
            Files.createDirectories(assets.resolve("drafts"));
            dan.send("And the icons, every size");
            dan.files().uploadFolder(assets, null, "", QUIET);
            awaitFiles(2);
            FileRef folder = fileNamed("icon-set");
            Fx.run(() -> window.room().files().download(window.room().fileTransfers(), folder, null));
            Fx.await("the folder saved", 30, () -> {
                Transfer t = window.room().files().transfers().get(folder.id());
                return t != null && t.status() == Transfer.Status.DONE;
            });
            Path video = Files.write(dir.resolve("walkthrough.mp4"), bytes(400_000_000));
            Fx.run(() -> {
                window.room().draftProperty().set("A walkthrough of the new flow");
                window.room().sendFiles(List.of(video));
            });
            Fx.await(
                    "the walkthrough on its way",
                    60,
                    () -> window.room().files().transfers().values().stream()
                            .anyMatch(t -> t.upload() && t.status() == Transfer.Status.RUNNING && t.done() > 0));

            record Shot(double w, double h, boolean dark, String name) {}
            for (Shot s : new Shot[] {
                new Shot(1240, 860, false, "files-light.png"),
                new Shot(1240, 860, true, "files-dark.png"),
                new Shot(760, 520, false, "files-min-light.png"),
                new Shot(760, 520, true, "files-min-dark.png"),
                new Shot(1700, 1050, false, "files-large-light.png"),
                new Shot(1700, 1050, true, "files-large-dark.png")
            }) {
                Fx.run(() -> {
                    theme.setDark(s.dark());
                    window.stage().setWidth(s.w());
                    window.stage().setHeight(s.h());
                });
                settle();
                Fx.run(
                        () -> { // the newest rows once the window has its size: the folder's message above the strip
                            ListView<?> list =
                                    (ListView<?>) window.stage().getScene().lookup(".message-list");
                            list.scrollTo(list.getItems().size() - 1);
                        });
                settle();
                shoot(window.stage().getScene(), s.name());
            }
            Fx.run(window::leaveRoom);
        } finally {
            erin.close();
            dan.close();
            design.close();
            if (dataDirBefore == null) {
                System.clearProperty(DataDirs.PROPERTY);
            } else {
                System.setProperty(DataDirs.PROPERTY, dataDirBefore);
            }
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private FileRef fileNamed(String name) {
        return Fx.call(() -> window.room().messages().stream()
                .filter(i -> i instanceof ChatItem.Message m
                        && m.extras().file() != null
                        && m.extras().file().name().equals(name))
                .map(i -> ((ChatItem.Message) i).extras().file())
                .findFirst()
                .orElseThrow());
    }

    private void awaitFiles(int n) {
        Fx.await(
                n + " files",
                30,
                () -> window.room().messages().stream()
                                .filter(i -> i instanceof ChatItem.Message m
                                        && m.extras().file() != null)
                                .count()
                        >= n);
    }

    private static void settle() {
        ScreenshotTourReliability.settle();
    }

    private static void shoot(Scene scene, String name) throws Exception {
        ScreenshotTourReliability.shoot(scene, name);
    }
}
