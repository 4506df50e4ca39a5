package org.confab.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings file in the config folder: kept across starts, one file per profile, never half-written. */
class SettingsFileTest {
    @TempDir
    Path dir;

    @Test
    void whatIsPutIsThereOnTheNextStart() {
        Path file = dir.resolve("profile-a").resolve("settings.properties");
        Settings first = Settings.file(file);
        first.put("nick", "Zoë");
        first.put("conversations", "confab://10.0.0.2:4747\talice\tOps\nconfab://[fd00::2]:4747\talice\tLunch\n");
        first.put("window.w", "1240.0");

        Settings next = Settings.file(file);
        assertThat(next.get("nick", "")).isEqualTo("Zoë");
        assertThat(next.get("conversations", "")).contains("Ops").contains("\tLunch\n");
        assertThat(next.getDouble("window.w", 0)).isEqualTo(1240.0);
        assertThat(Files.exists(file.resolveSibling("settings.properties.tmp")))
                .as("no temporary file left")
                .isFalse();
    }

    @Test
    void twoProfilesDoNotShare() {
        Settings a = Settings.file(dir.resolve("a").resolve("settings.properties"));
        Settings b = Settings.file(dir.resolve("b").resolve("settings.properties"));
        a.put("theme", "dark");
        assertThat(b.get("theme", "light")).isEqualTo("light");
        assertThat(Settings.file(dir.resolve("a").resolve("settings.properties"))
                        .get("theme", "light"))
                .isEqualTo("dark");
    }

    @Test
    void aDamagedFileKeepsWhatIsReadableAndIsRewrittenWhole() throws Exception {
        Path file = dir.resolve("settings.properties");
        Files.writeString(file, "nick=ok\nbroken=\\u12", StandardCharsets.ISO_8859_1);
        Settings s = Settings.file(file);
        assertThat(s.get("nick", "default")).isEqualTo("ok");
        assertThat(s.get("broken", "default")).isEqualTo("default");
        s.put("theme", "dark");
        Settings reread = Settings.file(file);
        assertThat(reread.get("nick", "")).isEqualTo("ok");
        assertThat(reread.get("theme", "")).isEqualTo("dark");
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).doesNotContain("broken");
    }
}
