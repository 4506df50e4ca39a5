package org.confab.ui.shell;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.Window;
import org.confab.ui.common.Theme;

/**
 * Ctrl+K: a small box over the window that finds a conversation by typing part of its name;
 * Up/Down choose, Enter shows it, Escape closes.
 */
final class QuickSwitcher {
    private final Popup popup = new Popup();
    private final TextField query = new TextField();
    private final ListView<OpenRoom> matches = new ListView<>();
    private List<OpenRoom> rooms = List.of();
    private final Consumer<OpenRoom> show;

    QuickSwitcher(Consumer<OpenRoom> show, Theme theme) {
        this.show = show;
        theme.style(popup.getScene()); // a popup has its own scene: the app's look is not inherited
        query.setPromptText("Jump to a conversation…");
        query.setId("switcherField");
        query.getStyleClass().add("switcher-field");
        matches.setId("switcherList");
        matches.getStyleClass().add("switcher-list");
        matches.setPrefHeight(220);
        matches.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(OpenRoom r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                int unread = r.vm().unreadProperty().get();
                setText(r.vm().roomNameProperty().get());
                Label badge = new Label(unread > 0 ? ConversationList.badgeCount(unread) : "");
                badge.getStyleClass().add("unread-badge");
                setGraphic(unread > 0 ? badge : null);
                setContentDisplay(ContentDisplay.RIGHT);
            }
        });
        query.textProperty().addListener((o, was, now) -> filter());
        query.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case DOWN -> matches.getSelectionModel().selectNext();
                case UP -> matches.getSelectionModel().selectPrevious();
                case ENTER -> choose(matches.getSelectionModel().getSelectedItem());
                case ESCAPE -> popup.hide();
                default -> {
                    return;
                }
            }
            e.consume();
        });
        matches.setOnMouseClicked(e -> choose(matches.getSelectionModel().getSelectedItem()));
        VBox box = new VBox(6, query, matches);
        box.getStyleClass().add("switcher");
        box.setPrefWidth(360);
        popup.getContent().add(box);
        popup.setAutoHide(true);
    }

    /** Opens over {@code owner} with every open conversation, the query empty. */
    void open(Window owner, List<OpenRoom> open) {
        rooms = List.copyOf(open);
        query.clear();
        filter();
        popup.show(owner, owner.getX() + (owner.getWidth() - 360) / 2, owner.getY() + 80);
        query.requestFocus();
    }

    boolean isShowing() {
        return popup.isShowing();
    }

    private void filter() {
        String q = query.getText().strip().toLowerCase(Locale.ROOT);
        matches.getItems()
                .setAll(rooms.stream()
                        .filter(r -> r.vm().roomNameProperty()
                                .get()
                                .toLowerCase(Locale.ROOT)
                                .contains(q))
                        .toList());
        matches.getSelectionModel().selectFirst();
    }

    private void choose(OpenRoom r) {
        if (r != null) {
            popup.hide();
            show.accept(r);
        }
    }

    /** The key that opens it. */
    static boolean opens(KeyEvent e) {
        return e.isShortcutDown() && !e.isShiftDown() && !e.isAltDown() && e.getCode() == KeyCode.K;
    }
}
