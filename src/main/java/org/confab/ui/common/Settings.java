package org.confab.ui.common;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Small remembered values (last nickname, theme, window size, open conversations). The app keeps
 * them in a file in its config folder ({@link #file}: {@code AppDirs.config()/settings.properties},
 * so {@code CONFAB_HOME}, {@code --profile} and {@code XDG_CONFIG_HOME} give separate profiles);
 * tests use {@link #inMemory()} so they never touch the user's real settings.
 */
public interface Settings {
    String get(String key, String fallback);

    void put(String key, String value);

    default int getInt(String key, int fallback) {
        try {
            return Integer.parseInt(get(key, Integer.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    default double getDouble(String key, double fallback) {
        try {
            return Double.parseDouble(get(key, Double.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    default boolean getBoolean(String key, boolean fallback) {
        return Boolean.parseBoolean(get(key, Boolean.toString(fallback)));
    }

    /**
     * The settings in {@code file} (a properties file, rewritten whole and atomically on every
     * change). The first time, when the file does not exist yet, what earlier versions kept in
     * {@code java.util.prefs} ({@code /org/confab/ui}) is copied into it.
     */
    static Settings file(Path file) {
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("confab: could not read the settings in " + file + " (" + e.getMessage()
                        + "); keeping what was readable");
            }
        } else {
            try {
                Preferences old = Preferences.userRoot().node("/org/confab/ui");
                for (String key : old.keys()) {
                    values.setProperty(key, old.get(key, ""));
                }
            } catch (BackingStoreException | IllegalStateException e) {
                // nothing to carry over
            }
        }
        return new Settings() {
            @Override
            public synchronized String get(String key, String fallback) {
                return values.getProperty(key, fallback);
            }

            @Override
            public synchronized void put(String key, String value) {
                if (value.equals(values.getProperty(key))) {
                    return;
                }
                values.setProperty(key, value);
                try {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                        values.store(out, "Confab settings");
                    }
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    System.err.println("confab: could not save the settings in " + file + ": " + e.getMessage());
                }
            }
        };
    }

    /** Forgets everything when the JVM ends. */
    static Settings inMemory() {
        Map<String, String> map = new ConcurrentHashMap<>();
        return new Settings() {
            @Override
            public String get(String key, String fallback) {
                return map.getOrDefault(key, fallback);
            }

            @Override
            public void put(String key, String value) {
                map.put(key, value);
            }
        };
    }
}
