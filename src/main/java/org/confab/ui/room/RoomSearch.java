package org.confab.ui.room;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.Duration;
import org.confab.core.ChatMessage;
import org.confab.ui.common.ErrorHandler;

/**
 * The room's search (Ctrl+F): a field in the header, a panel of hits below it. Searches what this
 * member has seen (the history cache) a moment after typing stops, shows the newest hits first,
 * and drops answers to older queries. Enter or a click on a hit shows it in the message list.
 */
final class RoomSearch {
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final DateTimeFormatter HIT_TIME =
            DateTimeFormatter.ofPattern("d MMM HH:mm").withZone(ZoneId.systemDefault());

    private final RoomViewModel vm;
    private final TextField field;
    private final VBox panel;
    private final Label title;
    private final ListView<ChatMessage> results;
    private final IntConsumer showRow;
    private final Runnable closed;
    private final PauseTransition delay = new PauseTransition(Duration.millis(220));
    /** The query whose results are shown or awaited (older answers are dropped). */
    private String searching = "";

    /**
     * @param root    where Ctrl+F is heard
     * @param showRow shows a row of the message list (a hit)
     * @param closed  after the search closes (Escape): the view puts the focus back in the composer
     */
    RoomSearch(
            RoomViewModel vm,
            Node root,
            TextField field,
            VBox panel,
            Label title,
            ListView<ChatMessage> results,
            IntConsumer showRow,
            Runnable closed) {
        this.vm = vm;
        this.field = field;
        this.panel = panel;
        this.title = title;
        this.results = results;
        this.showRow = showRow;
        this.closed = closed;
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (FIND.match(e)) {
                e.consume();
                field.requestFocus();
                field.selectAll();
            }
        });
        field.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                close();
            } else if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                delay.stop();
                run();
            } else if (e.getCode() == KeyCode.DOWN && !results.getItems().isEmpty()) {
                e.consume();
                results.requestFocus();
                results.getSelectionModel().selectFirst();
            }
        });
        delay.setOnFinished(e -> run());
        field.textProperty().addListener((o, was, now) -> {
            if (now.isBlank()) {
                delay.stop();
                show(false);
            } else {
                delay.playFromStart();
            }
        });
        results.setCellFactory(l -> new HitCell());
        Label none = new Label("No messages found.");
        none.getStyleClass().add("list-placeholder");
        results.setPlaceholder(none);
        results.setOnMouseClicked(e -> reveal(results.getSelectionModel().getSelectedItem()));
        results.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                reveal(results.getSelectionModel().getSelectedItem());
            } else if (e.getCode() == KeyCode.ESCAPE) {
                close();
            }
        });
    }

    private void run() {
        String q = field.getText().strip();
        if (q.isEmpty()) {
            show(false);
            return;
        }
        searching = q;
        title.setText("Searching “" + q + "”…");
        show(true);
        vm.search(q)
                .whenComplete((hits, error) -> Platform.runLater(() -> {
                    if (!q.equals(searching) || field.getText().isBlank()) {
                        return; // a newer query is on its way, or the search was closed
                    }
                    if (error != null) {
                        results.getItems().clear();
                        title.setText("Search failed: " + ErrorHandler.friendly(error));
                        return;
                    }
                    results.getProperties().put("query", q);
                    results.getItems().setAll(hits);
                    title.setText(
                            hits.isEmpty()
                                    ? "No results for “" + q + "”"
                                    : hits.size() + (hits.size() == 1 ? " result" : " results") + " for “" + q + "”");
                }));
    }

    private void show(boolean shown) {
        panel.setVisible(shown);
        panel.setManaged(shown);
        if (!shown) {
            searching = "";
            results.getItems().clear();
        }
    }

    /** Scrolls the message list to a search hit, if it is in the list (else says so). */
    private void reveal(ChatMessage hit) {
        if (hit == null) {
            return;
        }
        int i = vm.indexOfSeq(hit.seq());
        if (i < 0) {
            title.setText("That message is older than the ones shown here.");
            return;
        }
        showRow.accept(i);
    }

    /** Clears the query and hides the panel (Escape, the panel's close button). */
    void close() {
        field.clear();
        show(false);
        closed.run();
    }

    /** One search hit: sender and time, then the text with the first matching word in bold. Plain text only. */
    private final class HitCell extends ListCell<ChatMessage> {
        private final Label name = new Label();
        private final Label time = new Label();
        private final Region gap = new Region();
        private final HBox head = new HBox(6, name, gap, time);
        private final TextFlow text = new TextFlow();
        private final VBox box = new VBox(3, head, text);

        HitCell() {
            name.getStyleClass().add("search-hit-name");
            name.setMinWidth(0);
            time.getStyleClass().add("search-hit-time");
            time.setMinWidth(Region.USE_PREF_SIZE);
            HBox.setHgrow(gap, Priority.ALWAYS);
            setPrefWidth(0);
            text.setMaxHeight(80);
        }

        @Override
        protected void updateItem(ChatMessage m, boolean empty) {
            super.updateItem(m, empty);
            setText(null);
            if (empty || m == null) {
                setGraphic(null);
                return;
            }
            name.setText(m.sender());
            name.setStyle("-fx-text-fill: " + NickColors.hex(vm.colourSeed(m.sender())) + ";");
            time.setText(HIT_TIME.format(m.time()));
            String query = getListView() == null
                    ? ""
                    : String.valueOf(getListView().getProperties().get("query"));
            text.getChildren().setAll(highlight(clip(m.text()), query));
            setAccessibleText(m.sender() + ", " + time.getText() + ": " + m.text());
            setGraphic(box);
        }

        private static String clip(String s) {
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        }
    }

    /** Text nodes for {@code s} with every occurrence of each query word in bold (case-insensitive). */
    static List<Text> highlight(String s, String query) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.length() != s.length()) {
            return List.of(styled(s, "search-hit-text")); // case folding changed lengths: no safe offsets
        }
        // every occurrence of every query word, marked once (overlaps merged)
        boolean[] match = new boolean[s.length()];
        for (String w : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.isEmpty()) {
                continue;
            }
            for (int i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) {
                Arrays.fill(match, i, i + w.length(), true);
            }
        }
        List<Text> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= s.length(); i++) {
            if (i == s.length() || match[i] != match[start]) {
                out.add(styled(s.substring(start, i), match[start] ? "search-hit-match" : "search-hit-text"));
                start = i;
            }
        }
        return out.isEmpty() ? List.of(styled(s, "search-hit-text")) : out;
    }

    private static Text styled(String s, String style) {
        Text t = new Text(s); // plain text node: never markup
        t.getStyleClass().add(style);
        return t;
    }
}
