package org.confab.ui.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import org.confab.core.SlashCommands;
import org.confab.ui.emoji.ShortcodeCompletion;
import org.confab.ui.emoji.ShortcodeCompletion.Query;
import org.confab.ui.emoji.ShortcodeCompletion.Source;
import org.confab.ui.emoji.ShortcodeCompletion.Suggestion;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * What the composer's completion list offers besides emoji: {@code @ali} → the room's members
 * ({@code "@alice "}), {@code /to} at the start of the draft → the commands with their usage and
 * what they do, and after a command that takes a nickname ({@code /kick al}) → the members again.
 */
final class ComposerCompletions {
    private ComposerCompletions() {}

    /** {@code @prefix} where a word starts: the members (not us) whose nickname starts so (or else contains it). */
    static Source mentions(
            Supplier<List<String>> members, Predicate<String> isMe, Function<String, String> colourSeed) {
        return new Source() {
            @Override
            public Optional<Query> query(String text, int caret) {
                return mentionQuery(text, caret);
            }

            @Override
            public List<Suggestion> suggest(Query q, int max) {
                return nicks(members.get(), isMe, q.prefix(), max).stream()
                        .map(n -> new Suggestion(n, null, "@" + n + " ", () -> avatar(n, colourSeed), null))
                        .toList();
            }
        };
    }

    /** The {@code @nick} being typed just before {@code caret}: from the {@code @} (which starts a word) to the caret. */
    static Optional<Query> mentionQuery(String text, int caret) {
        int i = caret;
        while (i > 0 && !Character.isWhitespace(text.charAt(i - 1)) && text.charAt(i - 1) != '@') {
            i--;
        }
        if (i == 0 || text.charAt(i - 1) != '@' || !ShortcodeCompletion.startsWord(text, i - 1)) {
            return Optional.empty(); // "me@example.org" is no mention
        }
        return Optional.of(new Query(i - 1, wordEnd(text, caret), text.substring(i, caret)));
    }

    /** Where the word the caret is in ends: a choice replaces all of it, not only what is before the caret. */
    static int wordEnd(String text, int caret) {
        int end = caret;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return end;
    }

    /** {@code /} and letters at the start of the draft: the commands whose name starts so. */
    static Source commands(List<SlashCommands.Command> among) {
        return new Source() {
            @Override
            public Optional<Query> query(String text, int caret) {
                return commandQuery(text, caret);
            }

            @Override
            public List<Suggestion> suggest(Query q, int max) {
                return SlashCommands.completing(q.prefix(), among).stream()
                        .limit(max)
                        .map(c -> new Suggestion(
                                c.usage(),
                                c.help(),
                                "/" + c.name() + (c.args().isEmpty() ? "" : " "),
                                () -> new FontIcon("fth-terminal"),
                                null))
                        .toList();
            }
        };
    }

    /** {@code /to} being typed at the very start of the draft (not {@code //}, a message that starts with a slash). */
    static Optional<Query> commandQuery(String text, int caret) {
        if (caret < 1 || caret > text.length() || text.charAt(0) != '/') {
            return Optional.empty();
        }
        for (int i = 1; i < caret; i++) {
            if (!Character.isLetter(text.charAt(i))) {
                return Optional.empty();
            }
        }
        int end = caret;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return Optional.of(new Query(0, end, text.substring(1, caret)));
    }

    /** The nickname a command takes first ({@code /kick al}): the members, without an {@code @}. */
    static Source commandNicks(
            List<SlashCommands.Command> among,
            Supplier<List<String>> members,
            Predicate<String> isMe,
            Function<String, String> colourSeed) {
        return new Source() {
            @Override
            public Optional<Query> query(String text, int caret) {
                return nickArgumentQuery(text, caret, among);
            }

            @Override
            public List<Suggestion> suggest(Query q, int max) {
                return nicks(members.get(), isMe, q.prefix(), max).stream()
                        .map(n -> new Suggestion(n, null, n + " ", () -> avatar(n, colourSeed), null))
                        .toList();
            }
        };
    }

    /** The first word after a command whose arguments start with NICK, up to the caret. */
    static Optional<Query> nickArgumentQuery(String text, int caret, List<SlashCommands.Command> among) {
        if (caret > text.length() || !text.startsWith("/")) {
            return Optional.empty();
        }
        int space = text.indexOf(' ');
        if (space < 0 || space >= caret) {
            return Optional.empty();
        }
        var command = SlashCommands.find(text.substring(1, space));
        if (command.isEmpty()
                || !among.contains(command.get())
                || !command.get().args().startsWith("NICK")) {
            return Optional.empty();
        }
        int start = space + 1;
        String word = text.substring(start, caret);
        if (word.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        return Optional.of(new Query(start, wordEnd(text, caret), word));
    }

    /** Members other than us matching {@code prefix}: those starting so first, then those containing it. */
    static List<String> nicks(List<String> members, Predicate<String> isMe, String prefix, int max) {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<String> starting = new ArrayList<>();
        List<String> containing = new ArrayList<>();
        for (String m : members) {
            if (isMe.test(m)) {
                continue;
            }
            String n = m.toLowerCase(Locale.ROOT);
            if (n.startsWith(p)) {
                starting.add(m);
            } else if (n.contains(p)) {
                containing.add(m);
            }
        }
        starting.addAll(containing);
        return starting.size() > max ? List.copyOf(starting.subList(0, max)) : List.copyOf(starting);
    }

    /** A member's small coloured avatar, as the member list shows it. */
    private static Node avatar(String nick, Function<String, String> colourSeed) {
        Label initials = new Label(NickColors.initials(nick));
        StackPane a = new StackPane(initials);
        a.getStyleClass().addAll("avatar", "avatar-small");
        a.setMinSize(22, 22);
        a.setMaxSize(22, 22);
        a.setStyle("-fx-background-color: " + NickColors.hex(colourSeed.apply(nick)) + ";");
        return a;
    }
}
