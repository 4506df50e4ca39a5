package org.confab.ui.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.shell.MainWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Host dialog's "Announce on the local network": on by default, and with the process's
 * discovery switch off (as in every test) greyed out with the reason; the running room says it is
 * not announced, and why.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class HostAnnounceUiTest {
    private MainWindow window;

    @Start
    void start(Stage stage) {
        Settings settings = Settings.inMemory();
        Theme theme = new Theme(settings);
        theme.install();
        window = new MainWindow(stage, settings, theme);
        window.setBindAddress(InetAddress.getLoopbackAddress());
        window.show();
    }

    @AfterEach
    void close() {
        Fx.run(() -> {
            window.leaveRoom();
            window.stage().close();
        });
    }

    @Test
    void discoveryOffIsSaidInTheDialogAndOnTheRunningPage(FxRobot robot) {
        Fx.run(window::openHostDialog);
        Fx.await(
                "host dialog",
                10,
                () -> robot.lookup("#announceCheck").tryQuery().isPresent());
        CheckBox check = robot.lookup("#announceCheck").queryAs(CheckBox.class);
        assertThat(Fx.call(check::isSelected)).as("on by default").isTrue();
        assertThat(Fx.call(check::isDisabled)).as("the process's switch is off").isTrue();
        assertThat(Fx.call(
                        () -> robot.lookup("#announceHint").queryAs(Label.class).getText()))
                .contains("LAN discovery is turned off");
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText("Quiet room");
            robot.lookup("#nickField").queryAs(TextField.class).setText("erin");
            robot.lookup("#portField").queryAs(TextField.class).setText("0");
            robot.lookup("#startButton").queryAs(Button.class).fire();
        });
        Fx.await(
                "room running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
        assertThat(Fx.call(
                        () -> robot.lookup("#announceNote").queryAs(Label.class).getText()))
                .startsWith("Not announced: LAN discovery is turned off");
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await("in the room", 10, () -> window.room() != null);
    }

    @Test
    void withDiscoveryOnTheChoiceIsOffered(FxRobot robot) {
        var announcing = new QuietAnnouncing();
        Fx.run(() -> window.setAnnouncing(announcing));
        // announced (the default)
        host(robot, "Open room");
        assertThat(Fx.call(
                        () -> robot.lookup("#announceNote").queryAs(Label.class).getText()))
                .startsWith("Announced on the local network");
        assertThat(announcing.started()).isOne();
        enter(robot);
        Fx.run(window::leaveRoom);

        // turned off: not announced, and remembered for next time
        Fx.run(window::openHostDialog);
        Fx.await(
                "host dialog",
                10,
                () -> robot.lookup("#announceCheck").tryQuery().isPresent());
        CheckBox check = robot.lookup("#announceCheck").queryAs(CheckBox.class);
        assertThat(Fx.call(check::isDisabled)).isFalse();
        assertThat(Fx.call(check::isSelected)).isTrue();
        robot.clickOn(check);
        assertThat(Fx.call(check::isSelected)).isFalse();
        host(robot, "Quiet room");
        assertThat(Fx.call(
                        () -> robot.lookup("#announceNote").queryAs(Label.class).getText()))
                .startsWith("Not announced on the local network");
        assertThat(announcing.started()).as("not announced").isOne();
        enter(robot);
        Fx.run(window::leaveRoom);
        Fx.run(window::openHostDialog);
        Fx.await(
                "host dialog",
                10,
                () -> robot.lookup("#announceCheck").tryQuery().isPresent());
        assertThat(Fx.call(() ->
                        robot.lookup("#announceCheck").queryAs(CheckBox.class).isSelected()))
                .as("remembered")
                .isFalse();
        Fx.run(() -> ((Stage) robot.lookup("#announceCheck").query().getScene().getWindow()).close());
    }

    /** Fills in the open (or a new) host dialog and starts; waits for the running page. */
    private void host(FxRobot robot, String room) {
        if (robot.lookup("#roomField").tryQuery().isEmpty()) {
            Fx.run(window::openHostDialog);
            Fx.await(
                    "host dialog",
                    10,
                    () -> robot.lookup("#roomField").tryQuery().isPresent());
        }
        Fx.run(() -> {
            robot.lookup("#roomField").queryAs(TextField.class).setText(room);
            robot.lookup("#nickField").queryAs(TextField.class).setText("erin");
            robot.lookup("#portField").queryAs(TextField.class).setText("0");
            robot.lookup("#startButton").queryAs(Button.class).fire();
        });
        Fx.await(
                room + " running",
                20,
                () -> "Enter room"
                        .equals(robot.lookup("#startButton")
                                .queryAs(Button.class)
                                .getText()));
    }

    private void enter(FxRobot robot) {
        Fx.run(() -> robot.lookup("#startButton").queryAs(Button.class).fire());
        Fx.await("in the room", 10, () -> window.room() != null);
    }
}
