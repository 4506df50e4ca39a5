package org.confab.ui.shell;

import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import org.confab.ui.Fx;
import org.testfx.api.FxRobot;

/** Context menus as a person uses them, for the two-window tests. */
final class Menus {
    private Menus() {}

    /**
     * Right-clicks {@code target} and clicks {@code entry} in its menu. A right-click that opened
     * no menu (the robot's click can land before a window raised or moved on a display without a
     * window manager) is tried again, twice at most, after Esc.
     */
    static void menuOn(FxRobot robot, Supplier<Node> target, String entry) {
        for (int attempt = 1; ; attempt++) {
            robot.rightClickOn(target.get());
            try {
                Fx.await(
                        "the menu entry " + entry,
                        5,
                        () -> robot.lookup(entry)
                                .tryQuery()
                                .filter(Node::isVisible)
                                .isPresent());
                break;
            } catch (AssertionError e) {
                if (attempt == 3) {
                    throw e;
                }
                robot.type(KeyCode.ESCAPE);
            }
        }
        robot.clickOn(entry);
    }

    /** Clicks the entry {@code text} of the menu that is showing, once it is there. */
    static void clickMenu(FxRobot robot, String text) {
        Fx.await(
                "the menu entry " + text,
                10,
                () -> robot.lookup(text).tryQuery().filter(Node::isVisible).isPresent());
        robot.clickOn(text);
    }
}
