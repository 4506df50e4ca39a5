package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.core.SlashCommands;
import org.confab.protocol.Message;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.confab.ui.emoji.EmojiView;
import org.confab.ui.emoji.ShortcodeCompletion;
import org.confab.ui.emoji.ShortcodeCompletion.Suggestion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The composer: Ctrl+B / Ctrl+I / Ctrl+E wrap the selection, "Preview formatting" draws the draft
 * as its bubble will look, the one completion list offers @members and /commands (Up/Down,
 * Tab/Enter, Esc), and a message that names me is marked in its bubble.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ComposerUiTest {
    private final BooleanProperty previewSetting = new SimpleBooleanProperty(false);
    private RoomViewModel vm;
    private RoomView view;
    private Scene scene;
    private TextArea input;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(Settings.inMemory());
        theme.install();
        vm = new RoomViewModel(false, Runnable::run);
        RoomViewFixture.joined(
                vm,
                RoomViewFixture.ME,
                new Message.Welcome(1, "Team", "me", List.of("me", "alice", "albert", "bob"), List.of(), 0, "test"),
                new InviteLink("h", 1));
        view = new RoomView(vm, theme, RoomViewFixture.NO_ACTIONS, List.of(), text -> {});
        view.setPreviewSetting(previewSetting);
        scene = new Scene(view.load(), 1000, 640);
        theme.style(scene);
        stage.setScene(scene);
        stage.show();
        input = (TextArea) scene.lookup("#input");
        input.requestFocus();
    }

    private static void key(Node target, KeyCode code, boolean shift, boolean control) {
        target.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", code, shift, control, false, false));
    }

    private void typed(String text) {
        Fx.run(() -> {
            input.setText(text);
            input.positionCaret(text.length());
        });
    }

    @Test
    void shortcutsWrapTheSelectionAndButtonsSayTheirShortcuts() {
        Fx.run(() -> {
            input.setText("ship it now");
            input.selectRange(5, 7);
            key(input, KeyCode.B, false, true);
        });
        assertThat(Fx.<String>call(input::getText)).isEqualTo("ship **it** now");
        assertThat(Fx.call(input::getSelectedText)).isEqualTo("it");
        Fx.run(() -> key(input, KeyCode.B, false, true)); // again: back as it was
        assertThat(Fx.<String>call(input::getText)).isEqualTo("ship it now");
        Fx.run(input::undo); // each is one undoable step
        assertThat(Fx.<String>call(input::getText)).isEqualTo("ship **it** now");
        Fx.run(input::undo);
        assertThat(Fx.<String>call(input::getText)).isEqualTo("ship it now");
        Fx.run(() -> input.selectRange(5, 7));
        Fx.run(() -> {
            input.selectRange(0, 4);
            key(input, KeyCode.I, false, true);
        });
        assertThat(Fx.<String>call(input::getText)).isEqualTo("_ship_ it now");
        // nothing selected: the pair, the caret inside, then the word typed into it
        Fx.run(() -> {
            input.setText("run ");
            input.positionCaret(4);
            key(input, KeyCode.E, false, true);
            input.insertText(input.getCaretPosition(), "mvn");
        });
        assertThat(Fx.<String>call(input::getText)).isEqualTo("run `mvn`");
        // the buttons do the same and their tooltips say the shortcuts
        Fx.run(() -> {
            input.setText("x");
            input.selectAll();
            ((Button) scene.lookup("#formatBold")).fire();
        });
        assertThat(Fx.<String>call(input::getText)).isEqualTo("**x**");
        assertThat(Fx.call(() ->
                        ((Button) scene.lookup("#formatBold")).getTooltip().getText()))
                .contains("Ctrl+B");
        assertThat(Fx.call(() ->
                        ((Button) scene.lookup("#formatItalic")).getTooltip().getText()))
                .contains("Ctrl+I");
        assertThat(Fx.call(() ->
                        ((Button) scene.lookup("#formatCode")).getTooltip().getText()))
                .contains("Ctrl+E");
        assertThat(Fx.call(() -> ((ToggleButton) scene.lookup("#previewToggle"))
                        .getTooltip()
                        .getText()))
                .contains("Ctrl+B", "Ctrl+I", "Ctrl+E", "Shift+Enter");
    }

    @Test
    void realKeysReachTheShortcutsAndTheList(FxRobot robot) {
        robot.clickOn(input);
        Fx.await("composer focused", 10, input::isFocused);
        robot.write("hi @al");
        Fx.await("members offered", 10, () -> view.completion().isShowing(), input::getText);
        robot.type(KeyCode.TAB);
        Fx.await("completed", 10, () -> input.getText().equals("hi @alice "), input::getText);
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.press(KeyCode.CONTROL, KeyCode.B).release(KeyCode.B, KeyCode.CONTROL);
        // the trailing space stays outside the markers
        Fx.await("bold", 10, () -> input.getText().equals("**hi @alice** "), input::getText);
    }

    @Test
    void shiftEnterStaysANewLine() {
        int before = Fx.call(() -> vm.messages().size());
        Fx.run(() -> {
            input.setText("first");
            input.positionCaret(5);
            key(input, KeyCode.ENTER, true, false);
        });
        assertThat(Fx.<String>call(input::getText)).isEqualTo("first\n");
        assertThat(Fx.call(() -> vm.messages().size())).isEqualTo(before);
    }

    @Test
    void previewDrawsTheDraftAsItsBubbleAndIsRemembered() {
        ScrollPane preview = (ScrollPane) scene.lookup("#composerPreview");
        assertThat(Fx.call(preview::isVisible)).isFalse();
        Fx.run(() -> ((ToggleButton) scene.lookup("#previewToggle")).fire());
        assertThat(previewSetting.get()).as("the setting follows the toggle").isTrue();
        assertThat(Fx.call(preview::isVisible)).isTrue();
        typed("**ship it** after `mvn verify`");
        Fx.await(
                "the bold words drawn bold",
                10,
                () -> preview.lookupAll(".md-strong").stream()
                        .anyMatch(n -> ((Text) n).getText().equals("ship it")));
        assertThat(Fx.call(() -> preview.lookupAll(".md-code").stream()
                        .map(n -> ((Text) n).getText())
                        .toList()))
                .containsExactly("mvn verify");
        // a long draft: the preview keeps its bound and scrolls
        typed("line\n".repeat(40) + "**end**");
        Fx.await(
                "the long draft drawn",
                10,
                () -> preview.lookupAll(".md-strong").stream()
                        .anyMatch(n -> ((Text) n).getText().equals("end")));
        Fx.run(() -> scene.getRoot().layout());
        assertThat(Fx.call(preview::getHeight)).isLessThanOrEqualTo(ComposerPreview.MAX_HEIGHT);
        // Ctrl+Shift+P in the composer toggles it too (the button takes no focus)
        Fx.run(() -> {
            input.requestFocus();
            input.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.P, true, true, false, false));
        });
        assertThat(previewSetting.get()).isFalse();
        Fx.run(() -> input.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.P, true, true, false, false)));
        assertThat(previewSetting.get()).isTrue();
        // off again from the setting (another window, the next start)
        Fx.run(() -> previewSetting.set(false));
        assertThat(Fx.call(preview::isVisible)).isFalse();
        assertThat(Fx.call(() -> ((ToggleButton) scene.lookup("#previewToggle")).isSelected()))
                .isFalse();
    }

    @Test
    void aDraftWithEmojiShowsThemAsImagesAboveTheComposerWhileTheTextKeepsTheCharacters() {
        ScrollPane preview = (ScrollPane) scene.lookup("#composerPreview");
        assertThat(previewSetting.get()).isFalse();
        typed("plain words");
        Fx.run(() -> scene.getRoot().layout());
        assertThat(Fx.call(preview::isVisible)).as("no emoji: no strip").isFalse();
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        String draft = "hi \uD83D\uDC4B\uD83C\uDFFD " + family + " \uD83C\uDDEB\uD83C\uDDF7";
        typed(draft);
        Fx.await("the strip shown for emoji", 10, preview::isVisible);
        Fx.await(
                "three emoji drawn as images",
                10,
                () -> preview.lookupAll(".emoji").size() == 3);
        assertThat(Fx.call(() -> preview.lookupAll(".emoji").stream()
                        .map(n -> ((EmojiView) n).text())
                        .toList()))
                .containsExactly("\uD83D\uDC4B\uD83C\uDFFD", family, "\uD83C\uDDEB\uD83C\uDDF7");
        assertThat(Fx.<String>call(input::getText))
                .as("the composer keeps the characters")
                .isEqualTo(draft);
        Fx.run(() -> input.clear());
        Fx.await("the strip gone with the emoji", 10, () -> !preview.isVisible());
        assertThat(previewSetting.get()).as("the setting is not changed").isFalse();
    }

    @Test
    void theReplyBarAndTheTypingLineDrawEmojiAsImages() {
        String wave = "\uD83D\uDC4B";
        Fx.run(() -> vm.apply(List.of(new FxBridge.Update.Event(new RoomEvent.Posted(
                new ChatMessage(2, "w", "alice", "morning " + wave, Instant.parse("2026-01-01T10:00:00Z")))))));
        Fx.await(
                "the message listed",
                10,
                () -> vm.messages().stream()
                        .anyMatch(
                                i -> i instanceof ChatItem.Message m && m.text().endsWith(wave)));
        Fx.run(() -> vm.replyTo(vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.text().endsWith(wave))
                .map(i -> (ChatItem.Message) i)
                .findFirst()
                .orElseThrow()));
        Node bar = scene.lookup("#composerContext");
        Fx.await("the reply bar shown", 10, bar::isVisible);
        assertThat(Fx.call(() -> bar.lookupAll(".emoji").stream()
                        .map(n -> ((EmojiView) n).text())
                        .toList()))
                .containsExactly(wave);
        Fx.run(() -> vm.typing("zoe " + wave, Instant.now()));
        Label typing = (Label) scene.lookup("#typingLine");
        Fx.await("the typing line shown", 10, typing::isVisible);
        assertThat(Fx.call(typing::getAccessibleText)).isEqualTo("zoe " + wave + " is typing…");
        assertThat(Fx.call(() -> typing.lookupAll(".emoji").size())).isEqualTo(1);
    }

    private List<String> labels() {
        return Fx.call(
                () -> view.completion().shown().stream().map(Suggestion::label).toList());
    }

    @Test
    void atCompletesTheRoomsMembers() {
        ShortcodeCompletion completion = view.completion();
        typed("hi @al");
        assertThat(Fx.call(completion::isShowing)).isTrue();
        assertThat(labels()).containsExactly("alice", "albert"); // not me, in the room's order
        int before = Fx.call(() -> vm.messages().size());
        Fx.run(() -> {
            key(input, KeyCode.DOWN, false, false);
            key(input, KeyCode.ENTER, false, false);
        });
        assertThat(Fx.<String>call(input::getText)).isEqualTo("hi @albert ");
        assertThat(Fx.call(() -> vm.messages().size()))
                .as("Enter completed, sent nothing")
                .isEqualTo(before);
        assertThat(Fx.call(completion::isShowing)).isFalse();
        // Tab takes the first; just "@" offers everyone but me
        typed("@");
        assertThat(labels()).containsExactly("alice", "albert", "bob");
        Fx.run(() -> key(input, KeyCode.TAB, false, false));
        assertThat(Fx.<String>call(input::getText)).isEqualTo("@alice ");
        // Esc closes and leaves the text
        typed("ok @b");
        assertThat(Fx.call(completion::isShowing)).isTrue();
        Fx.run(() -> key(input, KeyCode.ESCAPE, false, false));
        assertThat(Fx.call(completion::isShowing)).isFalse();
        assertThat(Fx.<String>call(input::getText)).isEqualTo("ok @b");
        // the caret inside a word: the choice replaces the whole word
        Fx.run(() -> {
            input.setText("hi @alxyz there");
            input.positionCaret(6);
        });
        assertThat(labels()).containsExactly("alice", "albert");
        Fx.run(() -> key(input, KeyCode.ENTER, false, false));
        assertThat(Fx.<String>call(input::getText)).isEqualTo("hi @alice there");
        assertThat(Fx.call(input::getCaretPosition)).isEqualTo("hi @alice ".length());
        // an address is no mention
        typed("mail me@al");
        assertThat(Fx.call(completion::isShowing)).isFalse();
    }

    @Test
    void slashCompletesCommandsWithUsageAndHelp() {
        ShortcodeCompletion completion = view.completion();
        typed("/to");
        assertThat(Fx.call(completion::isShowing)).isTrue();
        Suggestion topic = Fx.call(completion::selected);
        assertThat(topic.label()).isEqualTo("/topic [TEXT]");
        assertThat(topic.detail()).contains("topic");
        // the list shows the help sentence under the usage
        ListView<?> list = Fx.call(completion::list);
        Fx.await(
                "the row drawn",
                10,
                () -> list.lookupAll(".completion-detail").stream()
                        .anyMatch(n -> n.isVisible() && ((Label) n).getText().equals(topic.detail())));
        Fx.run(() -> key(input, KeyCode.TAB, false, false));
        assertThat(Fx.<String>call(input::getText)).isEqualTo("/topic ");
        // every desktop command for "/", none of the terminal's
        typed("/");
        assertThat(Fx.call(() -> completion.shown().size()))
                .isEqualTo(SlashCommands.desktop().size());
        // the list shows 8 rows and scrolls: Up/Down past them keep the choice in view
        Fx.run(() -> {
            for (int i = 0; i < 10; i++) {
                key(input, KeyCode.DOWN, false, false);
            }
        });
        assertThat(Fx.call(() -> completion.selected().label()))
                .isEqualTo(SlashCommands.desktop().get(10).usage());
        typed("/re");
        assertThat(Fx.call(completion::isShowing))
                .as("/reply is the terminal's")
                .isFalse();
        // a command that takes a nickname: then the members
        typed("/ki");
        Fx.run(() -> key(input, KeyCode.ENTER, false, false));
        assertThat(Fx.<String>call(input::getText)).isEqualTo("/kick ");
        Fx.run(() -> input.insertText(input.getLength(), "b"));
        assertThat(labels()).containsExactly("bob", "albert"); // starting with b first, then containing it
        Fx.run(() -> key(input, KeyCode.TAB, false, false));
        assertThat(Fx.<String>call(input::getText)).isEqualTo("/kick bob ");
        // not in the middle of a message, not for "//"
        typed("see /to");
        assertThat(Fx.call(completion::isShowing)).isFalse();
        typed("//to");
        assertThat(Fx.call(completion::isShowing)).isFalse();
    }
}
