package org.confab.ui.room;

import java.util.List;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import org.confab.ui.emoji.EmojiFlow;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.markdown.MarkdownText;

/**
 * The draft as its bubble will show it (Markdown drawn as text nodes, emoji as images), above the
 * composer while "Preview formatting" is on: as high as it needs up to {@link #MAX_HEIGHT}, then it
 * scrolls. Redrawn once per pulse however fast the person types (a pending {@code runLater}).
 */
final class ComposerPreview {
    static final double MAX_HEIGHT = 132;
    static final String EMPTY = "Formatting shows here as you type: **bold**, _italic_, `code`, > quotes, - lists.";

    private final TextInputControl input;
    private final MarkdownText markdown;
    private final Font font;
    private final VBox content = new VBox();
    private final ScrollPane node = new ScrollPane(content);
    private final Label placeholder = new Label(EMPTY);
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
                .addListener((o, was, h) -> node.setPrefViewportHeight(Math.min(h.doubleValue(), MAX_HEIGHT - 16)));
        node.visibleProperty().bind(shown);
        node.managedProperty().bind(shown);
        input.textProperty().addListener((o, was, now) -> later());
        shown.addListener((o, was, now) -> later());
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
            List<Node> nodes = EmojiText.standard().messageNodes(draft, font, "md-text");
            flow.setContent(nodes);
            content.getChildren().setAll(flow);
        }
    }
}
