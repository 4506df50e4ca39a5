package org.confab.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Who may change a message, and how: the host's rules for edits, deletions and reactions, pure
 * logic (the host looks the message and its state up; docs/protocol.md §14). Each check returns
 * null when the change is allowed, else a sentence for the person.
 */
public final class MessageRules {
    /** How long after posting its sender may still edit a message. */
    public static final Duration EDIT_WINDOW = Duration.ofHours(24);
    /** Longest reaction, in UTF-16 units (one emoji sequence: a family with skin tones fits). */
    public static final int MAX_REACTION = 32;

    private MessageRules() {}

    /** What the host knows of a message someone wants to change. */
    public record Target(ChatMessage message, boolean deleted) {}

    /** May {@code by} change {@code target}'s text to {@code text} at {@code now}? */
    public static String editProblem(Target target, String by, String text, Instant now) {
        String common = ownMessage(target, by, "edit");
        if (common != null) {
            return common;
        }
        if (now.isAfter(target.message().time().plus(EDIT_WINDOW))) {
            return "Messages can be edited for " + EDIT_WINDOW.toHours() + " hours after they were sent.";
        }
        if (text.isBlank()) {
            return "An edit cannot be empty: delete the message instead.";
        }
        if (text.length() > Room.MAX_MESSAGE_LENGTH) {
            return "Message too long (" + text.length() + " characters; the limit is " + Room.MAX_MESSAGE_LENGTH + ").";
        }
        return null;
    }

    /** May {@code by} delete {@code target} ({@code moderator}: may delete anyone's)? */
    public static String deleteProblem(Target target, String by, boolean moderator) {
        if (target == null) {
            return "There is no such message in this room.";
        }
        if (target.deleted()) {
            return "This message was already deleted.";
        }
        if (!moderator && !NicknameRules.key(target.message().sender()).equals(NicknameRules.key(by))) {
            return "You can only delete your own messages.";
        }
        return null;
    }

    /**
     * May {@code by} add ({@code added}) or take back reaction {@code emoji} on {@code target},
     * given the emoji it has on it already ({@code mine})? One of each emoji per member.
     */
    public static String reactionProblem(Target target, String emoji, boolean added, Set<String> mine) {
        if (target == null) {
            return "There is no such message in this room.";
        }
        if (target.deleted()) {
            return "This message was deleted.";
        }
        String invalid = emojiProblem(emoji);
        if (invalid != null) {
            return invalid;
        }
        if (added && mine.contains(emoji)) {
            return "You reacted with " + emoji + " already.";
        }
        if (!added && !mine.contains(emoji)) {
            return "You have no " + emoji + " reaction on this message.";
        }
        return null;
    }

    /**
     * A reaction is one short symbol sequence: symbols (emoji, regional-indicator flags), with
     * skin tones, joiners, variation selectors and tags; digits, {@code #} and {@code *} only as
     * keycaps. No letters, spaces or control characters.
     */
    public static String emojiProblem(String emoji) {
        if (emoji == null || emoji.isEmpty()) {
            return "A reaction needs an emoji.";
        }
        if (emoji.length() > MAX_REACTION) {
            return "A reaction is one emoji (at most " + MAX_REACTION + " characters).";
        }
        boolean symbol = false;
        for (int i = 0; i < emoji.length(); ) {
            int cp = emoji.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean keycapBase = (cp >= '0' && cp <= '9') || cp == '#' || cp == '*';
            boolean joiner = cp == 0x200D // zero-width joiner (families, professions)
                    || cp == 0xFE0F // emoji presentation
                    || cp == 0x20E3 // combining keycap
                    || (cp >= 0xE0020 && cp <= 0xE007F); // tags (subdivision flags)
            if (keycapBase) {
                String rest = emoji.substring(next);
                if (!rest.startsWith("\u20E3") && !rest.startsWith("\uFE0F\u20E3")) {
                    return "A reaction is one emoji, not text.";
                }
            } else if (!joiner) {
                int type = Character.getType(cp);
                if (type == Character.OTHER_SYMBOL
                        || type == Character.MODIFIER_SYMBOL && cp >= 0x1F3FB && cp <= 0x1F3FF) {
                    symbol = true;
                } else {
                    return "A reaction is one emoji, not text.";
                }
            }
            i = next;
        }
        return symbol || emoji.contains("\u20E3") ? null : "A reaction is one emoji, not text.";
    }

    private static String ownMessage(Target target, String by, String verb) {
        if (target == null) {
            return "There is no such message in this room.";
        }
        if (target.deleted()) {
            return "This message was deleted.";
        }
        if (!NicknameRules.key(target.message().sender()).equals(NicknameRules.key(by))) {
            return "You can only " + verb + " your own messages.";
        }
        return null;
    }
}
