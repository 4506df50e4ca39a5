package org.confab.store;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where Confab keeps its configuration (the host key, known rooms). On Linux the XDG config
 * directory ({@code $XDG_CONFIG_HOME/confab}, else {@code ~/.config/confab}); on Windows and macOS
 * the same folder as the data ({@link DataDirs#userDataDir()}). The system property
 * {@code confab.home} overrides it (tests, portable installs).
 */
public final class AppDirs {
    private AppDirs() {}

    public static Path config() {
        String override = System.getProperty("confab.home");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return DataDirs.userDataDir();
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "confab");
        }
        return Path.of(System.getProperty("user.home"), ".config", "confab");
    }
}
