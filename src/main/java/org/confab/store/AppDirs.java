package org.confab.store;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where Confab keeps its files, per OS convention: config (keys, known rooms) and data (history).
 * Linux: $XDG_CONFIG_HOME/confab (~/.config/confab) and $XDG_DATA_HOME/confab (~/.local/share/confab);
 * Windows: %APPDATA%\Confab; macOS: ~/Library/Application Support/Confab.
 * The system property {@code confab.home} overrides both (tests, portable installs).
 */
public final class AppDirs {
    private AppDirs() { }

    public static Path config() {
        return base("XDG_CONFIG_HOME", ".config");
    }

    public static Path data() {
        return base("XDG_DATA_HOME", ".local/share");
    }

    private static Path base(String xdgVar, String xdgDefault) {
        String override = System.getProperty("confab.home");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home");
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData != null ? appData : home, "Confab");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Confab");
        }
        String xdg = System.getenv(xdgVar);
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, xdgDefault)).resolve("confab");
    }
}
