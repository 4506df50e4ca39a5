package org.confab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageRulesTest {
    private static final Instant SENT = Instant.parse("2026-12-01T10:00:00Z");
    private static final MessageRules.Target ALICES =
            new MessageRules.Target(new ChatMessage(7, "id", "Alice", "helo", SENT), false);

    @Test
    void onlyTheSenderEditsWithinTheWindowAndNeverADeletedMessage() {
        assertThat(MessageRules.editProblem(ALICES, "alice", "hello", SENT.plusSeconds(60)))
                .as("the sender, ignoring case")
                .isNull();
        assertThat(MessageRules.editProblem(ALICES, "bob", "hello", SENT)).contains("your own");
        assertThat(MessageRules.editProblem(ALICES, "alice", "hello", SENT.plus(MessageRules.EDIT_WINDOW)))
                .as("the last moment of the window")
                .isNull();
        assertThat(MessageRules.editProblem(
                        ALICES,
                        "alice",
                        "hello",
                        SENT.plus(MessageRules.EDIT_WINDOW).plusMillis(1)))
                .contains("24 hours");
        assertThat(MessageRules.editProblem(ALICES, "alice", "  ", SENT)).contains("delete the message instead");
        assertThat(MessageRules.editProblem(ALICES, "alice", "x".repeat(Room.MAX_MESSAGE_LENGTH + 1), SENT))
                .contains("too long");
        var deleted = new MessageRules.Target(ALICES.message(), true);
        assertThat(MessageRules.editProblem(deleted, "alice", "hello", SENT)).contains("deleted");
        assertThat(MessageRules.editProblem(null, "alice", "hello", SENT)).contains("no such message");
    }

    @Test
    void deletionIsTheSendersOrAModeratorsOnce() {
        assertThat(MessageRules.deleteProblem(ALICES, "ALICE", false)).isNull();
        assertThat(MessageRules.deleteProblem(ALICES, "bob", false)).contains("your own");
        assertThat(MessageRules.deleteProblem(ALICES, "bob", true))
                .as("a moderator")
                .isNull();
        assertThat(MessageRules.deleteProblem(new MessageRules.Target(ALICES.message(), true), "alice", false))
                .contains("already");
    }

    @Test
    void aReactionIsOneEmojiOncePerMember() {
        assertThat(MessageRules.reactionProblem(ALICES, "👍", true, Set.of())).isNull();
        assertThat(MessageRules.reactionProblem(ALICES, "👍", true, Set.of("👍")))
                .contains("already");
        assertThat(MessageRules.reactionProblem(ALICES, "👍", false, Set.of())).contains("no 👍");
        assertThat(MessageRules.reactionProblem(ALICES, "👍", false, Set.of("👍")))
                .isNull();
        // whole sequences: skin tone, a family (zero-width joiners), a flag, a keycap, a subdivision flag
        for (String e : new String[] {"👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "❤️"}) {
            assertThat(MessageRules.emojiProblem(e)).as(e).isNull();
        }
        for (String e : new String[] {"", "lol", "a b", "\u0007", "👍 👍", "\u202e👍", "x".repeat(40)}) {
            assertThat(MessageRules.emojiProblem(e)).as("refused: " + e).isNotNull();
        }
    }
}
