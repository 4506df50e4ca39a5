package org.confab.ui.emoji;

import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.stage.Popup;

/**
 * {@code :shortcode:} completion for a text field or area: typing {@code :thu} offers 👍 and the
 * others whose codes start so, in a small list under the caret's line; Up/Down choose, Tab or
 * Enter put the emoji in place of {@code :thu}, Escape closes. A complete {@code :thumbsup:} is
 * replaced as soon as its closing colon is typed. While the list shows, Enter completes instead of
 * reaching the composer's own Enter handling (its send).
 */
public final class ShortcodeCompletion {
    /** At least this many letters after the colon before anything is offered. */
    static final int MIN_PREFIX = 2;

    static final int MAX_SHOWN = 8;

    private final TextInputControl field;
    private final EmojiText emojiText;
    private final Popup popup = new Popup();
    private final ListView<Emoji> list = new ListView<>();
    private Query query;
    private boolean accepting;

    /** Where a short code is being typed: {@code text[start, end)} is {@code ":" + prefix}. */
    public record Query(int start, int end, String prefix) {}

    private ShortcodeCompletion(TextInputControl field, EmojiText emojiText) {
        this.field = field;
        this.emojiText = emojiText;
        list.getStyleClass().add("emoji-completion");
        list.setId("emojiCompletion");
        list.setFocusTraversable(false);
        list.setPrefWidth(260);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Emoji e, boolean empty) {
                super.updateItem(e, empty);
                if (empty || e == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setGraphic(emojiText.emoji(e, 20));
                    setText(e.shortCode());
                }
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && list.getSelectionModel().getSelectedItem() != null) {
                accept(list.getSelectionModel().getSelectedItem());
            }
        });
        popup.getContent().add(list);
        popup.setAutoHide(true);
        field.caretPositionProperty().addListener((o, a, b) -> update());
        field.textProperty().addListener((o, a, b) -> update());
        field.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                popup.hide();
            }
        });
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
    }

    /** Adds completion to {@code field}. */
    public static ShortcodeCompletion install(TextInputControl field, EmojiText emojiText) {
        return new ShortcodeCompletion(field, emojiText);
    }

    /** The short code being typed just before {@code caret}, if any: {@code ":thu"} after a space or at the start. */
    public static Optional<Query> query(String text, int caret) {
        int i = caret;
        while (i > 0 && isCodeChar(text.charAt(i - 1))) {
            i--;
        }
        if (i == 0 || text.charAt(i - 1) != ':' || caret - i < MIN_PREFIX) {
            return Optional.empty();
        }
        int colon = i - 1;
        if (colon > 0
                && !Character.isWhitespace(text.charAt(colon - 1))
                && "([{\"'".indexOf(text.charAt(colon - 1)) < 0) {
            return Optional.empty(); // "10:30", "http://x": not a short code
        }
        return Optional.of(new Query(colon, caret, text.substring(i, caret)));
    }

    private static boolean isCodeChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '+'
                || c == '-';
    }

    /** Whether the suggestions show. */
    public boolean isShowing() {
        return popup.isShowing();
    }

    /** The suggestions shown now. */
    public List<Emoji> suggestions() {
        return List.copyOf(list.getItems());
    }

    private void update() {
        String text = field.getText();
        int caret = field.getCaretPosition();
        if (accepting
                || text == null
                || caret > text.length()
                || field.getSelection().getLength() > 0) {
            popup.hide();
            return;
        }
        // a closing colon after a known code: replace at once
        if (caret >= 2 && text.charAt(caret - 1) == ':') {
            Optional<Query> closed = query(text, caret - 1);
            if (closed.isPresent()) {
                Optional<Emoji> exact =
                        emojiText.index().byShortCode(closed.get().prefix());
                if (exact.isPresent()) {
                    query = new Query(closed.get().start(), caret, closed.get().prefix());
                    // not inside the text listener's own change
                    Platform.runLater(() -> accept(exact.get()));
                    return;
                }
            }
        }
        query = query(text, caret).orElse(null);
        List<Emoji> found = query == null ? List.of() : emojiText.index().completions(query.prefix(), MAX_SHOWN);
        if (found.isEmpty()) {
            popup.hide();
            return;
        }
        list.getItems().setAll(found);
        list.getSelectionModel().select(0);
        list.setPrefHeight(Math.min(found.size(), MAX_SHOWN) * 30 + 4);
        if (!popup.isShowing() && field.getScene() != null && field.getScene().getWindow() != null) {
            list.getStylesheets().setAll(field.getScene().getStylesheets());
            list.getStylesheets().add(EmojiText.stylesheet());
            Bounds b = field.localToScreen(field.getBoundsInLocal());
            popup.show(field, b.getMinX(), b.getMaxY() + 2);
        }
    }

    private void key(KeyEvent e) {
        if (!popup.isShowing()) {
            return;
        }
        switch (e.getCode()) {
            case UP -> list.getSelectionModel().selectPrevious();
            case DOWN -> list.getSelectionModel().selectNext();
            case TAB, ENTER -> {
                Emoji chosen = list.getSelectionModel().getSelectedItem();
                if (chosen == null || e.isShiftDown()) {
                    return;
                }
                accept(chosen);
            }
            case ESCAPE -> popup.hide();
            default -> {
                return;
            }
        }
        e.consume();
    }

    /** Puts {@code e} in place of the short code being typed. */
    public void accept(Emoji e) {
        Query q = query;
        popup.hide();
        if (q == null || q.end() > field.getLength()) {
            return;
        }
        accepting = true;
        try {
            field.replaceText(q.start(), q.end(), e.text());
            field.positionCaret(q.start() + e.text().length());
        } finally {
            accepting = false;
        }
        query = null;
    }
}
