package org.confab.ui.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextField;
import javafx.scene.effect.DropShadow;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.robot.Robot;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.net.RoomHost;
import org.confab.net.TestMember;
import org.confab.store.KnownRooms;
import org.confab.ui.Fx;
import org.confab.ui.Png;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.host.QuietAnnouncing;
import org.confab.ui.notify.DunstDesktop;
import org.confab.ui.notify.RecordingTray;
import org.confab.ui.room.ChatItem;
import org.confab.ui.room.RoomViewModel;
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
 * Produces docs/screenshots/*.png from the real UI. Off by default; run with
 * {@code docs/screenshots/make.sh} (sets -Dconfab.screenshots=true under xvfb-run).
 */
@Tag("ui")
@Tag("screenshots")
@EnabledIfSystemProperty(named = "confab.screenshots", matches = "true")
@ExtendWith(ApplicationExtension.class)
class ScreenshotTour {
    private static final Path OUT = Path.of(System.getProperty("confab.screenshots.dir", "docs/screenshots"));

    private Settings settings;
    private Theme theme;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        settings = Settings.inMemory();
        settings.put("window.w", "1240");
        settings.put("window.h", "860");
        settings.put(FileSettings.FOLDER, "/home/alice/Downloads/Confab"); // as a person's settings read
        RecentRooms.remember(settings, new InviteLink("192.168.1.31", 4747), "Friday lunch");
        RecentRooms.remember(settings, new InviteLink("192.168.1.20", 4747), "Design team");
        theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        try {
            window.setKnownRooms(
                    new KnownRooms(Files.createTempDirectory("confab-tour").resolve("known-rooms")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        window.setBindAddress(InetAddress.getLoopbackAddress());
        window.setRoomSource(new FakeRoomSource()); // nothing on the "network" (start-network-*.png lists some)
        window.setAnnouncing(new QuietAnnouncing()); // the dialog as with discovery on; nothing multicasts
        window.show();
    }

    @Test
    void tour(FxRobot robot) throws Exception {
        robot.moveTo(window.stage().getX() + 5, window.stage().getY() + 5);
        settle();
        shoot(window.stage().getScene(), "start.png");
        resize(760, 520);
        shoot(window.stage().getScene(), "start-min.png");
        resize(1240, 860);

        // host dialog, filled in
        Fx.run(window::openHostDialog);
        settle();
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText("Design team");
            robot.lookup("#nickField").queryAs(TextField.class).setText("alice");
            robot.lookup("#portField").queryAs(TextField.class).setText("4747");
        });
        settle();
        shootOver(window.stage().getScene(), dialog("Host a room"), "host-dialog.png");

        // start it (any free port), show the addresses page
        Fx.run(() -> robot.lookup("#portField").queryAs(TextField.class).setText("0"));
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await(
                "room started",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
        settle();
        shootOver(window.stage().getScene(), dialog("Host a room"), "host-running.png");
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await("room shown", 10, () -> window.room() != null);
        int port = window.hostedPort();

        // the others, as real clients
        var bobEvents = new LinkedBlockingQueue<Object>();
        RoomConnectionListener listener = (e, cid) -> bobEvents.add(e);
        var key = window.room().fingerprintProperty().get();
        RoomConnection bob = TestMember.join(port, "bob", key, listener);
        RoomConnection carol = TestMember.join(port, "Carol Diaz", key, listener);
        bob.send("Morning! Is the build grene again?");
        awaitMessages(1);
        // a typo fixed: "edited"
        bob.edit(seqOf("bob", "Morning! Is the build grene again?"), "Morning! Is the build green again? ☕");
        Fx.await(
                "edited",
                10,
                () -> window.room().messages().stream()
                        .anyMatch(i ->
                                i instanceof ChatItem.Message m && m.extras().edited()));
        say("Yes, fixed the flaky test last night. 🎉");
        awaitMessages(2);
        // reactions to it
        long fixed = seqOf("alice", "Yes, fixed the flaky test last night. 🎉");
        bob.react(fixed, "👍", true);
        carol.react(fixed, "🎉", true);
        bob.react(fixed, "🎉", true);
        Fx.await(
                "reactions",
                10,
                () -> window.room().messages().stream()
                        .anyMatch(i -> i instanceof ChatItem.Message m
                                && m.extras().reactions().size() == 2));
        bob.send("Great. Can you share the release checklist?");
        awaitMessages(3);
        // a reply, with its quote
        Fx.run(() -> window.room().replyTo(messageOf("bob", "Great. Can you share the release checklist?")));
        say("1. Bump the version\n2. Tag the release\n3. Publish the installers");
        awaitMessages(4);
        carol.send("Hi all, just catching up. I tried the new join dialog on my laptop: pasting host:port straight "
                + "into the address field works, and the error when the port is wrong is finally readable. 👍🏽");
        awaitMessages(5);
        // a message taken back: "Message deleted"
        carol.send("sorry, wrong room");
        awaitMessages(6);
        carol.delete(seqOf("Carol Diaz", "sorry, wrong room"));
        Fx.await(
                "deleted",
                10,
                () -> window.room().messages().stream()
                        .anyMatch(i ->
                                i instanceof ChatItem.Message m && m.extras().deleted()));
        say("Logs are here: ci.example.lan/job/confab/builds/2026-11-24/artifacts/target/surefire-reports/"
                + "org.confab.ui.HostAndJoinUiTest-output.txt");
        awaitMessages(7);
        carol.leave();
        Fx.await("carol left", 10, () -> window.room().members().size() == 2);
        bob.send("Thanks! 🙏");
        awaitMessages(8);
        say("ok");
        awaitMessages(9);
        // the host sets the topic; bob has read everything; Carol is away; bob is typing
        RoomViewModel room = window.room();
        Fx.run(() -> room.draftProperty().set("/topic Release 1.4 goes out on Friday"));
        Fx.run(room::send);
        Fx.await("topic", 10, () -> room.topicProperty().get().startsWith("Release"));
        long newest = Fx.call(() -> room.messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.seq() > 0)
                .mapToLong(ChatItem::seq)
                .max()
                .orElse(0));
        bob.read(newest);
        RoomConnection dana = TestMember.join(port, "Dana", key, listener);
        dana.presence("away", "at the dentist until 3");
        Fx.await("dana away", 10, () -> room.statusOf("Dana") != null);
        Fx.await(
                "seen",
                10,
                () -> room.readsVersionProperty().get() > 0
                        && room.messages().stream()
                                .anyMatch(i -> i instanceof ChatItem.Message m
                                        && m.own()
                                        && !room.seenBy(m).isEmpty()));
        Fx.run(() -> room.draftProperty().set("Shall we ship it on Friday?"));
        bob.typing();
        Fx.await("typing", 10, () -> room.typingTextProperty().get().contains("bob"));
        settle();
        shoot(window.stage().getScene(), "room-light.png");

        Fx.run(theme::toggle);
        settle();
        shoot(window.stage().getScene(), "room-dark.png");

        // the smallest window the app allows, and a large one (dark, then light)
        resize(760, 520);
        shoot(window.stage().getScene(), "room-min-dark.png");
        resize(1840, 1100);
        shoot(window.stage().getScene(), "room-large-dark.png");
        Fx.run(theme::toggle);
        resize(760, 520);
        shoot(window.stage().getScene(), "room-min-light.png");
        resize(1840, 1100);
        shoot(window.stage().getScene(), "room-large-light.png");
        Fx.run(theme::toggle);
        resize(1240, 860);

        // a direct conversation: bob writes to alice alone; it opens in her sidebar
        bob.sendDirect("alice", "Between us: can you review my PR before the others see it?");
        Fx.await(
                "a conversation with bob",
                10,
                () -> window.conversations().stream()
                        .anyMatch(vm -> "bob".equals(vm.directWithProperty().get())));
        Fx.run(theme::toggle); // light
        settle();
        shoot(window.stage().getScene(), "direct-unread-light.png");
        int dmIndex = Fx.call(() -> {
            for (int i = 0; i < window.conversations().size(); i++) {
                if ("bob"
                        .equals(window.conversations()
                                .get(i)
                                .directWithProperty()
                                .get())) {
                    return i;
                }
            }
            return -1;
        });
        Fx.run(() -> window.showConversation(dmIndex));
        say("Sure, send me the link. I'll look at it after lunch.");
        Fx.await(
                "answered",
                10,
                () -> window.room().messages().stream()
                        .anyMatch(i -> i instanceof ChatItem.Message m && m.own() && m.seq() > 0));
        bob.sendDirect("alice", "Thanks! 🙏 ci.example.lan/pr/142");
        Fx.await(
                "bob's link",
                10,
                () -> window.room().messages().stream()
                                .filter(i -> i instanceof ChatItem.Message)
                                .count()
                        >= 3);
        settle();
        shoot(window.stage().getScene(), "direct-light.png");
        Fx.run(theme::toggle); // dark
        settle();
        shoot(window.stage().getScene(), "direct-dark.png");
        int roomIndex = Fx.call(() -> window.conversations().indexOf(room));
        Fx.run(() -> window.showConversation(roomIndex));
        settle();

        // the confirmation before stopping a hosted room (shown without blocking, for the picture)
        var confirm = Fx.call(() -> {
            var a = window.dialogs()
                    .alert(
                            Alert.AlertType.CONFIRMATION,
                            "Stop hosting?",
                            "Everyone in “Design team” will be disconnected and the room will close.",
                            "Stop hosting");
            a.getButtonTypes().add(new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE));
            a.show();
            return a;
        });
        settle();
        shootOver(window.stage().getScene(), confirm.getDialogPane().getScene(), "stop-confirm-dark.png");
        Fx.run(confirm::close);

        // closing the window while hosting: keep hosting in the tray, or stop and quit
        Fx.run(() -> window.setTray(new RecordingTray()));
        Platform.runLater(
                () -> window.stage().fireEvent(new WindowEvent(window.stage(), WindowEvent.WINDOW_CLOSE_REQUEST)));
        Fx.await("the close question", 10, () -> closeQuestion() != null);
        settle();
        shootOver(window.stage().getScene(), closeQuestion().getScene(), "close-while-hosting-dark.png");
        Fx.run(() -> ((Button) closeQuestion()
                        .lookupButton(closeQuestion().getButtonTypes().stream()
                                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.CANCEL_CLOSE)
                                .findFirst()
                                .orElseThrow()))
                .fire());
        Fx.await("the close question answered", 10, () -> closeQuestion() == null);

        // Settings (Ctrl+,), dark then light
        Fx.run(window::openSettings);
        Fx.await(
                "settings", 10, () -> robot.lookup("#settingsDialog").tryQuery().isPresent());
        settle();
        Scene settingsScene =
                Fx.call(() -> robot.lookup("#settingsDialog").query().getScene());
        shootOver(window.stage().getScene(), settingsScene, "settings-dark.png");
        Fx.run(theme::toggle);
        settle();
        shootOver(window.stage().getScene(), settingsScene, "settings-light.png");
        Fx.run(theme::toggle);
        Fx.run(() -> ((Stage) settingsScene.getWindow()).close());

        // join dialog (dark as well as light is fine; take it light)
        Fx.run(theme::toggle);
        settle();

        // a member's first visit: the safety code to compare (this room's, as in its header)
        var trust = Fx.call(() -> {
            var d = window.dialogs().trustDialog(null, "192.168.1.20:4747", key);
            d.show();
            return d;
        });
        settle();
        shootOver(window.stage().getScene(), trust.getDialogPane().getScene(), "trust-dialog.png");
        Fx.run(trust::close);
        // a known room with another key: the hard warning
        var changed = Fx.call(() -> {
            var d = window.dialogs()
                    .keyChangedDialog(
                            null, "192.168.1.20:4747", HostSecurity.ephemeral().fingerprint(), key);
            d.show();
            return d;
        });
        settle();
        shootOver(window.stage().getScene(), changed.getDialogPane().getScene(), "key-changed.png");
        Fx.run(changed::close);

        // a second conversation in the same window; the first one gets messages meanwhile
        var lunchHost = new RoomHost(
                HostConfig.defaults("Friday lunch", 0).withBindAddress(InetAddress.getLoopbackAddress()), null);
        int lunchHostPort = lunchHost.start().getPort();
        RoomConnection dan = TestMember.join(lunchHostPort, "Dan Okafor", lunchHost.fingerprint(), listener);
        Fx.run(() -> window.openJoinDialog(new InviteLink("127.0.0.1", lunchHostPort, lunchHost.fingerprint())));
        settle();
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("alice"));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await("alice in two conversations", 20, () -> window.conversations().size() == 2);
        dan.send("Noodles again? The place on the corner opens at 12.");
        Fx.await(
                "dan's line shown",
                20,
                () -> window.room().messages().stream()
                        .anyMatch(i ->
                                i instanceof ChatItem.Message m && m.sender().equals("Dan Okafor")));
        RoomViewModel design = Fx.call(() -> window.conversations().getFirst());
        bob.send("Release notes are up for review");
        bob.send("alice, can you check the installer section?");
        Fx.await("Design team has unread", 20, () -> design.unreadProperty().get() == 2);
        Fx.run(() -> window.room().draftProperty().set("Count me in"));
        settle();
        shoot(window.stage().getScene(), "workspace-light.png");
        Fx.run(theme::toggle);
        settle();
        shoot(window.stage().getScene(), "workspace-dark.png");
        Fx.run(theme::toggle);

        // a real desktop notification (dunst, on a bus of its own) over the window, for a mention
        // in the conversation not shown
        Path notifyDir = Files.createTempDirectory("confab-tour-notify");
        double w = Fx.call(() -> window.stage().getWidth());
        try (DunstDesktop desktop =
                DunstDesktop.start(notifyDir, (int) (window.stage().getX() + w - 360 - 64), (int)
                        (window.stage().getY() + 84))) {
            Fx.run(() -> window.setNotifier(desktop.notifier()));
            bob.send("alice, the installer section is ready for you");
            desktop.awaitDisplayed(1);
            Fx.await(
                    "Design team has three unread",
                    20,
                    () -> design.unreadProperty().get() == 3);
            settle();
            var shot = Fx.call(() -> new Robot()
                    .getScreenCapture(
                            null,
                            window.stage().getX(),
                            window.stage().getY(),
                            window.stage().getWidth(),
                            window.stage().getHeight()));
            Png.write(shot, OUT.resolve("notification.png"));
            System.out.println("screenshot: " + OUT.resolve("notification.png").toAbsolutePath());
            Fx.run(() -> window.setNotifier(null));
        }
        Fx.run(window::leaveRoom); // Friday lunch; Design team is shown again
        dan.close();
        lunchHost.close();

        Fx.run(() -> window.showConversation(window.conversations().indexOf(design)));
        Fx.run(window::leaveRoom); // Design team, and its direct conversation with it
        settle();
        bob.close();
        Fx.run(() -> window.openJoinDialog(new InviteLink("192.168.1.20", 4747)));
        settle();
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("bob"));
        settle();
        shootOver(window.stage().getScene(), dialog("Join a room"), "join-dialog.png");

        // the same dialog after a refused connection
        int closedPort;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        int refusedPort = closedPort;
        Fx.run(() -> {
            robot.lookup("#hostField").queryAs(TextField.class).setText("127.0.0.1");
            robot.lookup("#portField").queryAs(TextField.class).setText(Integer.toString(refusedPort));
            robot.lookup("#joinButton").queryAs(Button.class).fire();
        });
        Fx.await(
                "refused shown",
                20,
                () -> robot.lookup("#errorBox").queryAs(Node.class).isVisible());
        settle();
        shootOver(window.stage().getScene(), dialog("Join a room"), "join-error.png");
        Fx.run(() -> dialog("Join a room").getWindow().hide());
        Fx.run(theme::toggle);
        settle();
        shoot(window.stage().getScene(), "start-dark.png");
        Fx.run(theme::toggle);

        // a member whose host went away: the banner with Reconnect
        var hostConfig = HostConfig.defaults("Friday lunch", 0).withBindAddress(InetAddress.getLoopbackAddress());
        var lunch = new RoomHost(hostConfig, null);
        int lunchPort = lunch.start().getPort();
        RoomConnection erin = TestMember.join(lunchPort, "erin", lunch.fingerprint(), listener);
        Fx.run(() -> window.openJoinDialog(new InviteLink("127.0.0.1", lunchPort, lunch.fingerprint())));
        settle();
        Fx.run(() -> robot.lookup("#nickField").queryAs(TextField.class).setText("bob"));
        Fx.run(() -> robot.lookup("#joinButton").queryAs(Button.class).fire());
        Fx.await("bob joined lunch", 20, () -> window.room() != null);
        erin.send("Pizza or noodles today?");
        awaitMessages(1);
        say("Noodles! The place on the corner?");
        awaitMessages(2);
        erin.send("Deal. Leaving in 10 minutes.");
        awaitMessages(3);
        lunch.close();
        Fx.await("disconnected", 20, () -> window.room().stateProperty().get() == RoomViewModel.State.DISCONNECTED);
        settle();
        shoot(window.stage().getScene(), "room-disconnected.png");
        Fx.run(window::leaveRoom);
    }

    private void say(String text) {
        Fx.run(() -> {
            window.room().draftProperty().set(text);
            window.room().send();
        });
    }

    /** The confirmed message from {@code sender} reading {@code text}. */
    private ChatItem.Message messageOf(String sender, String text) {
        return Fx.call(() -> window.room().messages().stream()
                .filter(i -> i instanceof ChatItem.Message m
                        && m.sender().equals(sender)
                        && m.text().equals(text)
                        && !m.unconfirmed())
                .map(i -> (ChatItem.Message) i)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no message " + text)));
    }

    private long seqOf(String sender, String text) {
        Fx.await(
                "“" + text + "” confirmed",
                10,
                () -> window.room().messages().stream()
                        .anyMatch(i -> i instanceof ChatItem.Message m
                                && m.sender().equals(sender)
                                && m.text().equals(text)
                                && !m.unconfirmed()));
        return messageOf(sender, text).seq();
    }

    private void awaitMessages(int n) {
        Fx.await(
                n + " messages",
                10,
                () -> window.room().messages().stream()
                                .filter(m -> m instanceof ChatItem.Message)
                                .count()
                        >= n);
    }

    private static Scene dialog(String title) {
        return Fx.call(() -> Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && title.equals(s.getTitle()) && s.isShowing())
                .map(Window::getScene)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dialog " + title)));
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
        // let animations (spinner, fades) and the list's layout settle: wait for a few pulses
        for (int i = 0; i < 6; i++) {
            var latch = new CountDownLatch(1);
            Fx.run(() -> {
                var timer = new AnimationTimer() {
                    int frames;

                    @Override
                    public void handle(long now) {
                        if (++frames >= 2) {
                            stop();
                            latch.countDown();
                        }
                    }
                };
                timer.start();
            });
            try {
                latch.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        WaitForAsyncUtils.waitForFxEvents(10);
    }

    private static DialogPane closeQuestion() {
        return Window.getWindows().stream()
                .filter(w -> w.isShowing() && w.getScene().getRoot() instanceof DialogPane)
                .map(w -> (DialogPane) w.getScene().getRoot())
                .filter(p -> "closeWhileHosting".equals(p.getId()))
                .findFirst()
                .orElse(null);
    }

    /** The dialog over its dimmed owner, as a person sees it (Xvfb has no window manager to draw it). */
    private static void shootOver(Scene owner, Scene dialog, String name) throws Exception {
        var image = Fx.call(() -> {
            var back = owner.snapshot(null);
            var front = dialog.snapshot(null);
            var backView = new ImageView(back);
            var dim = new Region();
            dim.setStyle("-fx-background-color: rgba(12, 10, 30, 0.42);");
            var frontView = new ImageView(front);
            var clip = new Rectangle(front.getWidth(), front.getHeight());
            clip.setArcWidth(22);
            clip.setArcHeight(22);
            frontView.setClip(clip);
            var card = new Group(frontView);
            card.setEffect(new DropShadow(48, 0, 14, Color.rgb(0, 0, 0, 0.45)));
            var stack = new StackPane(backView, dim, card);
            stack.setPrefSize(back.getWidth(), back.getHeight());
            new Scene(stack);
            stack.applyCss();
            stack.layout();
            return stack.snapshot(null, null);
        });
        Png.write(image, OUT.resolve(name));
        System.out.println("screenshot: " + OUT.resolve(name).toAbsolutePath());
    }

    private static void shoot(Scene scene, String name) throws Exception {
        var image = Fx.call(() -> scene.snapshot(null));
        Png.write(image, OUT.resolve(name));
        System.out.println("screenshot: " + OUT.resolve(name).toAbsolutePath());
    }
}
