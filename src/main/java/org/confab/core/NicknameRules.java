package org.confab.core;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/** What a nickname may be. Pure: used by the host to decide, and by dialogs to validate early. */
public final class NicknameRules {
    /** Longest nickname, in code points. */
    public static final int MAX_LENGTH = 32;

    private NicknameRules() {}

    /** Empty if {@code nick} is acceptable, otherwise a sentence saying why not. */
    public static Optional<String> problem(String nick) {
        if (nick == null || nick.isBlank()) {
            return Optional.of("Nickname must not be empty.");
        }
        if (!nick.equals(nick.strip())) {
            return Optional.of("Nickname must not start or end with spaces.");
        }
        if (nick.codePointCount(0, nick.length()) > MAX_LENGTH) {
            return Optional.of("Nickname must be at most " + MAX_LENGTH + " characters.");
        }
        for (int i = 0; i < nick.length(); ) {
            int cp = nick.codePointAt(i);
            int type = Character.getType(cp);
            if (Character.isISOControl(cp)
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE) {
                return Optional.of("Nickname contains an invisible or control character.");
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }

    /**
     * A valid nickname made from an operating-system user name: characters {@link #problem} refuses
     * are dropped, runs of spaces become one, and it is cut to {@link #MAX_LENGTH}; "guest" if nothing
     * valid remains (or {@code userName} is null).
     */
    public static String fromUserName(String userName) {
        if (userName == null) {
            return "guest";
        }
        StringBuilder b = new StringBuilder();
        int count = 0;
        for (int i = 0; i < userName.length() && count < MAX_LENGTH; ) {
            int cp = userName.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                if (!b.isEmpty() && b.charAt(b.length() - 1) != ' ') {
                    b.append(' ');
                    count++;
                }
            } else if (problem(new String(Character.toChars(cp))).isEmpty()) {
                b.appendCodePoint(cp);
                count++;
            }
        }
        String nick = b.toString().strip();
        return problem(nick).isEmpty() ? nick : "guest";
    }

    /** The key under which two nicknames count as the same (case and Unicode form folded). */
    public static String key(String nick) {
        return Normalizer.normalize(nick, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
