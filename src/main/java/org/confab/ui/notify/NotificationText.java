package org.confab.ui.notify;

import java.text.BreakIterator;
import java.util.Locale;

/**
 * Peer text made fit for a desktop notification: plain text without control characters, cut to a
 * length on a character (grapheme) boundary with "…", and escaped where the server reads markup.
 */
final class NotificationText {
    /** The longest summary (a room name), in code points, "…" included. */
    static final int SUMMARY_LIMIT = 80;

    /** The longest body ("sender: text"), in code points, "…" included. */
    static final int BODY_LIMIT = 200;

    static final String ELLIPSIS = "…";

    private NotificationText() {}

    /** The summary line: the conversation's title on one line, or "Confab" where it has none. */
    static String summary(Notification n) {
        String title = plain(n.title(), SUMMARY_LIMIT, false);
        return title.isEmpty() ? "Confab" : title;
    }

    /** The body as plain text: "sender: text", line breaks kept (one at a time). */
    static String body(Notification n) {
        String sender = plain(n.sender(), SUMMARY_LIMIT, false);
        String text = plain(n.text(), BODY_LIMIT, true);
        return cut(sender.isEmpty() ? text : sender + ": " + text, BODY_LIMIT);
    }

    /**
     * {@code raw} as one plain text of at most {@code limit} code points: C0/C1 control characters
     * and bidirectional embedding, override and isolate controls removed, lone surrogates replaced
     * by U+FFFD, runs of spaces and tabs made one space, line breaks made one {@code '\n'} (or a
     * space if {@code multiline} is false), the ends trimmed, then {@link #cut}.
     */
    static String plain(String raw, int limit, boolean multiline) {
        StringBuilder out = new StringBuilder(Math.min(raw.length(), limit * 2 + 8));
        boolean pendingSpace = false;
        boolean pendingBreak = false;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (isLineBreak(cp)) {
                if (multiline) {
                    pendingBreak = true;
                } else {
                    pendingSpace = true;
                }
                continue;
            }
            if (cp == ' ' || cp == '\t' || cp == 0x00A0 || cp == 0x3000) {
                pendingSpace = true;
                continue;
            }
            if (isRemoved(cp)) {
                continue;
            }
            if (Character.getType(cp) == Character.SURROGATE) {
                cp = 0xFFFD;
            }
            if (!out.isEmpty()) {
                if (pendingBreak) {
                    out.append('\n');
                } else if (pendingSpace) {
                    out.append(' ');
                }
            }
            pendingBreak = false;
            pendingSpace = false;
            out.appendCodePoint(cp);
            if (out.length() > limit * 2 + 4) {
                // long enough to cut (limit code points are at most limit * 2 chars); the rest is cut anyway
                out.append(ELLIPSIS);
                break;
            }
        }
        return cut(out.toString(), limit);
    }

    /**
     * {@code text} if it has at most {@code limit} code points, else its longest start that ends on
     * a grapheme boundary (never inside a surrogate pair, a combining sequence or an emoji sequence)
     * and leaves room for "…", then "…". A first grapheme longer than the limit is cut on a code
     * point boundary instead.
     */
    static String cut(String text, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit < 1: " + limit);
        }
        if (text.codePointCount(0, text.length()) <= limit) {
            return text;
        }
        int room = limit - 1; // code points left for text before "…"
        int maxEnd = text.offsetByCodePoints(0, room);
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(text);
        int end = graphemes.preceding(maxEnd + 1);
        if (end == BreakIterator.DONE || end <= 0) {
            end = maxEnd;
        }
        return text.substring(0, end).stripTrailing() + ELLIPSIS;
    }

    /** {@code text} with {@code &}, {@code <} and {@code >} written as XML entities (body-markup). */
    static String escapeMarkup(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isLineBreak(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    }

    private static boolean isRemoved(int cp) {
        return Character.getType(cp) == Character.CONTROL
                || (cp >= 0x202A && cp <= 0x202E) // bidi embeddings and overrides
                || (cp >= 0x2066 && cp <= 0x2069) // bidi isolates
                || cp == 0x200B // zero width space
                || cp == 0xFEFF; // zero width no-break space (BOM)
    }
}
