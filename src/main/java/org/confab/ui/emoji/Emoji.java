package org.confab.ui.emoji;

import java.util.List;
import java.util.Map;

/**
 * One emoji of the image set: its fully qualified characters (with U+FE0F where Unicode asks for
 * it), its name, its short codes ({@code thumbsup}, {@code +1}), its picker category and order,
 * and the image that draws it. A base emoji that takes a skin tone lists its toned forms.
 *
 * @param text the fully qualified sequence, e.g. "\u2764\uFE0F" or "👋🏽"
 * @param name lower case, as emoji-data names it: "waving hand sign"
 * @param shortCodes without colons, the first is the main one
 * @param category the picker's category ("Smileys & Emotion"); toned forms share their base's
 * @param order the picker's sort order within the whole set
 * @param image the PNG's file name in the image set ("1f44b-1f3fd.png")
 * @param tones the toned forms of a base that takes a tone (empty otherwise)
 */
public record Emoji(
        String text,
        String name,
        List<String> shortCodes,
        String category,
        int order,
        String image,
        Map<SkinTone, Emoji> tones) {

    public Emoji {
        shortCodes = List.copyOf(shortCodes);
        tones = Map.copyOf(tones);
    }

    /** This emoji in {@code tone}, or itself where it takes none (or for {@link SkinTone#NONE}). */
    public Emoji withTone(SkinTone tone) {
        return tones.getOrDefault(tone, this);
    }

    /** ":thumbsup:" (or the name where the set gives no short code). */
    public String shortCode() {
        return shortCodes.isEmpty() ? name : ":" + shortCodes.getFirst() + ":";
    }

    @Override
    public String toString() {
        return text + " " + shortCode();
    }
}
