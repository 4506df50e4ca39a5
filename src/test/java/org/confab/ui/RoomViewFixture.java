package org.confab.ui;

import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** A {@link RoomView} on a view model, styled as the app styles it, for UI tests and the GUI flood benchmark. */
final class RoomViewFixture {
    /** Leave, reconnect and the theme toggle do nothing. */
    static final RoomView.Actions NO_ACTIONS = new RoomView.Actions() {
        @Override
        public void leave(RoomViewModel r) { }

        @Override
        public void reconnect(RoomViewModel r) { }

        @Override
        public void toggleTheme() { }
    };

    private RoomViewFixture() { }

    /** The room view of {@code vm} (no invite addresses) in a scene of that size, with the theme's stylesheets. */
    static Scene scene(RoomViewModel vm, Theme theme, double width, double height) {
        Scene scene = new Scene(new RoomView(vm, theme, NO_ACTIONS, List.of()).load(), width, height);
        theme.style(scene);
        return scene;
    }

    /** {@link #scene}, set on {@code stage} and shown. */
    static Scene show(Stage stage, RoomViewModel vm, Theme theme, double width, double height) {
        Scene scene = scene(vm, theme, width, height);
        stage.setScene(scene);
        stage.show();
        return scene;
    }
}
