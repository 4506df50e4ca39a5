package org.confab.core;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * Look-alike detection for nicknames: a skeleton in the spirit of Unicode TR39 for the letters
 * most often used to impersonate (Cyrillic and Greek homoglyphs of Latin letters), plus a check
 * for names that mix scripts. Two names with the same skeleton look the same on screen.
 */
public final class Confusables {
    private static final Map<Integer, Character> TO_LATIN = Map.ofEntries(
            // Cyrillic
            Map.entry(0x0430, 'a'),
            Map.entry(0x0435, 'e'),
            Map.entry(0x043E, 'o'),
            Map.entry(0x0440, 'p'),
            Map.entry(0x0441, 'c'),
            Map.entry(0x0443, 'y'),
            Map.entry(0x0445, 'x'),
            Map.entry(0x0456, 'i'),
            Map.entry(0x0458, 'j'),
            Map.entry(0x0455, 's'),
            Map.entry(0x04BB, 'h'),
            Map.entry(0x0501, 'd'),
            Map.entry(0x051B, 'q'),
            Map.entry(0x051D, 'w'),
            Map.entry(0x043A, 'k'),
            Map.entry(0x043C, 'm'),
            Map.entry(0x0432, 'b'),
            Map.entry(0x043D, 'h'),
            Map.entry(0x0442, 't'),
            Map.entry(0x0491, 'r'),
            // Greek
            Map.entry(0x03B1, 'a'),
            Map.entry(0x03BF, 'o'),
            Map.entry(0x03C1, 'p'),
            Map.entry(0x03BD, 'v'),
            Map.entry(0x03B9, 'i'),
            Map.entry(0x03BA, 'k'),
            Map.entry(0x03C4, 't'),
            Map.entry(0x03C5, 'u'),
            Map.entry(0x03C7, 'x'),
            Map.entry(0x03B5, 'e'),
            Map.entry(0x03B7, 'n'),
            Map.entry(0x03B2, 'b'),
            Map.entry(0x03BC, 'u'),
            Map.entry(0x03C9, 'w'),
            // digits and Latin look-alikes
            Map.entry((int) '0', 'o'),
            Map.entry((int) '1', 'l'),
            Map.entry((int) '|', 'l'),
            Map.entry(0x0131, 'i'),
            Map.entry(0x0261, 'g'),
            Map.entry(0x01C0, 'l'));

    private Confusables() {}

    /** The look-alike skeleton: case-folded, NFKC, homoglyphs mapped to Latin, "rn" as "m", "I" as "l". */
    public static String skeleton(String nick) {
        String folded = Normalizer.normalize(nick, Normalizer.Form.NFKC);
        // capital I and lower-case l look alike in most UI fonts: fold before lower-casing
        folded = folded.replace('I', 'l').toLowerCase(Locale.ROOT);
        var sb = new StringBuilder(folded.length());
        folded.codePoints().forEach(cp -> {
            Character latin = TO_LATIN.get(cp);
            if (latin != null) {
                sb.append(latin);
            } else if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString().replace("rn", "m").replace("vv", "w");
    }

    /** True if the name mixes letters of more than one script (e.g. Latin with Cyrillic). */
    public static boolean mixesScripts(String nick) {
        Character.UnicodeScript first = null;
        for (int i = 0; i < nick.length(); ) {
            int cp = nick.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            var script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.COMMON || script == Character.UnicodeScript.INHERITED) {
                continue;
            }
            if (first == null) {
                first = script;
            } else if (first != script) {
                return true;
            }
        }
        return false;
    }
}
