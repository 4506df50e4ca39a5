package org.confab.net.discovery;

/**
 * Text that came from someone on the network, made safe to show: control, format (bidi overrides,
 * zero-width joiners), line and paragraph separators, private-use and unpaired surrogate
 * characters are dropped, runs of whitespace become one space, and the result is cut to a number
 * of code points. It is still shown as plain text, never as markup.
 */
public final class PeerText {
    private PeerText() {}

    public static String clean(String s, int maxCodePoints) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxCodePoints * 2));
        int kept = 0;
        boolean space = false;
        for (int i = 0; i < s.length() && kept < maxCodePoints; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = b.length() > 0;
                continue;
            }
            if (Character.isISOControl(cp)
                    || type == Character.FORMAT
                    || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE
                    || type == Character.UNASSIGNED
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || cp == 0xFFFD) {
                continue;
            }
            if (space) {
                b.append(' ');
                kept++;
                space = false;
                if (kept >= maxCodePoints) {
                    break;
                }
            }
            b.appendCodePoint(cp);
            kept++;
        }
        return b.toString();
    }
}
