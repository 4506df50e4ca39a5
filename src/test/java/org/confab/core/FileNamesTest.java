package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @Test
    void ordinaryNamesStayAsTheyAre() {
        assertThat(FileNames.safeName("report.pdf")).isEqualTo("report.pdf");
        assertThat(FileNames.safeName("Ünïcødé 📄 notes.txt")).isEqualTo("Ünïcødé 📄 notes.txt");
        assertThat(FileNames.safeName("archive.tar.gz")).isEqualTo("archive.tar.gz");
    }

    @Test
    void separatorsAndCharactersNoFileSystemTakesBecomeUnderscores() {
        assertThat(FileNames.safeName("../../etc/passwd")).isEqualTo("_.._etc_passwd");
        assertThat(FileNames.safeName("C:\\Windows\\win.ini")).isEqualTo("C__Windows_win.ini");
        assertThat(FileNames.safeName("a<b>c:d\"e|f?g*h")).isEqualTo("a_b_c_d_e_f_g_h");
    }

    @Test
    void invisibleAndControlCharactersGo_soAnOverrideCannotHideTheExtension() {
        assertThat(FileNames.safeName("photo\u202Egnp.exe")).isEqualTo("photognp.exe");
        assertThat(FileNames.safeName("a\u0000b\u0007c\u200Bd\uFEFF.txt")).isEqualTo("abcd.txt");
        assertThat(FileNames.safeName("line\nbreak\ttab.txt")).isEqualTo("line break tab.txt");
    }

    @Test
    void dotsAndSpacesAtTheEndsGo_soNothingIsHiddenOrSilentlyRenamedByWindows() {
        assertThat(FileNames.safeName(".bashrc")).isEqualTo("bashrc");
        assertThat(FileNames.safeName("notes.txt. . ")).isEqualTo("notes.txt");
        assertThat(FileNames.safeName("  spaced   out  ")).isEqualTo("spaced out");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "..", "...", "\u202E", "\u0000\u0001"})
    void aNameThatIsNothingOnceCleanedBecomesTheFallback(String name) {
        assertThat(FileNames.safeName(name)).isEqualTo(FileNames.FALLBACK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CON", "con.txt", "Nul", "aux.tar.gz", "COM1", "lpt9.log", "PRN ", "conin$"})
    void windowsDeviceNamesArePrefixed(String name) {
        String safe = FileNames.safeName(name);
        assertThat(safe).startsWith("_");
        assertThat(safe.substring(1)).isEqualToIgnoringCase(name.strip());
    }

    @Test
    void notDevicesWhenOnlyThePrefixMatches() {
        assertThat(FileNames.safeName("console.log")).isEqualTo("console.log");
        assertThat(FileNames.safeName("com10")).isEqualTo("com10");
    }

    @Test
    void longNamesAreCutTo255BytesAtACodePoint_keepingTheExtension() {
        String safe = FileNames.safeName("é".repeat(300) + ".jpeg");
        assertThat(safe.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_NAME_BYTES);
        assertThat(safe).endsWith(".jpeg").startsWith("éé");
        String emoji = FileNames.safeName("👍".repeat(100));
        assertThat(emoji.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_NAME_BYTES);
        assertThat(emoji.codePoints()).allMatch(cp -> cp == 0x1F44D);
    }

    @Test
    void relativePathsKeepTheirStructure_eachElementMadeSafe() {
        assertThat(FileNames.safeRelativePath("photos/2026/beach.jpg"))
                .contains(List.of("photos", "2026", "beach.jpg"));
        assertThat(FileNames.safeRelativePath("docs/CON/x\u202E.txt")).contains(List.of("docs", "_CON", "x.txt"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "/etc/passwd",
                "../secret",
                "a/../../b",
                "a/./b",
                "a//b",
                "a/",
                "C:/Windows",
                "c:evil",
                "a\\b",
                "..",
                "."
            })
    void pathsThatClimbOutOrAreAbsoluteAreRefused(String path) {
        assertThat(FileNames.safeRelativePath(path)).isEmpty();
    }

    @Test
    void tooDeepAPathIsRefused() {
        assertThat(FileNames.safeRelativePath("d/".repeat(FileNames.MAX_DEPTH) + "f"))
                .isEmpty();
        assertThat(FileNames.safeRelativePath("d/".repeat(FileNames.MAX_DEPTH - 1) + "f"))
                .isPresent();
    }

    @Test
    void uniqueNeverOverwrites() {
        Set<String> taken = Set.of("report.pdf", "report (1).pdf", "README");
        assertThat(FileNames.unique("report.pdf", taken::contains)).isEqualTo("report (2).pdf");
        assertThat(FileNames.unique("README", taken::contains)).isEqualTo("README (1)");
        assertThat(FileNames.unique("new.txt", taken::contains)).isEqualTo("new.txt");
    }
}
