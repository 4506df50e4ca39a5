package org.confab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code /send} reads its PATH and CAPTION (the rest is tested through JoinCommandTest with a real host). */
class TerminalFilesTest {
    @Test
    void aPathIsQuotedOrTheWholeRestOrTheFirstWord(@TempDir Path dir) throws Exception {
        Path spaced = Files.writeString(dir.resolve("my report.pdf"), "x");
        assertThat(TerminalFiles.pathAndCaption("\"" + spaced + "\" for Monday"))
                .containsExactly(spaced.toString(), "for Monday");
        assertThat(TerminalFiles.pathAndCaption("'" + spaced + "'")).containsExactly(spaced.toString(), "");
        assertThat(TerminalFiles.pathAndCaption(spaced.toString()))
                .as("an existing file whose name has spaces, unquoted")
                .containsExactly(spaced.toString(), "");
        assertThat(TerminalFiles.pathAndCaption(dir.resolve("notes.txt") + "  see   you "))
                .containsExactly(dir.resolve("notes.txt").toString(), "see   you");
        assertThat(TerminalFiles.pathAndCaption("~/x.pdf hi"))
                .containsExactly(System.getProperty("user.home") + "/x.pdf", "hi");
        assertThat(TerminalFiles.pathAndCaption("")).isNull();
        assertThat(TerminalFiles.pathAndCaption("\"unclosed quote")).isNull();
        assertThat(TerminalFiles.pathAndCaption("\"\" caption")).isNull();
        assertThat(TerminalFiles.pathAndCaption("nul\u0000byte")).containsExactly("nul\u0000byte", "");
    }
}
