package org.confab.ui.emoji;

import atlantafx.base.controls.SelectableTextFlow;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.text.Text;

/**
 * AtlantaFX's selectable text flow (what a chat bubble is) that also holds emoji images: a drag
 * selects across text and emoji, and the selection copies as the original characters, emoji
 * sequences included. A TextFlow counts each inline node as one character; this flow stands a
 * placeholder character in for each emoji in the content it selects from and puts the emoji's
 * own characters back in what it copies.
 */
public class EmojiFlow extends SelectableTextFlow {
    /** Placeholders are private-use characters that the flow's own text does not use. */
    private static final char PRIVATE_USE = '\uE000';

    private static final char PRIVATE_USE_END = '\uF8FF';

    private char base = PRIVATE_USE;

    public EmojiFlow() {
        getStyleClass().add("emoji-flow");
    }

    /** Shows {@code nodes} (Text runs and {@link EmojiView}s, e.g. from {@link EmojiText}), clearing any selection. */
    public void setContent(List<? extends Node> nodes) {
        clearSelection();
        List<Node> keep = new ArrayList<>();
        for (Node n : getChildren()) {
            if (!(n instanceof Text) && !(n instanceof EmojiView)) {
                keep.add(n); // the selection's own highlight path
            }
        }
        getChildren().setAll(keep);
        getChildren().addAll(0, nodes);
        pickBase();
    }

    /** The shown text as its original characters. */
    public String originalText() {
        return EmojiText.originalText(getChildren());
    }

    private void pickBase() {
        int emoji = 0;
        StringBuilder text = new StringBuilder();
        for (Node n : getChildren()) {
            if (n instanceof EmojiView) {
                emoji++;
            } else if (n instanceof Text t) {
                text.append(t.getText());
            }
        }
        char b = PRIVATE_USE;
        search:
        while (b + emoji <= PRIVATE_USE_END) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= b && c < b + emoji) {
                    b = (char) (c + 1);
                    continue search;
                }
            }
            break;
        }
        base = b;
    }

    @Override
    protected StringBuilder getContent() {
        StringBuilder b = new StringBuilder();
        int k = 0;
        for (Node n : getChildren()) {
            if (n instanceof Text t) {
                b.append(t.getText());
            } else if (n instanceof EmojiView) {
                b.append((char) (base + k++));
            }
        }
        return b;
    }

    @Override
    protected int getContentLength() {
        int len = 0;
        for (Node n : getChildren()) {
            if (n instanceof Text t) {
                len += t.getText().length();
            } else if (n instanceof EmojiView) {
                len++;
            }
        }
        return len;
    }

    @Override
    public String getContentAsString() {
        return originalText();
    }

    @Override
    public String getSelectedRangeAsString() {
        String placeholders = super.getSelectedRangeAsString();
        if (placeholders == null || placeholders.isEmpty()) {
            return placeholders;
        }
        List<EmojiView> emoji = new ArrayList<>();
        for (Node n : getChildren()) {
            if (n instanceof EmojiView e) {
                emoji.add(e);
            }
        }
        StringBuilder b = new StringBuilder(placeholders.length() + 8);
        for (int i = 0; i < placeholders.length(); i++) {
            char c = placeholders.charAt(i);
            int k = c - base;
            if (k >= 0 && k < emoji.size()) {
                b.append(emoji.get(k).text());
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
