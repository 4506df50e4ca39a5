package org.confab.ui.emoji;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.Screen;

/**
 * The composer's one completion list: {@code :shortcode:} emoji ({@code :thu} offers 👍) and
 * whatever other {@link Source}s the field is given (the room's {@code @nick} mentions, its
 * {@code /commands}), above the field (under it at the screen's top). Up/Down choose, Tab or
 * Enter put the choice in place of what is being typed, Escape closes. A complete
 * {@code :thumbsup:} is replaced as soon as its closing colon is typed. While the list shows,
 * Enter completes instead of reaching the composer's own Enter handling (its send), unless what
 * is typed is already the choice.
 */
public final class ShortcodeCompletion {
    /** At least this many letters after the colon before anything is offered. */
    static final int MIN_PREFIX = 2;

    /** The list is at most this many rows high; more scroll. */
    static final int MAX_SHOWN = 8;
    /** At most this many suggestions in all (every command, many members). */
    static final int MAX_OFFERED = 40;
    /** A row's height in the list: one line, or a line and its explanation. */
    private static final double ROW = 34;

    private static final double ROW_WITH_DETAIL = 46;

    private final TextInputControl field;
    private final EmojiText emojiText;
    private final List<Source> sources = new ArrayList<>();
    private final Popup popup = new Popup();
    private final ListView<Suggestion> list = new ListView<>();
    private Query query;
    private boolean accepting;
    /** The first row shown (the list scrolls when it has more than {@link #MAX_SHOWN}). */
    private int top;

    /** Where something completable is being typed: {@code text[start, end)}, and what after its sign. */
    public record Query(int start, int end, String prefix) {}

    /**
     * One row of the list: what it shows ({@code label}, an optional {@code detail} under it and a
     * graphic), and the {@code replacement} that takes the query's place; {@code emoji} when it is one.
     */
    public record Suggestion(String label, String detail, String replacement, Supplier<Node> graphic, Emoji emoji) {
        public static Suggestion of(String label, String detail, String replacement) {
            return new Suggestion(label, detail, replacement, null, null);
        }

        public boolean hasDetail() {
            return detail != null && !detail.isEmpty();
        }
    }

    /** A kind of completion: where in the text it applies, and what it offers there. */
    public interface Source {
        /** What is being typed just before {@code caret} that this source completes, if anything. */
        Optional<Query> query(String text, int caret);

        /** At most {@code max} suggestions for {@code q}, best first. */
        List<Suggestion> suggest(Query q, int max);
    }

    private ShortcodeCompletion(TextInputControl field, EmojiText emojiText) {
        this.field = field;
        this.emojiText = emojiText;
        sources.add(new Source() {
            @Override
            public Optional<Query> query(String text, int caret) {
                return ShortcodeCompletion.query(text, caret);
            }

            @Override
            public List<Suggestion> suggest(Query q, int max) {
                return emojiText.index().completions(q.prefix(), max).stream()
                        .map(e -> new Suggestion(e.shortCode(), null, e.text(), () -> emojiText.emoji(e, 20), e))
                        .toList();
            }
        });
        list.getStyleClass().addAll("emoji-completion", "completion-list");
        list.setId("completion");
        list.setFocusTraversable(false);
        list.setPrefWidth(260);
        list.setCellFactory(v -> new SuggestionCell());
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

    /** A row: the graphic, the label, and the detail in a smaller muted line under it. */
    private static final class SuggestionCell extends ListCell<Suggestion> {
        private final Label label = new Label();
        private final Label detail = new Label();
        private final VBox words = new VBox(1, label, detail);
        private final HBox row = new HBox(8, words);

        SuggestionCell() {
            label.getStyleClass().add("completion-label");
            detail.getStyleClass().add("completion-detail");
            label.setMinWidth(0);
            detail.setMinWidth(0);
            words.setMinWidth(0);
            words.setAlignment(Pos.CENTER_LEFT);
            row.setAlignment(Pos.CENTER_LEFT);
            row.setMinWidth(0);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(Suggestion s, boolean empty) {
            super.updateItem(s, empty);
            setText(null);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            Node g = s.graphic() == null ? null : s.graphic().get();
            row.getChildren().setAll(g == null ? List.of(words) : List.of(g, words));
            label.setText(s.label());
            detail.setText(s.hasDetail() ? s.detail() : "");
            detail.setVisible(s.hasDetail());
            detail.setManaged(s.hasDetail());
            setGraphic(row);
        }
    }

    /** Adds completion of emoji short codes to {@code field} (more sources with {@link #add}). */
    public static ShortcodeCompletion install(TextInputControl field, EmojiText emojiText) {
        return new ShortcodeCompletion(field, emojiText);
    }

    /** Completes what {@code source} knows too (asked after the sources before it). */
    public ShortcodeCompletion add(Source source) {
        sources.add(source);
        return this;
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
        if (colon > 0 && !startsWord(text, colon)) {
            return Optional.empty(); // "10:30", "http://x": not a short code
        }
        return Optional.of(new Query(colon, caret, text.substring(i, caret)));
    }

    /** True if a sign at {@code i} starts a word: at the start, after a space or an opening bracket or quote. */
    public static boolean startsWord(String text, int i) {
        return i == 0 || Character.isWhitespace(text.charAt(i - 1)) || "([{\"'".indexOf(text.charAt(i - 1)) >= 0;
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

    /** The emoji among the suggestions shown now. */
    public List<Emoji> suggestions() {
        return list.getItems().stream()
                .map(Suggestion::emoji)
                .filter(e -> e != null)
                .toList();
    }

    /** Every suggestion shown now, in order. */
    public List<Suggestion> shown() {
        return List.copyOf(list.getItems());
    }

    /** The suggestion Tab or Enter would take now (null: none). */
    public Suggestion selected() {
        return isShowing() ? list.getSelectionModel().getSelectedItem() : null;
    }

    /** The list (its window is the popup's). */
    public ListView<Suggestion> list() {
        return list;
    }

    /** The popup the list shows in. */
    public Popup popup() {
        return popup;
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
        query = null;
        List<Suggestion> found = List.of();
        for (Source s : sources) {
            Optional<Query> q = s.query(text, caret);
            if (q.isPresent()) {
                found = s.suggest(q.get(), MAX_OFFERED);
                if (!found.isEmpty()) {
                    query = q.get();
                    break;
                }
            }
        }
        if (found.isEmpty()) {
            popup.hide();
            return;
        }
        list.getItems().setAll(found);
        list.getSelectionModel().select(0);
        top = 0;
        list.scrollTo(0);
        boolean details = found.stream().anyMatch(Suggestion::hasDetail);
        list.setPrefWidth(details ? 440 : 260);
        double row = details ? ROW_WITH_DETAIL : ROW;
        list.setFixedCellSize(row); // every row as high: the list's height is known before it shows
        list.setPrefHeight(Math.min(found.size(), MAX_SHOWN) * row + 4);
        list.setMinHeight(Region.USE_PREF_SIZE);
        if (field.getScene() != null && field.getScene().getWindow() != null) {
            if (!popup.isShowing()) {
                list.getStylesheets().setAll(field.getScene().getStylesheets());
                list.getStylesheets().add(EmojiText.stylesheet());
            }
            place();
        }
    }

    /**
     * Above the field where the screen has room (a composer sits at the bottom of its window, as
     * in other messengers the list opens upwards), else under it.
     */
    private void place() {
        Bounds b = field.localToScreen(field.getBoundsInLocal());
        if (b == null) {
            return;
        }
        double h = list.getPrefHeight() + 2;
        double top = Screen.getScreensForRectangle(b.getMinX(), b.getMinY(), 1, 1).stream()
                .findFirst()
                .orElse(Screen.getPrimary())
                .getVisualBounds()
                .getMinY();
        double y = b.getMinY() - h - 4 >= top ? b.getMinY() - h - 4 : b.getMaxY() + 2;
        if (popup.isShowing()) {
            popup.setX(b.getMinX());
            popup.setY(y);
        } else {
            popup.show(field, b.getMinX(), y);
        }
    }

    private void key(KeyEvent e) {
        if (!popup.isShowing()) {
            return;
        }
        switch (e.getCode()) {
            case UP -> {
                list.getSelectionModel().selectPrevious();
                reveal();
            }
            case DOWN -> {
                list.getSelectionModel().selectNext();
                reveal();
            }
            case TAB, ENTER -> {
                Suggestion chosen = list.getSelectionModel().getSelectedItem();
                if (chosen == null || e.isShiftDown()) {
                    return;
                }
                if (e.getCode() == KeyCode.ENTER && typed(chosen)) {
                    popup.hide(); // "/back" typed whole: Enter sends it
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

    /** Scrolls the chosen row into view when the list is longer than it shows. */
    private void reveal() {
        int i = list.getSelectionModel().getSelectedIndex();
        if (list.getItems().size() <= MAX_SHOWN || i < 0) {
            return;
        }
        if (i < top) {
            top = i;
        } else if (i >= top + MAX_SHOWN) {
            top = i - MAX_SHOWN + 1;
        }
        list.scrollTo(top);
    }

    /** True if the text being completed is already {@code s}'s replacement (nothing to add). */
    private boolean typed(Suggestion s) {
        Query q = query;
        return q != null
                && q.end() <= field.getLength()
                && field.getText(q.start(), q.end()).equals(s.replacement().strip());
    }

    /** Puts {@code e} in place of the short code being typed. */
    public void accept(Emoji e) {
        accept(new Suggestion(e.shortCode(), null, e.text(), null, e));
    }

    /** Puts {@code s}'s replacement in place of what is being typed. */
    public void accept(Suggestion s) {
        Query q = query;
        popup.hide();
        if (q == null || q.end() > field.getLength()) {
            return;
        }
        String r = s.replacement();
        int caret = q.start() + r.length();
        if (r.endsWith(" ")
                && q.end() < field.getLength()
                && Character.isWhitespace(field.getText().charAt(q.end()))) {
            r = r.substring(0, r.length() - 1); // a space follows already: after it, not a second one
        }
        accepting = true;
        try {
            field.replaceText(q.start(), q.end(), r);
            field.positionCaret(caret);
        } finally {
            accepting = false;
        }
        query = null;
    }
}
