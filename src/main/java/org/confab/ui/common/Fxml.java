package org.confab.ui.common;

import java.io.IOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads a view's FXML class-relative with the given controller; fails fast and clearly. */
public final class Fxml {
    private Fxml() {}

    public static <T extends Parent> T load(Object controller, String name) {
        URL url = controller.getClass().getResource(name);
        if (url == null) {
            throw new IllegalStateException("FXML " + name + " not found beside "
                    + controller.getClass().getName() + " (expected src/main/resources/"
                    + controller.getClass().getPackageName().replace('.', '/') + "/" + name + ")");
        }
        FXMLLoader loader = new FXMLLoader(url);
        loader.setController(controller);
        try {
            return loader.load();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot load " + url + ": " + e.getMessage(), e);
        }
    }
}
