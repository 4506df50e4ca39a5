package org.confab.ui.emoji;

import java.util.Optional;

/** The five Fitzpatrick modifiers (U+1F3FB to U+1F3FF), and none: the yellow default. */
public enum SkinTone {
    NONE(0, "Default"),
    LIGHT(0x1F3FB, "Light"),
    MEDIUM_LIGHT(0x1F3FC, "Medium-light"),
    MEDIUM(0x1F3FD, "Medium"),
    MEDIUM_DARK(0x1F3FE, "Medium-dark"),
    DARK(0x1F3FF, "Dark");

    private final int modifier;
    private final String label;

    SkinTone(int modifier, String label) {
        this.modifier = modifier;
        this.label = label;
    }

    /** The modifier's code point (0 for {@link #NONE}). */
    public int modifier() {
        return modifier;
    }

    /** What the picker shows for it: "Medium-dark". */
    public String label() {
        return label;
    }

    /** The tone named by emoji.json's key ("1F3FD"), if it is one. */
    static Optional<SkinTone> ofKey(String hex) {
        for (SkinTone t : values()) {
            if (t.modifier != 0 && Integer.toHexString(t.modifier).equalsIgnoreCase(hex)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The tone by its {@link #name()}, {@link #NONE} for anything else (a remembered setting). */
    public static SkinTone parse(String name) {
        for (SkinTone t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return NONE;
    }
}
