package org.confab.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where Confab keeps its files: the operating system's per-user data directory, or the directory
 * named by the system property {@value #PROPERTY} (tests, portable installs), else {@code
 * $CONFAB_HOME/data} when that profile variable is set ({@link AppDirs#HOME_ENV}).
 * <ul>
 *   <li>Linux and other Unix: {@code $XDG_DATA_HOME/confab}, else {@code ~/.local/share/confab}</li>
 *   <li>Windows: {@code %APPDATA%\Confab}</li>
 *   <li>macOS: {@code ~/Library/Application Support/Confab}</li>
 * </ul>
 */
public final class DataDirs {
    /** System property that overrides the data directory. */
    public static final String PROPERTY = "confab.data.dir";

    private DataDirs() {}

    public static Path userDataDir() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String profile = System.getenv(AppDirs.HOME_ENV);
        if (profile != null && !profile.isBlank()) {
            return Path.of(profile, "data");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String home = System.getProperty("user.home");
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return appData != null && !appData.isBlank()
                    ? Path.of(appData, "Confab")
                    : Path.of(home, "AppData", "Roaming", "Confab");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Confab");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "confab");
        }
        return Path.of(home, ".local", "share", "confab");
    }

    /** The host's history file for a room: {@code DIR/rooms/<name>-<port>.db}. */
    public static Path hostRoomFile(Path dataDir, String roomName, int port) {
        return dataDir.resolve("rooms").resolve(slug(roomName) + "-" + port + ".db");
    }

    /** A client's cache and outbox for one room address and nickname: {@code DIR/joined/<address>-<nick>.db}. */
    public static Path clientFile(Path dataDir, String address, String nick) {
        return dataDir.resolve("joined").resolve(slug(address + "-" + nick) + ".db");
    }

    /** A file-name-safe form of {@code s}: readable part plus a short hash, so different names never collide. */
    static String slug(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            b.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' ? c : '_');
            if (b.length() == 40) {
                break;
            }
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return b + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
