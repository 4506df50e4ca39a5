package org.confab.ui.emoji;

import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

/**
 * One emoji drawn as its image, sized to the text around it, for a {@code TextFlow}: it sits on
 * the text's baseline and goes a little below it, as a glyph does. It keeps the original
 * characters it stands for ({@link #text()}) so that copying gives them back.
 */
public final class EmojiView extends ImageView {
    /** How far below the baseline an emoji reaches, as a part of its height (a glyph's descent). */
    static final double DESCENT = 0.2;

    private final String text;
    private final Emoji emoji;

    EmojiView(String text, Emoji emoji, Image image, double size) {
        super(image);
        this.text = text;
        this.emoji = emoji;
        setFitWidth(size);
        setFitHeight(size);
        setPreserveRatio(true);
        setSmooth(true);
        getStyleClass().add("emoji");
        setAccessibleText(emoji.name());
    }

    /** The original characters, as they came (a U+FE0F or not). */
    public String text() {
        return text;
    }

    public Emoji emoji() {
        return emoji;
    }

    @Override
    public double getBaselineOffset() {
        return getFitHeight() * (1 - DESCENT);
    }
}
