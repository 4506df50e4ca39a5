package org.confab.ui.room;

/**
 * The composer's formatting shortcuts as text edits, without the toolkit: Ctrl+B, Ctrl+I and
 * Ctrl+E wrap the selection in {@code **}, {@code _} and {@code `} (a selection of several lines
 * in a fenced code block), take the markers away again when the selection is already wrapped,
 * and with nothing selected put the pair in with the caret between.
 */
public final class ComposerFormat {
    /** What a shortcut wraps with. */
    public enum Style {
        BOLD("**"),
        ITALIC("_"),
        CODE("`");

        final String marker;

        Style(String marker) {
            this.marker = marker;
        }

        public String marker() {
            return marker;
        }
    }

    /** The composer after an edit: its text and the selection ({@code start == end}: the caret). */
    public record Edit(String text, int start, int end) {}

    private ComposerFormat() {}

    /**
     * {@code text} with {@code [start, end)} wrapped in {@code style} (or unwrapped, when it already
     * is): spaces at the selection's ends stay outside the markers, as Markdown needs; the wrapped
     * words stay selected.
     */
    public static Edit apply(String text, int start, int end, Style style) {
        int a = Math.clamp(Math.min(start, end), 0, text.length());
        int z = Math.clamp(Math.max(start, end), 0, text.length());
        if (a == z) {
            String pair = style.marker + style.marker;
            String out = text.substring(0, a) + pair + text.substring(a);
            return new Edit(out, a + style.marker.length(), a + style.marker.length());
        }
        while (a < z && Character.isWhitespace(text.charAt(a))) {
            a++;
        }
        while (z > a && Character.isWhitespace(text.charAt(z - 1))) {
            z--;
        }
        if (a == z) {
            return new Edit(text, start, end); // only spaces selected: nothing to format
        }
        String inner = text.substring(a, z);
        if (style == Style.CODE && inner.indexOf('\n') >= 0) {
            return fence(text, a, z);
        }
        for (String m : markers(style)) {
            // already wrapped: outside the selection, or the selection includes the markers
            if (a >= m.length()
                    && text.startsWith(m, a - m.length())
                    && text.startsWith(m, z)
                    && !doubled(text, a - m.length(), z + m.length(), m)) {
                String out = text.substring(0, a - m.length()) + inner + text.substring(z + m.length());
                return new Edit(out, a - m.length(), z - m.length());
            }
            if (inner.length() >= 2 * m.length()
                    && inner.startsWith(m)
                    && inner.endsWith(m)
                    && !doubled(text, a, z, m)) {
                String bare = inner.substring(m.length(), inner.length() - m.length());
                String out = text.substring(0, a) + bare + text.substring(z);
                return new Edit(out, a, a + bare.length());
            }
        }
        String m = marker(text, a, z, style);
        String out = text.substring(0, a) + m + inner + m + text.substring(z);
        return new Edit(out, a + m.length(), z + m.length());
    }

    /** The markers an existing wrap of {@code style} may use (italic: either of Markdown's two). */
    private static String[] markers(Style style) {
        return style == Style.ITALIC ? new String[] {"_", "*"} : new String[] {style.marker};
    }

    /**
     * True if the single {@code m} around {@code [a, z)} is part of a longer run ({@code **bold**}
     * is not {@code *italic*}).
     */
    private static boolean doubled(String text, int a, int z, String m) {
        if (m.length() != 1) {
            return false;
        }
        char c = m.charAt(0);
        boolean before = a > 0 && text.charAt(a - 1) == c;
        boolean after = z < text.length() && text.charAt(z) == c;
        boolean insideStart = a + 1 < text.length() && text.charAt(a + 1) == c;
        boolean insideEnd = z - 2 >= 0 && text.charAt(z - 2) == c;
        return (before && after) || (insideStart && insideEnd && z - a > 2);
    }

    /**
     * The marker to wrap with: italic inside a word ({@code un_believ_able}) takes {@code *},
     * since Markdown reads {@code _} there as a letter.
     */
    private static String marker(String text, int a, int z, Style style) {
        if (style != Style.ITALIC) {
            return style.marker;
        }
        boolean wordBefore = a > 0 && Character.isLetterOrDigit(text.charAt(a - 1));
        boolean wordAfter = z < text.length() && Character.isLetterOrDigit(text.charAt(z));
        return wordBefore || wordAfter ? "*" : "_";
    }

    /** Lines of code: a fenced block on lines of their own. */
    private static Edit fence(String text, int a, int z) {
        String before = text.substring(0, a);
        String after = text.substring(z);
        String open = (before.isEmpty() || before.endsWith("\n") ? "" : "\n") + "```\n";
        String close = "\n```" + (after.isEmpty() || after.startsWith("\n") ? "" : "\n");
        String out = before + open + text.substring(a, z) + close + after;
        return new Edit(out, a + open.length(), z + open.length());
    }
}
