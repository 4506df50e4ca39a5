package org.confab.ui.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.confab.core.FileRef;
import org.junit.jupiter.api.Test;

/** What a file card says under the name: a file's size and type, a folder's size once it is known. */
class FileCardDescribeTest {
    private static final String HASH = "A".repeat(43);

    @Test
    void aFileShowsItsSizeAndType() {
        var f = new FileRef("f1", "docs/report.pdf", 1_234_567, HASH, "application/pdf", FileRef.DEFAULT_CHUNK);
        assertThat(FileCard.describe(f, null)).isEqualTo("1.2 MB · PDF");
    }

    @Test
    void aFolderShowsTheTotalItsMessageCarries_notItsListsSize() {
        var folder =
                new FileRef("f2", "project", 321, HASH, FileRef.FOLDER_MIME, FileRef.DEFAULT_CHUNK, null, 34_000_000);
        assertThat(FileCard.describe(folder, null)).isEqualTo("Folder · 34 MB");
    }

    @Test
    void aFolderFromAnOlderHostShowsItsSizeOnceItsListIsFetched() {
        var folder = new FileRef("f3", "project", 321, HASH, FileRef.FOLDER_MIME, FileRef.DEFAULT_CHUNK);
        assertThat(FileCard.describe(folder, null)).isEqualTo("Folder");
        var fetching = Transfer.preparing("f3", "project", false, 5_000_000);
        assertThat(FileCard.describe(folder, fetching)).isEqualTo("Folder · 5.0 MB");
    }
}
