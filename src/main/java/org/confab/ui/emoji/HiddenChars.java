package org.confab.ui.emoji;

/**
 * A run of text drawn without its invisible characters ({@link EmojiText#isInvisible}): what the
 * Text node shows, the original, and where each shown character is in the original, so that a
 * selection of part of the run copies the original characters of that part, the hidden ones
 * included ({@link EmojiFlow}).
 *
 * @param shown    the characters drawn
 * @param original the characters sent
 * @param at       {@code at[i]} is where shown character {@code i} starts in {@code original} ({@code at[0]} is 0:
 *                 hidden characters before the first shown one go with it), {@code at[shown.length()]} is
 *                 {@code original.length()}
 */
public record HiddenChars(String shown, String original, int[] at) {
    /** {@code original} with its invisible characters left out. */
    public static HiddenChars of(String original) {
        StringBuilder shown = new StringBuilder(original.length());
        int[] at = new int[original.length() + 1];
        for (int i = 0; i < original.length(); ) {
            int cp = original.codePointAt(i);
            int n = Character.charCount(cp);
            if (!EmojiText.isInvisible(cp)) {
                for (int k = 0; k < n; k++) {
                    at[shown.length()] = shown.isEmpty() ? 0 : i + k;
                    shown.append(original.charAt(i + k));
                }
            }
            i += n;
        }
        at[shown.length()] = original.length();
        int[] trimmed = new int[shown.length() + 1];
        System.arraycopy(at, 0, trimmed, 0, trimmed.length);
        return new HiddenChars(shown.toString(), original, trimmed);
    }

    /** The original characters of shown positions {@code [from, to)}. */
    public String original(int from, int to) {
        return original.substring(at[from], at[to]);
    }
}
