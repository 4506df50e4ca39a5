package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.protocol.Message;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.emoji.EmojiView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Emoji in nicknames and the room's name are images in the member list, the header and the "me" row, as in messages. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class EmojiNamesUiTest {
    private static final String ZOE = "zoe \uD83D\uDC4B\uD83C\uDFFD";
    private static final String ROOM = "Launch \uD83D\uDE80";
    private Scene scene;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(Settings.inMemory());
        theme.install();
        RoomViewModel vm = new RoomViewModel(false, Runnable::run);
        RoomViewFixture.joined(
                vm,
                RoomViewFixture.ME,
                new Message.Welcome(1, ROOM, "me", List.of("me", ZOE, "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        scene = RoomViewFixture.scene(vm, theme, 1000, 600, text -> {});
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void memberListAndHeaderDrawEmojiAsImages() {
        Fx.await("members shown", 10, () -> memberName(ZOE) != null);
        Label zoe = Fx.call(() -> memberName(ZOE));
        assertThat(Fx.call(zoe::getGraphic)).isInstanceOf(HBox.class);
        assertThat(Fx.call(() -> EmojiText.originalText(((HBox) zoe.getGraphic()).getChildren())))
                .isEqualTo(ZOE);
        assertThat(Fx.call(() -> ((HBox) zoe.getGraphic())
                        .getChildren().stream()
                                .filter(n -> n instanceof EmojiView)
                                .count()))
                .isEqualTo(1L);
        Label bob = Fx.call(() -> memberName("bob"));
        assertThat(Fx.call(bob::getText)).as("plain names stay text").isEqualTo("bob");
        Label title = (Label) scene.lookup("#headerTitle");
        assertThat(Fx.call(title::getGraphic)).isInstanceOf(HBox.class);
        assertThat(Fx.call(title::getAccessibleText)).isEqualTo(ROOM);
    }

    private Label memberName(String nick) {
        for (Node n : scene.lookup("#memberList").lookupAll(".member-cell")) {
            if (n instanceof ListCell<?> c && nick.equals(c.getItem())) {
                return (Label) c.lookup(".member-name");
            }
        }
        return null;
    }
}
