package org.confab.ui.room;

import java.util.Locale;
import org.confab.core.NicknameRules;

/** A stable colour per nickname (same nick, case- and form-folded, same colour everywhere). */
public final class NickColors {
    /** Mid-tone colours that read on both the light and the dark theme. */
    private static final String[] PALETTE = {
        "#7C3AED", "#3D5AE0", "#12B5A0", "#E0573D", "#D9466F", "#2F9E44",
        "#C2410C", "#0E88C9", "#A34FD6", "#B7791F", "#DB2777", "#0F9488",
    };

    private NickColors() {}

    /** Index into the palette, stable across runs and machines. */
    public static int index(String nick) {
        String key = NicknameRules.key(nick);
        int h = 0;
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        h ^= h >>> 16;
        return Math.floorMod(h * 0x9E3779B1, PALETTE.length);
    }

    /** How many colours the palette has (confab.css has a {@code :nickN} rule for each). */
    static int size() {
        return PALETTE.length;
    }

    /** The palette's colour at {@code index}, as CSS hex. */
    static String hex(int index) {
        return PALETTE[index];
    }

    /** The colour as CSS hex, e.g. "#3D5AE0". */
    public static String hex(String nick) {
        return PALETTE[index(nick)];
    }

    /** One or two letters for an avatar. */
    public static String initials(String nick) {
        String s = nick.strip();
        if (s.isEmpty()) {
            return "?";
        }
        String[] parts = s.split("[\\s._-]+");
        int first = parts[0].isEmpty() && parts.length > 1 ? 1 : 0;
        StringBuilder b = new StringBuilder();
        b.appendCodePoint(parts[first].isEmpty() ? s.codePointAt(0) : parts[first].codePointAt(0));
        if (parts.length > first + 1 && !parts[first + 1].isEmpty()) {
            b.appendCodePoint(parts[first + 1].codePointAt(0));
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }
}
