package org.confab.ui.shell;

import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import org.confab.ui.Fx;
import org.testfx.api.FxRobot;

/** What the shell's UI tests do to host a room the way a person does, through the Host dialog. */
final class HostFlow {
    private HostFlow() {}

    /** Hosts a room on a free port from {@code w}'s host dialog and enters it. */
    static void host(FxRobot robot, MainWindow w, String room, String nick) {
        host(robot, w, room, nick, 0);
    }

    /** Hosts a room on {@code port} (0: a free one) from {@code w}'s host dialog and enters it. */
    static void host(FxRobot robot, MainWindow w, String room, String nick, int port) {
        int before = Fx.call(() -> w.conversations().size());
        Fx.run(w::openHostDialog);
        Fx.await("host dialog", 10, () -> robot.lookup("#roomField").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText(room);
            robot.lookup("#nickField").queryAs(TextField.class).setText(nick);
            robot.lookup("#portField").queryAs(TextField.class).setText(Integer.toString(port));
            robot.lookup("#startButton").queryAs(Button.class).fire();
        });
        Fx.await(
                "room " + room + " running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await(
                room + " open",
                10,
                () -> w.conversations().size() == before + 1
                        && w.room() != null
                        && w.room().roomNameProperty().get().equals(room));
    }
}
