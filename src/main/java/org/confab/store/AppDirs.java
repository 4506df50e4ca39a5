package org.confab.store;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where Confab keeps its configuration (the host key, known rooms). On Linux the XDG config
 * directory ({@code $XDG_CONFIG_HOME/confab}, else {@code ~/.config/confab}); on Windows and macOS
 * the same folder as the data ({@link DataDirs#userDataDir()}). The system property
 * {@code confab.home} overrides it (tests, portable installs, {@code confab --profile DIR}), then
 * the environment variable {@code CONFAB_HOME} (a second profile on one account: its data then
 * lives in {@code $CONFAB_HOME/data}).
 */
public final class AppDirs {
    /** The environment variable naming a whole profile (config here, data in its {@code data} folder). */
    public static final String HOME_ENV = "CONFAB_HOME";

    private AppDirs() {}

    public static Path config() {
        String override = System.getProperty("confab.home");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String home = System.getenv(HOME_ENV);
        if (home != null && !home.isBlank()) {
            return Path.of(home);
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
