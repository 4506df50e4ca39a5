package org.confab.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** Placeholder desktop app; the real UI is being written (see issue 2). */
public final class ConfabApp extends Application {
    public static void launchGui(String link) {
        Application.launch(ConfabApp.class);
    }

    /** TEMPORARY stub on branch cli so --smoke compiles; the ui branch's real method replaces it. */
    public static void launchSmoke() {
        launchGui(null);
    }

    @Override
    public void start(Stage stage) {
        stage.setScene(new Scene(new Label("Confab"), 400, 300));
        stage.show();
    }
}
