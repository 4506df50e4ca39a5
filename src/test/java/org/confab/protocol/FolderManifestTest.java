package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A shared folder's list (§18.4): what is written is read back, and what a receiver must not act on is refused. */
class FolderManifestTest {
    private static final String SHA = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";

    private static byte[] list(String files, String dirs) {
        return ("{\"confab-folder\":1,\"chunk\":262144,\"files\":[" + files + "],\"dirs\":[" + dirs + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String file(String path) {
        return "{\"path\":\"" + path + "\",\"size\":0,\"sha256\":\"" + SHA + "\",\"file\":\"abc\"}";
    }

    @Test
    void aListIsReadBackAsWritten() throws Exception {
        var m = new FolderManifest(
                262_144,
                List.of(
                        new FolderManifest.Entry("a/b.txt", 12, SHA, "id1"),
                        new FolderManifest.Entry("ü.txt", 3, SHA, "id2")),
                List.of("empty", "x/y"));
        var back = FolderManifest.decode(m.encode());
        assertThat(back).isEqualTo(m);
        assertThat(back.totalSize()).isEqualTo(15);
        assertThat(back.files().getFirst().ref(back.chunk()).name()).isEqualTo("a/b.txt");
    }

    @Test
    void whatAReceiverMustNotActOnIsRefused() {
        assertThatThrownBy(() -> FolderManifest.decode(list(file("a/../../x"), "")))
                .hasMessageContaining("a/../../x");
        assertThatThrownBy(() -> FolderManifest.decode(list(file("ok"), "\"../up\"")))
                .hasMessageContaining("../up");
        assertThatThrownBy(() -> FolderManifest.decode(list(file("a\\\\b"), "")))
                .hasMessageContaining("not a path");
        assertThatThrownBy(() -> FolderManifest.decode(list(file("same") + "," + file("same"), "")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> FolderManifest.decode(
                        list("{\"path\":\"x\",\"size\":-1,\"sha256\":\"" + SHA + "\",\"file\":\"abc\"}", "")))
                .hasMessageContaining("no valid size");
        assertThatThrownBy(() -> FolderManifest.decode(
                        list("{\"path\":\"x\",\"size\":1,\"sha256\":\"short\",\"file\":\"abc\"}", "")))
                .hasMessageContaining("not valid");
        assertThatThrownBy(() -> FolderManifest.decode("{\"files\":[]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a Confab folder");
        assertThatThrownBy(() -> FolderManifest.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
    }
}
