package org.confab.ui.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import javafx.application.Application;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.text.Font;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Look and feel: AtlantaFX Primer light/dark as the user-agent stylesheet, Confab's own
 * stylesheet on every scene (accent from the icon: violet, indigo, teal), the bundled Inter font,
 * and the app icon on every stage. The choice of light or dark is remembered.
 */
public final class Theme {
    private static final String CSS = resource("confab.css").toExternalForm();
    private static final String[] FONTS = {"Inter-Regular.otf", "Inter-Bold.otf"};
    private static final int[] ICON_SIZES = {16, 32, 48, 64, 128, 256};
    private static volatile boolean fontsLoaded;
    private static volatile List<Image> icons;

    private final Settings settings;
    private final ReadOnlyBooleanWrapper dark = new ReadOnlyBooleanWrapper(this, "dark", false);

    public Theme(Settings settings) {
        this.settings = settings;
        dark.set(settings.getBoolean("theme.dark", false));
    }

    /** Applies the current theme to the whole application (call on the FX thread). */
    public void install() {
        loadFonts();
        Application.setUserAgentStylesheet(
                dark.get() ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
        for (Window w : Window.getWindows()) {
            if (w.getScene() != null) {
                mark(w.getScene().getRoot());
            }
        }
    }

    public void setDark(boolean value) {
        dark.set(value);
        settings.put("theme.dark", Boolean.toString(value));
        install();
    }

    public void toggle() {
        setDark(!dark.get());
    }

    public ReadOnlyBooleanProperty darkProperty() {
        return dark.getReadOnlyProperty();
    }

    public boolean isDark() {
        return dark.get();
    }

    /** Adds Confab's stylesheet and the theme class to a scene (and keeps it when the root changes). */
    public void style(Scene scene) {
        if (!scene.getStylesheets().contains(CSS)) {
            scene.getStylesheets().add(CSS);
        }
        mark(scene.getRoot());
        scene.rootProperty().addListener((o, was, now) -> mark(now));
    }

    /** Adds the stylesheet and theme class to a node that is the root of its own window (Alert panes). */
    public void style(Parent root) {
        if (!root.getStylesheets().contains(CSS)) {
            root.getStylesheets().add(CSS);
        }
        mark(root);
    }

    /** Sets the app icon on a stage. */
    public static void icon(Stage stage) {
        stage.getIcons().setAll(icons());
    }

    /** The app icon, small to large. */
    public static List<Image> icons() {
        List<Image> list = icons;
        if (list == null) {
            list = Arrays.stream(ICON_SIZES)
                    .mapToObj(s ->
                            new Image(resource("icons/confab-" + s + ".png").toExternalForm()))
                    .toList();
            icons = list;
        }
        return list;
    }

    private void mark(Parent root) {
        if (root == null) {
            return;
        }
        root.getStyleClass().removeAll("theme-dark", "theme-light");
        root.getStyleClass().add(dark.get() ? "theme-dark" : "theme-light");
    }

    static void loadFonts() {
        if (fontsLoaded) {
            return;
        }
        for (String f : FONTS) {
            try (InputStream in = resource("fonts/" + f).openStream()) {
                if (Font.loadFont(in, 14) == null) {
                    System.err.println("confab: could not load font " + f + "; using the system font");
                }
            } catch (IOException e) {
                System.err.println("confab: could not load font " + f + ": " + e.getMessage());
            }
        }
        fontsLoaded = true;
    }

    /** A resource beside this class; fails fast with a clear message if the build lost it. */
    static URL resource(String name) {
        URL url = Theme.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("Missing resource org/confab/ui/common/" + name
                    + " (expected in src/main/resources/org/confab/ui/common/)");
        }
        return url;
    }
}
