package org.confab.ui.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Small remembered values (last nickname, theme, window size). The app uses
 * {@link #preferences()} ({@code java.util.prefs}); tests use {@link #inMemory()} so they never
 * touch the user's real preferences.
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

    /** The user's preferences node {@code /org/confab/ui}. */
    static Settings preferences() {
        // the node the app has always used (before the UI was split into packages): users keep their settings
        Preferences node = Preferences.userRoot().node("/org/confab/ui");
        return new Settings() {
            @Override
            public String get(String key, String fallback) {
                try {
                    return node.get(key, fallback);
                } catch (IllegalStateException e) {
                    return fallback;
                }
            }

            @Override
            public void put(String key, String value) {
                try {
                    node.put(key, value);
                    node.flush();
                } catch (BackingStoreException | IllegalStateException e) {
                    System.err.println("confab: could not save preference " + key + ": " + e.getMessage());
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
