package org.confab.ui.emoji;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * A selectable text flow that holds text and emoji images (a chat bubble): drag to select across
 * both, double-click for a word, triple-click for all; the selection copies as the original
 * characters, emoji sequences included. Positions are the flow's own: each Text character counts
 * one, each inline node (an emoji) counts one, as {@link TextFlow#hitTest} and
 * {@link TextFlow#rangeShape} count them. Replaces AtlantaFX's {@code SelectableTextFlow}, whose
 * selection counts only Text characters (off by one after each emoji).
 */
public class EmojiFlow extends TextFlow {
    private final Path highlight = new Path();
    private int anchor = -1;
    private int start;
    private int end;
    private ContextMenu contextMenu;

    public EmojiFlow() {
        getStyleClass().add("emoji-flow");
        highlight.getStyleClass().add("selection");
        highlight.setManaged(false);
        highlight.setMouseTransparent(true);
        highlight.setViewOrder(1); // behind the text
        highlight.setStrokeWidth(0);
        highlight.setStyle("-fx-fill: -color-accent-subtle; -fx-stroke: transparent;");
        getChildren().add(highlight);
        setCursor(Cursor.TEXT);
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && anchor >= 0) {
                int at = indexAt(e.getX(), e.getY());
                select(Math.min(anchor, at), Math.max(anchor, at));
            }
        });
        addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            if (contextMenu != null) {
                contextMenu.show(this, e.getScreenX(), e.getScreenY());
                e.consume();
            }
        });
        widthProperty().addListener((o, a, b) -> redraw());
    }

    /** Shows {@code nodes} (Text runs and {@link EmojiView}s, e.g. from {@link EmojiText}), clearing any selection. */
    public void setContent(List<? extends Node> nodes) {
        clearSelection();
        getChildren().setAll(highlight);
        getChildren().addAll(nodes);
    }

    public void setContextMenu(ContextMenu menu) {
        contextMenu = menu;
    }

    /** The shown text as its original characters. */
    public String originalText() {
        return text(0, length());
    }

    /** The selected part as its original characters ("" when nothing is selected). */
    public String selectedText() {
        return start < end ? text(start, end) : "";
    }

    public int selectionStart() {
        return start;
    }

    public int selectionEnd() {
        return end;
    }

    /** Hands the selection (or, with none, the whole text) to {@code copy}: a {@code TextClipboard::copy}. */
    public void copySelection(Consumer<String> copy) {
        copy.accept(start < end ? selectedText() : originalText());
    }

    public void selectAll() {
        select(0, length());
    }

    public void clearSelection() {
        select(0, 0);
        anchor = -1;
    }

    /** Selects flow positions {@code [from, to)} (clamped). */
    public void select(int from, int to) {
        int len = length();
        start = Math.clamp(Math.min(from, to), 0, len);
        end = Math.clamp(Math.max(from, to), 0, len);
        redraw();
    }

    /** The flow's length in its own positions. */
    public int length() {
        int n = 0;
        for (Node c : getChildren()) {
            n += size(c);
        }
        return n;
    }

    private int size(Node c) {
        if (c == highlight) {
            return 0;
        }
        return c instanceof Text t ? t.getText().length() : 1;
    }

    private String text(int from, int to) {
        StringBuilder b = new StringBuilder();
        boolean toEnd = to >= length();
        int pos = 0;
        for (Node c : getChildren()) {
            int n = size(c);
            int a = Math.max(from, pos);
            int z = Math.min(to, pos + n);
            if (n == 0
                    && c instanceof Text t
                    && t.getUserData() instanceof HiddenChars h
                    && from <= pos
                    && (pos < to || toEnd)) {
                b.append(h.original()); // a run of hidden characters only, inside the selection
            } else if (a < z) {
                if (c instanceof Text t && t.getUserData() instanceof HiddenChars h) {
                    b.append(h.original(a - pos, z - pos)); // shown without its invisible characters
                } else if (c instanceof Text t && t.getUserData() instanceof String original) {
                    b.append(original); // a marker shown for a character (a direction control): that character
                } else if (c instanceof Text t) {
                    b.append(t.getText(), a - pos, z - pos);
                } else if (c instanceof EmojiView e) {
                    b.append(e.text());
                }
            }
            pos += n;
        }
        return b.toString();
    }

    private void redraw() {
        if (start < end) {
            highlight.getElements().setAll(rangeShape(start, end));
        } else {
            highlight.getElements().clear();
        }
    }

    private int indexAt(double x, double y) {
        return Math.clamp(hitTest(new Point2D(x, y)).getInsertionIndex(), 0, length());
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        int at = indexAt(e.getX(), e.getY());
        switch (e.getClickCount()) {
            case 1 -> {
                anchor = at;
                select(at, at);
            }
            case 2 -> selectWord(at);
            default -> selectAll();
        }
    }

    private void selectWord(int at) {
        String flat = flat();
        int a = Math.min(at, flat.length());
        int z = a;
        while (a > 0 && Character.isLetterOrDigit(flat.charAt(a - 1))) {
            a--;
        }
        while (z < flat.length() && Character.isLetterOrDigit(flat.charAt(z))) {
            z++;
        }
        if (a == z && z < flat.length()) {
            z++; // an emoji or a sign: itself
        }
        anchor = a;
        select(a, z);
    }

    /** The flow's positions as characters (each inline node as U+FFFC). */
    private String flat() {
        StringBuilder b = new StringBuilder();
        for (Node c : getChildren()) {
            if (c instanceof Text t) {
                b.append(t.getText());
            } else if (c != highlight) {
                b.append('\uFFFC');
            }
        }
        return b.toString();
    }

    /** The Text and emoji children, without the selection's highlight. */
    public List<Node> content() {
        List<Node> out = new ArrayList<>(getChildren());
        out.remove(highlight);
        return out;
    }
}
