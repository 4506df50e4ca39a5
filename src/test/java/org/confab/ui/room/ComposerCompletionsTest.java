package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.confab.core.SlashCommands;
import org.confab.ui.emoji.ShortcodeCompletion.Query;
import org.junit.jupiter.api.Test;

/** Where the composer's @nick, /command and command-nickname completions apply, without the toolkit. */
class ComposerCompletionsTest {
    private static final List<SlashCommands.Command> DESKTOP = SlashCommands.desktop();

    @Test
    void mentionsStartAWord() {
        assertThat(ComposerCompletions.mentionQuery("hi @al", 6)).hasValue(new Query(3, 6, "al"));
        assertThat(ComposerCompletions.mentionQuery("@", 1)).hasValue(new Query(0, 1, ""));
        assertThat(ComposerCompletions.mentionQuery("(@bo", 4)).hasValue(new Query(1, 4, "bo"));
        assertThat(ComposerCompletions.mentionQuery("me@example", 10)).isEmpty();
        assertThat(ComposerCompletions.mentionQuery("hi al", 5)).isEmpty();
        assertThat(ComposerCompletions.mentionQuery("@al done", 8))
                .as("after a space: done")
                .isEmpty();
        // the caret inside the word: the query reaches the word's end
        assertThat(ComposerCompletions.mentionQuery("@alxyz ok", 3)).hasValue(new Query(0, 6, "al"));
    }

    @Test
    void commandsOnlyAtTheStart() {
        assertThat(ComposerCompletions.commandQuery("/to", 3)).hasValue(new Query(0, 3, "to"));
        assertThat(ComposerCompletions.commandQuery("/", 1)).hasValue(new Query(0, 1, ""));
        assertThat(ComposerCompletions.commandQuery("//to", 4)).isEmpty();
        assertThat(ComposerCompletions.commandQuery("say /to", 7)).isEmpty();
        assertThat(ComposerCompletions.commandQuery("/topic x", 8)).isEmpty();
        assertThat(ComposerCompletions.commandQuery("", 0)).isEmpty();
    }

    @Test
    void theNicknameACommandTakes() {
        assertThat(ComposerCompletions.nickArgumentQuery("/kick al", 8, DESKTOP))
                .hasValue(new Query(6, 8, "al"));
        assertThat(ComposerCompletions.nickArgumentQuery("/msg ", 5, DESKTOP)).hasValue(new Query(5, 5, ""));
        assertThat(ComposerCompletions.nickArgumentQuery("/kick bob spam", 14, DESKTOP))
                .as("the reason is no nickname")
                .isEmpty();
        assertThat(ComposerCompletions.nickArgumentQuery("/nick al", 8, DESKTOP))
                .as("/nick takes a new name")
                .isEmpty();
        assertThat(ComposerCompletions.nickArgumentQuery("/kick", 5, DESKTOP)).isEmpty();
        assertThat(ComposerCompletions.nickArgumentQuery("/reply al", 9, DESKTOP))
                .as("not a desktop command")
                .isEmpty();
    }

    @Test
    void membersStartingSoFirstThenContainingNeverMe() {
        List<String> members = List.of("me", "Alice", "bob", "carl", "albert", "Mal");
        assertThat(ComposerCompletions.nicks(members, "me"::equals, "al", 8)).containsExactly("Alice", "albert", "Mal");
        assertThat(ComposerCompletions.nicks(members, "me"::equals, "", 3)).containsExactly("Alice", "bob", "carl");
        assertThat(ComposerCompletions.nicks(members, "me"::equals, "zz", 8)).isEmpty();
    }
}
