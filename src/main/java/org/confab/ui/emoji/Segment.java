package org.confab.ui.emoji;

/**
 * A piece of a text as {@link EmojiIndex#split} cuts it: a run of plain text, or one emoji
 * sequence. {@link #text()} is always the original characters (a U+FE0F that was there or not,
 * as it was), so that joining the segments gives back the text exactly.
 *
 * @param text the original characters of this piece
 * @param emoji the emoji it draws as, or null for a run of text
 */
public record Segment(String text, Emoji emoji) {
    public boolean isEmoji() {
        return emoji != null;
    }
}
