package org.confab.ui.emoji;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Bounds;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;

/**
 * The emoji picker: a popup with a search field (by name or short code), the categories and the
 * recently used ones, a skin tone choice, and a grid of emoji. Keyboard: type to search, arrows
 * move in the grid, Enter picks, Page Up/Down change category, Escape closes. The chosen emoji (in
 * the chosen tone) goes to the caller's callback; the same picker serves the composer and reactions.
 */
public final class EmojiPicker {
    /** Ctrl+. opens the picker from a text field ({@link #attach}). */
    public static final KeyCombination SHORTCUT = new KeyCodeCombination(KeyCode.PERIOD, KeyCombination.SHORTCUT_DOWN);

    public static final String RECENT = "Recently used";
    static final int COLUMNS = 9;
    private static final double CELL_EMOJI = 26;
    private static final int SEARCH_LIMIT = 200;

    private final EmojiText emojiText;
    private final EmojiIndex index;
    private final PickerMemory memory;
    private final Popup popup = new Popup();
    private final VBox root = new VBox(6);
    private final TextField search = new TextField();
    private final HBox tones = new HBox(2);
    private final HBox categories = new HBox(2);
    private final ToggleGroup categoryGroup = new ToggleGroup();
    private final TilePane grid = new TilePane();
    private final ScrollPane scroll = new ScrollPane(grid);
    private final Label status = new Label(" ");
    private final List<Emoji> shown = new ArrayList<>();
    private int active = -1;
    private String category;
    private Consumer<String> onPick = s -> {};

    public EmojiPicker(EmojiText emojiText, PickerMemory memory) {
        this.emojiText = emojiText;
        this.index = emojiText.index();
        this.memory = memory;
        root.getStyleClass().add("emoji-picker");
        root.setId("emojiPicker");
        search.setId("emojiSearch");
        search.setPromptText("Search emoji");
        HBox.setHgrow(search, Priority.ALWAYS);
        HBox top = new HBox(6, search, tones);
        top.setAlignment(Pos.CENTER_LEFT);
        buildTones();
        buildCategories();
        grid.setPrefColumns(COLUMNS);
        grid.setHgap(2);
        grid.setVgap(2);
        grid.getStyleClass().add("emoji-grid");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setPrefViewportHeight(6 * 36);
        scroll.getStyleClass().add("emoji-scroll");
        status.getStyleClass().add("emoji-status");
        status.setMaxWidth(Double.MAX_VALUE);
        root.getChildren().addAll(top, categories, scroll, status);
        root.setPrefWidth(COLUMNS * 36 + 30);
        search.textProperty().addListener((o, a, b) -> refresh());
        root.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        popup.getContent().add(root);
        popup.setAutoHide(true);
        popup.setHideOnEscape(true);
        showCategory(memory.recent().isEmpty() ? index.categories().getFirst() : RECENT);
    }

    /** The picker's content (for tests and for hosting it elsewhere than in its popup). */
    public VBox content() {
        return root;
    }

    public boolean isShowing() {
        return popup.isShowing();
    }

    /** Shows the picker above {@code anchor}; {@code onPick} gets the chosen emoji's characters. */
    public void show(Node anchor, Consumer<String> onPick) {
        this.onPick = onPick;
        search.clear();
        root.getStylesheets().setAll(anchor.getScene().getStylesheets());
        root.getStylesheets().add(EmojiText.stylesheet());
        if (anchor.getScene().getRoot() != null) {
            root.getStyleClass().removeAll("theme-dark", "theme-light");
            anchor.getScene().getRoot().getStyleClass().stream()
                    .filter(c -> c.equals("theme-dark") || c.equals("theme-light"))
                    .forEach(root.getStyleClass()::add);
        }
        showCategory(memory.recent().isEmpty() ? categoryOr(index.categories().getFirst()) : RECENT);
        Bounds b = anchor.localToScreen(anchor.getBoundsInLocal());
        popup.show(anchor, b.getMinX(), b.getMinY());
        // above the anchor, once its height is known
        popup.setY(b.getMinY() - root.getHeight() - 4);
        search.requestFocus();
    }

    private String categoryOr(String fallback) {
        return category != null && !category.equals(RECENT) ? category : fallback;
    }

    public void hide() {
        popup.hide();
    }

    /**
     * Wires the picker to a composer: {@code button} and Ctrl+. in {@code field} open it, and the
     * chosen emoji replaces the field's selection (or goes in at the caret).
     */
    public void attach(TextInputControl field, ButtonBase button) {
        Consumer<String> insert = s -> {
            field.replaceSelection(s);
            field.requestFocus();
        };
        if (button != null) {
            button.setOnAction(e -> show(button, insert));
        }
        field.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (SHORTCUT.match(e)) {
                e.consume();
                show(button != null ? button : field, insert);
            }
        });
    }

    private void buildTones() {
        ToggleGroup group = new ToggleGroup();
        Emoji hand = index.byShortCode("hand")
                .or(() -> index.byShortCode("raised_hand"))
                .orElse(null);
        for (SkinTone t : SkinTone.values()) {
            ToggleButton b = new ToggleButton();
            b.setToggleGroup(group);
            b.getStyleClass().add("emoji-tone");
            b.setUserData(t);
            b.setId("emojiTone" + t.name());
            b.setFocusTraversable(false);
            if (hand != null) {
                b.setGraphic(emojiText.emoji(hand.withTone(t), 16));
            }
            b.setTooltip(new Tooltip(t.label()));
            b.setAccessibleText("Skin tone: " + t.label());
            b.setSelected(t == memory.tone());
            b.setOnAction(e -> {
                b.setSelected(true);
                memory.tone(t);
                refresh();
            });
            tones.getChildren().add(b);
        }
    }

    private void buildCategories() {
        List<String> names = new ArrayList<>();
        names.add(RECENT);
        names.addAll(index.categories());
        for (String c : names) {
            ToggleButton b = new ToggleButton();
            b.setToggleGroup(categoryGroup);
            b.setUserData(c);
            b.getStyleClass().add("emoji-category");
            b.setFocusTraversable(false);
            Emoji icon = c.equals(RECENT)
                    ? index.byShortCode("clock3").orElse(null)
                    : index.inCategory(c).stream().findFirst().orElse(null);
            if (icon != null) {
                b.setGraphic(emojiText.emoji(icon, 18));
            }
            b.setTooltip(new Tooltip(c));
            b.setAccessibleText(c);
            b.setOnAction(e -> {
                search.clear();
                showCategory(c);
            });
            categories.getChildren().add(b);
        }
    }

    /** Shows one category ({@link #RECENT} or one of {@link EmojiIndex#categories()}). */
    public void showCategory(String name) {
        category = name;
        categoryGroup.getToggles().forEach(t -> t.setSelected(name.equals(t.getUserData())));
        refresh();
    }

    /** The category shown (the search results replace it while there is a query). */
    public String category() {
        return category;
    }

    /** The emoji in the grid now, in order, in the chosen tone. */
    public List<Emoji> shown() {
        return List.copyOf(shown);
    }

    /** The highlighted one (Enter picks it), or null. */
    public Emoji active() {
        return active >= 0 && active < shown.size() ? shown.get(active) : null;
    }

    private void refresh() {
        String q = search.getText().trim();
        List<Emoji> list;
        if (!q.isEmpty()) {
            list = index.search(q, SEARCH_LIMIT);
        } else if (RECENT.equals(category)) {
            list = new ArrayList<>();
            for (String r : memory.recent()) {
                index.of(r).ifPresent(list::add);
            }
        } else {
            list = index.inCategory(category);
        }
        SkinTone tone = memory.tone();
        shown.clear();
        List<Node> cells = new ArrayList<>(list.size());
        for (Emoji e : list) {
            // a recent emoji keeps the tone it was used in
            Emoji toned = RECENT.equals(category) && q.isEmpty() ? e : e.withTone(tone);
            int i = shown.size();
            shown.add(toned);
            Label cell = new Label(null, emojiText.emoji(toned, CELL_EMOJI));
            cell.getStyleClass().add("emoji-cell");
            cell.setAccessibleText(toned.name());
            cell.setOnMouseEntered(ev -> activate(i));
            cell.setOnMouseClicked(ev -> {
                if (ev.getButton() == MouseButton.PRIMARY) {
                    pick(toned);
                }
            });
            cells.add(cell);
        }
        grid.getChildren().setAll(cells);
        scroll.setVvalue(0);
        active = -1;
        activate(shown.isEmpty() ? -1 : 0);
        if (shown.isEmpty()) {
            status.setText(q.isEmpty() ? "Nothing used yet" : "No emoji found");
        }
    }

    private void activate(int i) {
        if (active >= 0 && active < grid.getChildren().size()) {
            grid.getChildren().get(active).getStyleClass().remove("active");
        }
        active = i;
        if (i >= 0 && i < grid.getChildren().size()) {
            Node cell = grid.getChildren().get(i);
            cell.getStyleClass().add("active");
            Emoji e = shown.get(i);
            status.setText(e.shortCode() + "  " + e.name());
            ensureVisible(cell);
        }
    }

    private void ensureVisible(Node cell) {
        double h = grid.getHeight();
        double view = scroll.getViewportBounds().getHeight();
        if (h <= view || view <= 0) {
            return;
        }
        double y = cell.getBoundsInParent().getMinY();
        double top = scroll.getVvalue() * (h - view);
        if (y < top) {
            scroll.setVvalue(y / (h - view));
        } else if (y + cell.getBoundsInParent().getHeight() > top + view) {
            scroll.setVvalue(Math.min(1, (y + cell.getBoundsInParent().getHeight() - view) / (h - view)));
        }
    }

    private void key(KeyEvent e) {
        int n = shown.size();
        switch (e.getCode()) {
            case LEFT -> move(-1, n);
            case RIGHT -> move(1, n);
            case UP -> move(-COLUMNS, n);
            case DOWN -> move(COLUMNS, n);
            case PAGE_UP -> nextCategory(-1);
            case PAGE_DOWN -> nextCategory(1);
            case ENTER -> {
                if (active() != null) {
                    pick(active());
                }
            }
            case ESCAPE -> hide();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void move(int by, int n) {
        if (n == 0) {
            return;
        }
        int to = active < 0 ? 0 : active + by;
        if (to >= 0 && to < n) {
            activate(to);
        }
    }

    private void nextCategory(int by) {
        List<String> names = new ArrayList<>();
        names.add(RECENT);
        names.addAll(index.categories());
        int i = Math.max(0, names.indexOf(category));
        search.clear();
        showCategory(names.get(Math.floorMod(i + by, names.size())));
    }

    /** Chooses {@code e}: remembered as recent, handed to the callback, the popup closed. */
    public void pick(Emoji e) {
        memory.used(e.text());
        hide();
        onPick.accept(e.text());
    }
}
