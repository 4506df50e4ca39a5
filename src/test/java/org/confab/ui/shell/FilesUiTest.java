package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.confab.core.FileRef;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.net.FileTransfers;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.net.RoomHost;
import org.confab.net.SlowLink;
import org.confab.net.TestMember;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.files.Transfer;
import org.confab.ui.room.ChatItem;
import org.confab.ui.room.RoomView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Files in the desktop app, driven as a person does: a file and a folder dragged from another
 * window (a real drag and drop) onto the room, a screenshot pasted into the composer, an upload
 * paused and resumed from its row, a shared file saved from its card and its folder opened, "Save
 * as…", and a small file fetched on its own (never opened). The other member is a real client on
 * the shipped path; every file that arrives is compared byte for byte.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class FilesUiTest {
    @TempDir
    Path dir;

    private MainWindow window;
    private Settings settings;
    private RoomHost host;
    private RoomConnection erin;
    private Stage files;
    private final List<RoomEvent.Posted> erinSaw = new CopyOnWriteArrayList<>();
    private final List<String> opened = new CopyOnWriteArrayList<>();
    /** Bob's way to the host when it is a slow network, else null (loopback at full speed). */
    private SlowLink slow;

    @Start
    void start(Stage stage) {
        settings = Settings.inMemory();
        settings.put("window.w", "1100");
        settings.put("window.h", "760");
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setBrowser(opened::add);
        window.show();
    }

    @AfterEach
    void close() throws Exception {
        Fx.run(() -> {
            if (files != null) {
                files.close();
            }
            window.stage().close();
        });
        if (erin != null) {
            erin.close();
        }
        if (slow != null) {
            slow.close();
        }
        if (host != null) {
            host.close();
        }
    }

    /** What erin does before bob joins. */
    private interface Before {
        void run() throws Exception;
    }

    private void join(HostConfig config) throws Exception {
        join(config, () -> {});
    }

    /** Bob joins through a link this slow from the host to him (0: loopback at full speed). */
    private long slowBytesPerSecond;

    private void join(HostConfig config, Before beforeBob) throws Exception {
        Files.createDirectories(dir.resolve("bob-files"));
        settings.put(FileSettings.FOLDER, dir.resolve("bob-files").toString());
        settings.put(FileSettings.AUTO_BELOW, "0");
        host = new RoomHost(
                config.withBindAddress(InetAddress.getLoopbackAddress()).withHistoryFile(dir.resolve("host.db")),
                HostSecurity.ephemeral(),
                null);
        int port = host.start().getPort();
        RoomConnectionListener l = (e, cid) -> {
            if (e instanceof RoomEvent.Posted p && p.message().file() != null) {
                erinSaw.add(p);
            }
        };
        erin = TestMember.join(port, "erin", host.fingerprint(), l);
        if (slowBytesPerSecond > 0) {
            slow = new SlowLink(port, slowBytesPerSecond);
        }
        beforeBob.run();
        window.setKnownRooms(new KnownRooms(dir.resolve("known-rooms")));
        int bobsPort = slow != null ? slow.port() : port;
        Fx.run(() -> window.openJoinDialog(new InviteLink("127.0.0.1", bobsPort, host.fingerprint())));
        Fx.await("join dialog", 10, () -> lookup("#nickField") != null);
        Fx.run(() -> {
            ((TextField) lookup("#nickField")).setText("bob");
            ((Button) lookup("#joinButton")).fire();
        });
        Fx.await(
                "bob in the room",
                20,
                () -> window.room() != null && window.room().canWrite());
    }

    private static Node lookup(String id) {
        return Window.getWindows().stream()
                .map(w -> w.getScene() == null ? null : w.getScene().lookup(id))
                .filter(n -> n != null)
                .findFirst()
                .orElse(null);
    }

    /** A second window standing in for a file manager: each label drags its path, as a file manager does. */
    private void fileManager(Map<String, Path> items) {
        Fx.run(() -> {
            VBox box = new VBox(12);
            items.forEach((id, path) -> {
                Label l = new Label(path.getFileName().toString());
                l.setId(id);
                l.setMinSize(160, 40);
                l.setOnDragDetected(e -> {
                    var db = l.startDragAndDrop(TransferMode.COPY);
                    var c = new ClipboardContent();
                    c.putFiles(List.of(path.toFile()));
                    db.setContent(c);
                    e.consume();
                });
                box.getChildren().add(l);
            });
            files = new Stage();
            files.setScene(new Scene(box, 200, 200));
            files.setX(1150);
            files.setY(40);
            files.show();
        });
    }

    private FileRef sharedWithErin(String name) {
        return erinSaw.stream()
                .map(p -> p.message().file())
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** Erin fetches {@code ref} and returns where it landed. */
    private Path erinFetches(FileRef ref) throws Exception {
        var done = new ConcurrentHashMap<String, Path>();
        var failed = new ConcurrentHashMap<String, String>();
        Path into = Files.createDirectories(dir.resolve("erin-files"));
        String key = erin.files().download(ref, into, new FileTransfers.Listener() {
            @Override
            public void finished(String k, FileRef file, Path saved) {
                done.put(k, saved);
            }

            @Override
            public void failed(String k, String why) {
                failed.put(k, why);
            }
        });
        Fx.await(
                "erin has " + ref.name(), 30, () -> done.containsKey(key) || failed.containsKey(key), failed::toString);
        assertThat(failed).isEmpty();
        return done.get(key);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Bob's row of the message sharing {@code name}. */
    private static Node card(String name) {
        return Fx.call(() -> lookup(".message-list").lookupAll(".chat-cell").stream()
                .filter(n -> n instanceof ListCell<?> c
                        && c.getItem() instanceof ChatItem.Message m
                        && m.extras().file() != null
                        && m.extras().file().name().equals(name))
                .map(n -> n.lookup(".file-card"))
                .findFirst()
                .orElse(null));
    }

    private Transfer bobsTransfer(String fileId) {
        return Fx.call(() -> window.room().files().transfers().get(fileId));
    }

    @Test
    void dropAFileAndAFolder_pasteAScreenshot_saveOpenFolderAndSaveAs(FxRobot robot) throws Exception {
        join(HostConfig.defaults("Design", 0), () -> {
            // shared before bob came: his first visit does not fetch the room's past, even with
            // automatic downloads on
            settings.put(FileSettings.AUTO_BELOW, "1000000");
            erin.files().upload(Files.writeString(dir.resolve("old.txt"), "last week"), null, "", new Quiet());
            Fx.await("old.txt shared", 30, () -> sharedWithErin("old.txt") != null);
        });
        byte[] report = random(700_000, 1);
        Path reportFile = Files.write(dir.resolve("report.pdf"), report);
        Path folder = Files.createDirectories(dir.resolve("mockups"));
        Files.write(Files.createDirectories(folder.resolve("screens")).resolve("home.png"), random(5000, 2));
        Files.writeString(folder.resolve("notes.txt"), "first draft");
        Files.createDirectories(folder.resolve("empty"));
        fileManager(new LinkedHashMap<>(Map.of("dragReport", reportFile, "dragFolder", folder)));

        // a file dropped on the room is shared, whole
        robot.drag("#dragReport").dropTo(".message-list");
        Fx.await("erin sees the report", 30, () -> sharedWithErin("report.pdf") != null);
        assertThat(Files.readAllBytes(erinFetches(sharedWithErin("report.pdf"))))
                .isEqualTo(report);
        Fx.await("bob's card", 20, () -> card("report.pdf") != null);

        // a folder dropped is one message; erin gets the tree, empty folder and all
        robot.drag("#dragFolder").dropTo(".message-list");
        Fx.await("erin sees the folder", 30, () -> sharedWithErin("mockups") != null);
        FileRef shared = sharedWithErin("mockups");
        assertThat(shared.folder()).isTrue();
        Path tree = erinFetches(shared);
        assertThat(Files.readString(tree.resolve("notes.txt"))).isEqualTo("first draft");
        assertThat(Files.readAllBytes(tree.resolve("screens/home.png")))
                .isEqualTo(Files.readAllBytes(folder.resolve("screens/home.png")));
        assertThat(tree.resolve("empty")).isEmptyDirectory();

        // a screenshot on the clipboard, pasted into the composer, becomes an image with a preview
        Fx.run(() -> {
            WritableImage shot = new WritableImage(640, 400);
            for (int y = 0; y < 400; y++) {
                for (int x = 0; x < 640; x++) {
                    shot.getPixelWriter().setColor(x, y, Color.hsb(x * 360.0 / 640, 0.6, 0.9));
                }
            }
            ClipboardContent c = new ClipboardContent();
            c.putImage(shot);
            Clipboard.getSystemClipboard().setContent(c);
            files.setX(3000);
            window.stage().toFront();
        });
        robot.clickOn("#input");
        robot.press(KeyCode.CONTROL).press(KeyCode.V).release(KeyCode.V).release(KeyCode.CONTROL);
        Fx.await(
                "erin sees the screenshot",
                30,
                () -> erinSaw.stream().anyMatch(p -> p.message().file().name().startsWith("Screenshot ")));
        FileRef png = erinSaw.stream()
                .map(p -> p.message().file())
                .filter(f -> f.name().startsWith("Screenshot "))
                .findFirst()
                .orElseThrow();
        assertThat(png.mime()).isEqualTo("image/png");
        assertThat(png.thumb()).isNotNull();
        Fx.await(
                "bob's card shows the preview",
                20,
                () -> card(png.name()) != null
                        && card(png.name()).lookup(".file-preview").isVisible());

        // a click on the preview fetches the whole image and opens the viewer; + zooms in
        robot.clickOn(Fx.call(() -> card(png.name()).lookup(".file-preview .image-view")));
        Fx.await(
                "the viewer shows the image",
                30,
                () -> window.roomView().viewer() != null
                        && window.roomView().viewer().stage().isShowing()
                        && window.roomView().viewer().hasImage());
        double fitted = Fx.call(() -> window.roomView().viewer().zoom());
        robot.clickOn("#viewerZoomIn");
        Fx.await("zoomed in", 10, () -> window.roomView().viewer().zoom() > fitted * 1.2);
        double zoomed = Fx.call(() -> window.roomView().viewer().zoom());
        robot.type(KeyCode.EQUALS); // the + key, unshifted
        Fx.await(
                "zoomed in from the keyboard",
                10,
                () -> window.roomView().viewer().zoom() > zoomed * 1.2);
        robot.type(KeyCode.ESCAPE);
        Fx.await(
                "the viewer closes",
                10,
                () -> !window.roomView().viewer().stage().isShowing());

        assertThat(dir.resolve("bob-files").resolve("old.txt")).doesNotExist();
        settings.put(FileSettings.AUTO_BELOW, "0");

        // erin shares a file: bob saves it from its card, then opens its folder
        byte[] plan = random(300_000, 3);
        erin.files().upload(Files.write(dir.resolve("plan.xlsx"), plan), null, "the plan", new Quiet());
        Fx.await("bob's card for the plan", 30, () -> card("plan.xlsx") != null);
        String planId = Fx.call(() -> window.room().messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.extras().file() != null)
                .map(i -> ((ChatItem.Message) i).extras().file())
                .filter(f -> f.name().equals("plan.xlsx"))
                .findFirst()
                .orElseThrow()
                .id());
        assertThat(bobsTransfer(planId))
                .as("nothing fetched before Save (automatic download is off)")
                .isNull();
        robot.clickOn(Fx.call(() -> card("plan.xlsx").lookup("#fileSave")));
        Fx.await(
                "saved",
                30,
                () -> bobsTransfer(planId) != null && bobsTransfer(planId).status() == Transfer.Status.DONE);
        Path saved = bobsTransfer(planId).saved();
        assertThat(saved).isEqualTo(dir.resolve("bob-files").resolve("plan.xlsx"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(plan);
        Fx.await(
                "the card offers its folder",
                10,
                () -> ((Button) card("plan.xlsx").lookup("#fileSave")).getText().equals("Open folder"));
        robot.clickOn(Fx.call(() -> card("plan.xlsx").lookup("#fileSave")));
        Fx.await("the folder opened", 10, () -> !opened.isEmpty());
        assertThat(opened).containsExactly(dir.resolve("bob-files").toUri().toString());

        // "Save as…" puts it where the person chose, under the chosen name
        Path chosen = dir.resolve("elsewhere").resolve("Q4 plan.xlsx");
        Files.createDirectories(chosen.getParent());
        RoomView view = Fx.call(window::roomView);
        Fx.run(() -> view.useChoosers(
                new RoomView.Choosers() {
                    @Override
                    public List<Path> files(Node owner) {
                        return List.of();
                    }

                    @Override
                    public Path folder(Node owner) {
                        return null;
                    }
                },
                f -> chosen));
        Fx.run(() -> window.room().files().dismiss(planId));
        robot.clickOn(Fx.call(() -> card("plan.xlsx").lookup("#fileMore")));
        robot.clickOn("Save as…");
        Fx.await(
                "saved as",
                30,
                () -> Files.exists(chosen) && bobsTransfer(planId).status() == Transfer.Status.DONE);
        assertThat(Files.readAllBytes(chosen)).isEqualTo(plan);

        // a small file is fetched on its own when it arrives, and never opened
        settings.put(FileSettings.AUTO_BELOW, "1000000");
        opened.clear();
        erin.files().upload(Files.writeString(dir.resolve("agenda.txt"), "10:00 standup"), null, "", new Quiet());
        Fx.await(
                "fetched on arrival",
                30,
                () -> Files.exists(dir.resolve("bob-files").resolve("agenda.txt")));
        assertThat(Files.readString(dir.resolve("bob-files").resolve("agenda.txt")))
                .isEqualTo("10:00 standup");
        assertThat(opened).isEmpty();
        assertThat(dir.resolve("bob-files").resolve("old.txt")).doesNotExist();
        try (Stream<Path> left = Files.list(dir.resolve("bob-files"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void anUploadPausesAndResumesFromItsRow(FxRobot robot) throws Exception {
        // a host that takes 2 MB a second from a member: the upload lasts long enough to pause it
        join(HostConfig.defaults("Design", 0).withMaxUploadRate(2_000_000));
        byte[] video = random(12_000_000, 4);
        Path file = Files.write(dir.resolve("demo.mp4"), video);
        fileManager(Map.of("dragVideo", file));
        robot.drag("#dragVideo").dropTo(".message-list");
        Fx.await(
                "the upload's row",
                20,
                () -> lookup("#uploadPause") != null && lookup("#uploadPause").isVisible());
        Fx.run(() -> files.setX(3000));
        robot.clickOn("#uploadPause");
        Fx.await(
                "paused",
                10,
                () -> Fx.call(() -> window.room().files().transfers().values().stream()
                        .anyMatch(t -> t.upload() && t.status() == Transfer.Status.PAUSED)));
        assertThat(Fx.call(() -> ((Label) lookup(".upload-detail")).getText())).startsWith("Paused · ");
        assertThat(sharedWithErin("demo.mp4")).isNull();
        robot.clickOn("#uploadPause");
        Fx.await("shared after resuming", 60, () -> sharedWithErin("demo.mp4") != null);
        assertThat(Files.readAllBytes(erinFetches(sharedWithErin("demo.mp4")))).isEqualTo(video);
        Fx.await("the strip empties", 10, () -> !lookup("#uploadStrip").isVisible());
    }

    @Test
    void aDownloadPausesAndResumesFromItsCard(FxRobot robot) throws Exception {
        // bob's network carries 1.5 MB a second from the host: saving 8 MB lasts long enough to pause it
        slowBytesPerSecond = 1_500_000;
        join(HostConfig.defaults("Design", 0));
        byte[] video = random(8_000_000, 5);
        erin.files().upload(Files.write(dir.resolve("talk.mp4"), video), null, "the talk", new Quiet());
        Fx.await("bob's card for the talk", 30, () -> card("talk.mp4") != null);
        String id = Fx.call(() -> window.room().messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.extras().file() != null)
                .map(i -> ((ChatItem.Message) i).extras().file())
                .filter(f -> f.name().equals("talk.mp4"))
                .findFirst()
                .orElseThrow()
                .id());
        robot.clickOn(Fx.call(() -> card("talk.mp4").lookup("#fileSave")));
        Fx.await(
                "bytes arriving",
                30,
                () -> bobsTransfer(id) != null
                        && bobsTransfer(id).status() == Transfer.Status.RUNNING
                        && bobsTransfer(id).done() > 0
                        && Fx.call(() -> card("talk.mp4").lookup("#filePause").isVisible()));
        robot.clickOn(Fx.call(() -> card("talk.mp4").lookup("#filePause")));
        Fx.await(
                "paused",
                10,
                () -> bobsTransfer(id).status() == Transfer.Status.PAUSED,
                () -> bobsTransfer(id) + " card "
                        + Fx.call(() -> card("talk.mp4").lookup("#filePause")));
        assertThat(bobsTransfer(id).done()).isLessThan(video.length);
        assertThat(Fx.call(() -> card("talk.mp4").lookup("#filePause").getAccessibleText()))
                .as("the same button resumes")
                .isEqualTo("Resume");
        assertThat(Fx.call(() -> ((Label) card("talk.mp4").lookup(".file-detail")).getText()))
                .contains("Paused · ");
        assertThat(dir.resolve("bob-files").resolve("talk.mp4")).doesNotExist();
        robot.clickOn(Fx.call(() -> card("talk.mp4").lookup("#filePause")));
        Fx.await(
                "saved after resuming",
                60,
                () -> bobsTransfer(id).status() == Transfer.Status.DONE,
                () -> String.valueOf(bobsTransfer(id)));
        assertThat(Files.readAllBytes(bobsTransfer(id).saved())).isEqualTo(video);
    }

    private static final class Quiet implements FileTransfers.Listener {
        @Override
        public void finished(String key, FileRef file, Path saved) {}

        @Override
        public void failed(String key, String why) {}
    }
}
