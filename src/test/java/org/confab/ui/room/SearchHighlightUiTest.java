package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.confab.ui.Fx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A search hit marks every occurrence of every query word, as plain text nodes. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class SearchHighlightUiTest {
    @Start
    void start(Stage stage) {}

    private static List<String> marked(String text, String query) {
        return Fx.call(() -> RoomSearch.highlight(text, query).stream()
                .map(t -> (t.getStyleClass().contains("search-hit-match") ? "[" : "")
                        + t.getText()
                        + (t.getStyleClass().contains("search-hit-match") ? "]" : ""))
                .toList());
    }

    @Test
    void everyOccurrenceOfEveryWordIsMarked() {
        assertThat(String.join("", marked("Deploy at 3? The deploy moved, deploy at 4", "deploy 4")))
                .isEqualTo("[Deploy] at 3? The [deploy] moved, [deploy] at [4]");
        assertThat(String.join("", marked("lunchbox lunch", "lunch"))).isEqualTo("[lunch]box [lunch]");
    }

    @Test
    void overlappingWordsMergeAndTheTextIsKeptWhole() {
        List<Text> nodes = Fx.call(() -> RoomSearch.highlight("<b>release</b> notes", "release ease"));
        assertThat(nodes.stream().map(Text::getText).reduce("", String::concat)).isEqualTo("<b>release</b> notes");
        assertThat(String.join("", marked("<b>release</b> notes", "release ease")))
                .isEqualTo("<b>[release]</b> notes");
        assertThat(marked("nothing here", "absent")).containsExactly("nothing here");
    }
}
