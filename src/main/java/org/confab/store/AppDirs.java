package org.confab.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /**
     * Where received files are saved unless the person chose otherwise: {@code Confab} in the
     * system's Downloads folder (on Linux {@code XDG_DOWNLOAD_DIR} from {@code user-dirs.dirs}, else
     * {@code ~/Downloads}). With a profile ({@code confab.home} or {@code CONFAB_HOME}: tests, a
     * second profile) it is {@code Downloads} inside the profile, never the account's own folder.
     */
    public static Path downloads() {
        String override = System.getProperty("confab.home");
        if (override == null || override.isBlank()) {
            override = System.getenv(HOME_ENV);
        }
        if (override != null && !override.isBlank()) {
            return Path.of(override, "Downloads");
        }
        Path home = Path.of(System.getProperty("user.home"));
        Path downloads = home.resolve("Downloads");
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path dirs = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config")).resolve("user-dirs.dirs");
        try {
            for (String line : Files.readAllLines(dirs, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.startsWith("XDG_DOWNLOAD_DIR=")) {
                    String v = l.substring("XDG_DOWNLOAD_DIR=".length()).replace("\"", "");
                    v = v.replace("$HOME", home.toString());
                    if (Path.of(v).isAbsolute() && !Path.of(v).equals(home)) {
                        downloads = Path.of(v);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no user-dirs file (Windows, macOS, minimal Linux): ~/Downloads
        }
        return downloads.resolve("Confab");
    }
}
