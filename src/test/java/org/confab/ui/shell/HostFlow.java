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
        int before = Fx.call(() -> w.conversations().size());
        Fx.run(w::openHostDialog);
        Fx.await("host dialog", 10, () -> robot.lookup("#roomField").tryQuery().isPresent());
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText(room);
            robot.lookup("#nickField").queryAs(TextField.class).setText(nick);
            robot.lookup("#portField").queryAs(TextField.class).setText("0");
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
