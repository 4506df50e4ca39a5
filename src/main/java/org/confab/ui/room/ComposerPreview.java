package org.confab.ui.room;

import java.util.List;
import javafx.application.Platform;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import org.confab.ui.emoji.EmojiFlow;
import org.confab.ui.markdown.MarkdownText;

/**
 * The draft as its bubble will show it (Markdown drawn as text nodes, emoji as images), above the
 * composer while "Preview formatting" is on, and whenever the draft holds an emoji: JavaFX's
 * TextArea draws colour emoji as blank boxes on Linux, so the strip is where they are seen while
 * the composer keeps the original characters (what is sent and copied). As high as it needs up to
 * {@link #MAX_HEIGHT}, then it scrolls. Redrawn once per pulse however fast the person types (a
 * pending {@code runLater}).
 */
final class ComposerPreview {
    static final double MAX_HEIGHT = 132;
    static final String EMPTY = "Formatting shows here as you type: **bold**, _italic_, `code`, > quotes, - lists.";

    private final TextInputControl input;
    private final MarkdownText markdown;
    private final Font font;
    private final VBox content = new VBox();
    /**
     * Never asks for more than {@link #MAX_HEIGHT}: its minimum is its preferred height (so the
     * composer does not squash it), and a ScrollPane whose preferred viewport height is not set
     * yet (0: before the drawn draft's height is known, or after an empty one) prefers its whole
     * content's height; with the minimum at that, the bound did not hold for one layout pass (a
     * 40-line draft gave a 709 px strip in ComposerUiTest on a loaded CI run).
     */
    private final ScrollPane node = new ScrollPane(content) {
        @Override
        protected double computePrefHeight(double width) {
            return Math.min(super.computePrefHeight(width), MAX_HEIGHT);
        }
    };

    private final Label placeholder = new Label(EMPTY);
    /** The draft holds an emoji (the strip shows even with the toggle off). */
    private final BooleanProperty hasEmoji = new SimpleBooleanProperty(this, "hasEmoji", false);

    private boolean pending;

    ComposerPreview(TextInputControl input, MarkdownText markdown, Font font, BooleanProperty shown) {
        this.input = input;
        this.markdown = markdown;
        this.font = font;
        node.setId("composerPreview");
        node.getStyleClass().add("composer-preview");
        node.setFitToWidth(true);
        node.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        node.setMaxHeight(MAX_HEIGHT);
        node.setMinHeight(Region.USE_PREF_SIZE);
        node.setFocusTraversable(false);
        content.getStyleClass().add("composer-preview-content");
        placeholder.getStyleClass().add("composer-preview-empty");
        placeholder.setWrapText(true);
        // as high as the drawn draft, up to the bound
        content.heightProperty()
                // (the viewport, less the padding 6 + 6 and the border 1 + 1)
                .addListener((o, was, h) -> {
                    double bound = MAX_HEIGHT - 16;
                    node.setPrefViewportHeight(Math.min(h.doubleValue(), bound));
                    // a scroll bar only past the bound (not for a fraction of a pixel of an emoji line)
                    node.setVbarPolicy(
                            h.doubleValue() > bound + 0.5
                                    ? ScrollPane.ScrollBarPolicy.AS_NEEDED
                                    : ScrollPane.ScrollBarPolicy.NEVER);
                });
        BooleanBinding visible = shown.or(hasEmoji);
        node.visibleProperty().bind(visible);
        node.managedProperty().bind(visible);
        input.textProperty().addListener((o, was, now) -> {
            hasEmoji.set(now != null && markdown.emoji().index().containsEmoji(now));
            later();
        });
        hasEmoji.set(input.getText() != null && markdown.emoji().index().containsEmoji(input.getText()));
        visible.addListener((o, was, now) -> later());
        later();
    }

    Node node() {
        return node;
    }

    /** What the preview shows now: the drawn draft's blocks, or the placeholder. */
    Node shown() {
        return content.getChildren().isEmpty() ? null : content.getChildren().getFirst();
    }

    private void later() {
        if (!pending && node.isVisible()) {
            pending = true;
            Platform.runLater(this::render);
        }
    }

    private void render() {
        pending = false;
        if (!node.isVisible()) {
            return;
        }
        String draft = input.getText() == null ? "" : input.getText();
        if (draft.isBlank()) {
            content.getChildren().setAll(placeholder);
            return;
        }
        if (ChatCell.looksFormatted(draft)) {
            VBox blocks = markdown.render(draft);
            blocks.getStyleClass().add("preview-md");
            content.getChildren().setAll(blocks);
        } else {
            EmojiFlow flow = new EmojiFlow();
            flow.getStyleClass().add("preview-md");
            List<Node> nodes = markdown.emoji().messageNodes(draft, font, "md-text");
            flow.setContent(nodes);
            content.getChildren().setAll(flow);
        }
    }
}
