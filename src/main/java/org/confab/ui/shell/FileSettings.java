package org.confab.ui.shell;

import java.nio.file.Path;
import org.confab.store.AppDirs;
import org.confab.ui.common.Settings;

/** Where received files go and which are fetched as they arrive (Settings → Files). Files are never opened on their own. */
final class FileSettings {
    static final String FOLDER = "files.folder";
    static final String AUTO_BELOW = "files.autoBelow";
    /** Fetched at once by default: files under 10 MB (pictures, documents), as other messengers do. */
    static final long DEFAULT_AUTO_BELOW = 10_000_000L;
    /** The choices offered: never, 1 MB, 10 MB, 100 MB. */
    static final long[] AUTO_CHOICES = {0, 1_000_000L, DEFAULT_AUTO_BELOW, 100_000_000L};

    private FileSettings() {}

    static Path folder(Settings settings) {
        String chosen = settings.get(FOLDER, "");
        if (!chosen.isBlank()) {
            try {
                Path p = Path.of(chosen);
                if (p.isAbsolute()) {
                    return p;
                }
            } catch (RuntimeException ignored) {
                // a broken value: the default
            }
        }
        return AppDirs.downloads();
    }

    static long autoBelow(Settings settings) {
        try {
            return Math.max(0, Long.parseLong(settings.get(AUTO_BELOW, Long.toString(DEFAULT_AUTO_BELOW))));
        } catch (NumberFormatException e) {
            return DEFAULT_AUTO_BELOW;
        }
    }
}
