package org.confab.ui.room;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableMap;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.util.Duration;
import org.confab.core.Confusables;
import org.confab.core.FileRef;
import org.confab.core.SlashCommands;
import org.confab.net.RoomConnection.MessageState;
import org.confab.ui.common.SafetyCodes;
import org.confab.ui.common.TextClipboard;
import org.confab.ui.emoji.Emoji;
import org.confab.ui.emoji.EmojiFlow;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.emoji.EmojiView;
import org.confab.ui.files.FileCard;
import org.confab.ui.files.Transfer;
import org.confab.ui.markdown.MarkdownText;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One row of the message list. Own messages: a bubble on the right in the accent colour; others:
 * avatar, coloured name and a neutral bubble on the left; consecutive messages of one sender are
 * grouped. System lines are centred and muted. Every peer-supplied string goes into a Label's
 * text: never parsed as markup. Nodes are built once per cell and reused.
 */
final class ChatCell extends ListCell<ChatItem> {
    static final Font BUBBLE_FONT = Font.font("Inter", 14);
    /** Left + right padding of .bubble in confab.css. */
    private static final double BUBBLE_PADDING = 26;
    /** Emoji drawn as images (JavaFX draws no colour emoji fonts). */
    private static final EmojiText EMOJI = EmojiText.standard();

    private static final PseudoClass OWN = PseudoClass.getPseudoClass("own");
    private static final PseudoClass NEW_SINCE = PseudoClass.getPseudoClass("new-since");
    private static final DateTimeFormatter NEW_SINCE_TIME =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final PseudoClass OTHER = PseudoClass.getPseudoClass("other");
    private static final PseudoClass CONTINUED = PseudoClass.getPseudoClass("continued");
    private static final PseudoClass PENDING = PseudoClass.getPseudoClass("pending");
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");
    private static final PseudoClass DELETED = PseudoClass.getPseudoClass("deleted");
    /** Someone else's message that names me: the bubble edged, the name marked ({@link MentionMarks}). */
    private static final PseudoClass MENTIONED = PseudoClass.getPseudoClass("mentioned");
    /** {@code :nick0} to {@code :nick11}: the sender's colour (NickColors' palette; confab.css has one rule each). */
    private static final PseudoClass[] NICK = new PseudoClass[NickColors.size()];

    static {
        for (int i = 0; i < NICK.length; i++) {
            NICK[i] = PseudoClass.getPseudoClass("nick" + i);
        }
    }

    /**
     * Measured heights by item: {width, height} at the width last measured. Weak: rows that left the
     * list are forgotten with it. FX thread only.
     */
    private static final Map<ChatItem, double[]> HEIGHTS = new WeakHashMap<>();
    /** One-line widths of recent texts (bounded: a few thousand rows are on screen or near it at most). */
    private static final Map<String, Double> NATURAL_WIDTHS = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > 4096;
        }
    };

    /**
     * Messages shown whole after "Show all" (by id; a long message is cut for its bubble,
     * {@link MarkdownText#preview}). Bounded: the most recent few hundred. FX thread only.
     */
    private static final Map<String, Boolean> SHOWN_WHOLE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 256;
        }
    };

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private final Label initials = new Label();
    private final StackPane avatar = new StackPane(initials);
    private final Label name = new Label();
    private final Label time = new Label();
    private final FontIcon mixed = SafetyCodes.mixedScriptMark();
    private final HBox header = new HBox(8, name, mixed, time);
    /** The message's text: Text nodes and emoji images (never markup), selectable, copied as the original characters. */
    private static final PseudoClass ACTION = PseudoClass.getPseudoClass("action");

    private final EmojiFlow bubbleText = new EmojiFlow();

    private final StackPane bubble = new StackPane(bubbleText);
    /** The text the bubble shows now. */
    private String bubbleContent;
    /** Whether the shown text has its mentions of me marked. */
    private boolean shownMentioned;
    /** A formatted message's blocks (Markdown drawn as text nodes), or null while plain text shows. */
    private VBox formatted;

    private ContextMenu textMenu;
    private MarkdownText markdown;
    /** The text's width on one line; the bubble is as wide as that, up to its limit. */
    private final DoubleProperty naturalWidth = new SimpleDoubleProperty(BUBBLE_PADDING);

    private ChatItem.Message shownText;
    /** Palette index of the shown sender's colour (-1: none, own message). */
    private int shownColour = -1;

    private final TextClipboard clipboard;
    private final Function<String, String> colourSeed;
    private MessageState shownDelivery;

    private List<String> shownSeen = List.of();
    private final FontIcon markIcon = new FontIcon("fth-check");
    private final FontIcon markSecond = new FontIcon("fth-check");
    private final HBox markIcons = new HBox(-8, markIcon, markSecond);
    private final Label mark = new Label(null, markIcons);
    private final Tooltip markTip = new Tooltip();
    /** "edited", beside the bubble of a message changed after it was sent. */
    private final Label editedMark = new Label("edited");

    /** A shared file's card (a message that shares one), below its caption. */
    private final FileCard fileCard;
    /** The bubble and a file's card, one above the other. */
    private final VBox content;

    private final HBox bubbleLine;
    /** A reply's preview of the message it answers: a click shows that message. */
    private final Label quoteName = new Label();

    private final Label quoteText = new Label();
    private final VBox quote = new VBox(1, quoteName, quoteText);
    /** The reactions under a message: one chip per emoji, a count, ours marked; a click adds or takes back ours. */
    private final FlowPane reactions = new FlowPane(4, 4);

    private final VBox body = new VBox(3, header, quote, reactions);
    private final MessageActions actions;
    private final Region leftSpace = new Region();
    private final Region rightSpace = new Region();
    private final HBox messageRow = new HBox(10, leftSpace, avatar, body, rightSpace);

    private final FontIcon noticeIcon = new FontIcon("fth-info");
    private final Label noticeText = new Label();
    private final Label noticeTime = new Label();
    private final HBox noticeRow = new HBox(8, noticeIcon, noticeText, noticeTime);

    private final Label dayLabel = new Label();
    private final Region dayLineLeft = new Region();
    private final Region dayLineRight = new Region();
    private final HBox dayRow = new HBox(12, dayLineLeft, dayLabel, dayLineRight);
    /**
     * The cell's graphic, always: the three kinds of row, one shown at a time (none when empty).
     * Nodes that leave the scene graph and come back are styled from scratch (every selector
     * matched again), and the list re-binds its measuring cell for every row it measures: so rows
     * are shown and hidden, never swapped in and out.
     */
    private final StackPane rows = new StackPane(messageRow, noticeRow, dayRow) {
        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            placeBar();
        }
    };
    /** The list's bar over the row under the pointer ({@link MessageBar}), once this row first wanted it. */
    private MessageBar bar;
    /** How far the bar reaches into a bubble's top padding when it sits over the bubble's corner. */
    private static final double BAR_OVERLAP = 7;
    /** Space between a bubble and the bar beside it. */
    private static final double BAR_GAP = 6;

    /** @param colourSeed what a sender's colour is made from (the view model's {@link RoomViewModel#colourSeed}) */
    ChatCell(
            DoubleBinding bubbleMaxWidth,
            TextClipboard clipboard,
            Function<String, String> colourSeed,
            MessageActions actions) {
        this.clipboard = clipboard;
        this.colourSeed = colourSeed;
        this.actions = actions;
        fileCard = new FileCard(actions.files());
        fileCard.maxWidthProperty().bind(bubbleMaxWidth);
        content = new VBox(4, bubble, fileCard);
        content.setFillWidth(false);
        content.setMinWidth(0);
        bubbleLine = new HBox(5, mark, content, editedMark);
        body.getChildren().add(2, bubbleLine);
        ObservableMap<String, Transfer> transfers = actions.transfers();
        if (transfers != null) {
            // a transfer moved: the card of its file shows it (the row's height does not change)
            transfers.addListener((MapChangeListener<String, Transfer>) c -> {
                if (getItem() instanceof ChatItem.Message m
                        && m.extras().file() != null
                        && m.extras().file().id().equals(c.getKey())) {
                    fileCard.show(m.extras().file(), c.getMap().get(c.getKey()));
                }
            });
        }
        editedMark.getStyleClass().add("edited-mark");
        editedMark.setMinWidth(Region.USE_PREF_SIZE);
        quote.getStyleClass().add("reply-quote");
        quoteName.getStyleClass().add("reply-quote-name");
        quoteText.getStyleClass().add("reply-quote-text");
        quoteName.setMinWidth(0);
        quoteText.setMinWidth(0);
        quote.maxWidthProperty().bind(bubbleMaxWidth);
        quote.setOnMouseClicked(e -> {
            if (getItem() instanceof ChatItem.Message m && m.extras().replyTo() > 0) {
                actions.showOriginal(m.extras().replyTo());
            }
        });
        reactions.getStyleClass().add("reactions");
        reactions.maxWidthProperty().bind(bubbleMaxWidth);
        dayRow.getStyleClass().add("day-row");
        dayRow.setAlignment(Pos.CENTER);
        dayLabel.getStyleClass().add("day-label");
        dayLineLeft.getStyleClass().add("day-line");
        dayLineRight.getStyleClass().add("day-line");
        HBox.setHgrow(dayLineLeft, Priority.ALWAYS);
        HBox.setHgrow(dayLineRight, Priority.ALWAYS);
        getStyleClass().add("chat-cell");
        setPrefWidth(0); // never wider than the list: no horizontal scrolling, text wraps instead
        avatar.getStyleClass().add("avatar");
        avatar.setMinSize(34, 34);
        avatar.setMaxSize(34, 34);
        name.getStyleClass().add("msg-name");
        name.setMinWidth(0); // a very long (hostile) name is cut with an ellipsis, never widens the row
        name.maxWidthProperty().bind(bubbleMaxWidth.subtract(60));
        time.setMinWidth(Region.USE_PREF_SIZE);
        header.setMinWidth(0);
        time.getStyleClass().add("msg-time");
        header.setAlignment(Pos.BASELINE_LEFT);
        bubble.getStyleClass().add("bubble");
        bubble.setAlignment(Pos.CENTER_LEFT);
        bubble.setMinHeight(Region.USE_PREF_SIZE);
        bubble.setMinWidth(Region.USE_PREF_SIZE);
        bubble.maxWidthProperty().bind(bubbleMaxWidth);
        bubble.prefWidthProperty().bind(Bindings.min(bubble.maxWidthProperty(), naturalWidth));
        markIcons.setAlignment(Pos.CENTER);
        markSecond.setVisible(false);
        markSecond.setManaged(false);
        mark.setVisible(false);
        mark.setManaged(false);
        bubbleText.getStyleClass().add("bubble-flow");
        // drag to select part of a message; the flow's own menu copies the selection
        MenuItem copySelection = new MenuItem("Copy selection", new FontIcon("fth-copy"));
        copySelection.setOnAction(e -> selectedFlow().copySelection(clipboard::copy));
        MenuItem copyAll = new MenuItem("Copy message", new FontIcon("fth-clipboard"));
        copyAll.setOnAction(e -> copy(getItem(), clipboard));
        ContextMenu textMenu = new ContextMenu(copySelection, copyAll);
        textMenu.setOnShowing(e -> {
            textMenu.getItems().setAll(copySelection, copyAll);
            textMenu.getItems().addAll(messageItems());
        });
        bubbleText.setContextMenu(textMenu);
        this.textMenu = textMenu;
        this.markdown = new MarkdownText(EMOJI, BUBBLE_FONT, actions::openLink, clipboard::copy);
        bubbleText.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            if (e.isPrimaryButtonDown() && getListView() != null) {
                getListView().getSelectionModel().clearSelection(); // text selection, not row selection
            }
        });
        body.setMinWidth(0);
        bubbleLine.setMinWidth(0);
        bubbleLine.setAlignment(Pos.BOTTOM_RIGHT);
        mark.getStyleClass().add("delivery-mark");
        mark.setMinWidth(Region.USE_PREF_SIZE);
        markTip.setShowDelay(Duration.millis(200));
        HBox.setHgrow(leftSpace, Priority.ALWAYS);
        HBox.setHgrow(rightSpace, Priority.ALWAYS);
        // the spaces only push the bubble aside: never the target of a click. (The one not in use
        // is unmanaged and keeps the place it had for the row this cell showed before: on top of
        // the bubble, it took the clicks meant for a reply's quote.)
        leftSpace.setMouseTransparent(true);
        rightSpace.setMouseTransparent(true);
        messageRow.setAlignment(Pos.TOP_LEFT);
        messageRow.getStyleClass().add("msg-row");

        noticeRow.getStyleClass().add("notice-row");
        noticeRow.setAlignment(Pos.CENTER);
        noticeText.getStyleClass().add("notice-text");
        noticeText.setWrapText(true);
        noticeText.setMinHeight(Region.USE_PREF_SIZE);
        noticeText.maxWidthProperty().bind(bubbleMaxWidth);
        noticeTime.getStyleClass().add("notice-time");
        noticeIcon.getStyleClass().add("notice-icon");

        rows.setAlignment(Pos.TOP_LEFT);
        show(null);
        setGraphic(rows);

        MenuItem copy = new MenuItem("Copy text", new FontIcon("fth-copy"));
        copy.setOnAction(e -> copy(getItem(), clipboard));
        ContextMenu rowMenu = new ContextMenu(copy);
        rowMenu.setOnShowing(e -> {
            rowMenu.getItems().setAll(messageItems());
            rowMenu.getItems().add(copy);
        });
        rowMenu.setOnHidden(e -> updateBar());
        setContextMenu(rowMenu);

        // the actions bar: on the row under the pointer, or the row chosen with the keyboard
        hoverProperty().addListener(o -> updateBar());
        focusedProperty().addListener(o -> updateBar());
        selectedProperty().addListener(o -> updateBar());
        InvalidationListener listFocus = o -> updateBar();
        listViewProperty().addListener((o, was, now) -> {
            if (was != null) {
                was.focusedProperty().removeListener(listFocus);
                was.focusVisibleProperty().removeListener(listFocus);
            }
            if (now != null) {
                now.focusedProperty().addListener(listFocus);
                now.focusVisibleProperty().addListener(listFocus);
            }
        });
    }

    /**
     * What a row offers in its menus and its actions bar: one set of rules for both. Nothing for
     * system lines, days, a message not yet confirmed by the host, or a deleted one.
     */
    record Offers(boolean reply, boolean react, boolean edit, boolean delete, boolean moderatorDelete, boolean link) {
        static final Offers NOTHING = new Offers(false, false, false, false, false, false);

        /** True if the row offers anything (then its bar is shown). */
        boolean any() {
            return reply || react || edit || delete || moderatorDelete || link;
        }
    }

    /** What {@code item} offers to this member ({@code actions} says whether they moderate). */
    static Offers offers(ChatItem item, MessageActions actions) {
        if (!(item instanceof ChatItem.Message m)
                || m.unconfirmed()
                || m.extras().deleted()) {
            return Offers.NOTHING;
        }
        boolean own = m.own();
        return new Offers(true, true, own, own, !own && actions.moderates(), true);
    }

    /** The actions the row's menus and bar call. */
    MessageActions actions() {
        return actions;
    }

    /** The message this row shows, or null (a system line, a day, nothing). */
    ChatItem.Message message() {
        return getItem() instanceof ChatItem.Message m && !isEmpty() ? m : null;
    }

    /** What the emoji picker opens beside (the bubble, as from the menu). */
    Node reactionAnchor() {
        return bubble;
    }

    /**
     * Shows the list's actions bar on this row while the pointer is on it (or the list has the
     * keyboard focus on it), if the row offers anything; takes it away otherwise, except while the
     * menu opened from it is showing.
     */
    private void updateBar() {
        ListView<ChatItem> list = getListView();
        if (list == null) {
            return;
        }
        boolean keyboard = list.isFocused() && isFocused() && (isSelected() || list.isFocusVisible());
        if (!isHover() && !keyboard && (bar == null || !bar.isOn(this))) {
            return; // the common case while the list scrolls: nothing to show, nothing to take away
        }
        Offers offers = offers(isEmpty() ? null : getItem(), actions);
        boolean wanted = offers.any() && messageRow.isVisible() && (isHover() || keyboard);
        if (wanted) {
            if (bar == null) {
                bar = MessageBar.of(list, EMOJI);
            }
            boolean here = bar.isOn(this) && bar.getParent() == rows;
            bar.showOn(this, offers);
            if (!here) {
                rows.getChildren().add(bar);
                setViewOrder(-1); // drawn over the rows around it, where it reaches beyond this one
                bar.applyCss();
                placeBar();
            }
        } else if (bar != null && bar.isOn(this) && !(bar.menuShowing() && offers.any())) {
            bar.hideFrom(this);
        }
    }

    /** The bar went to another row (or away): this row no longer holds it. */
    void barLeft() {
        if (bar != null) {
            rows.getChildren().remove(bar);
        }
        setViewOrder(0);
    }

    /**
     * Puts the bar beside the bubble's top, on the side facing the middle of the list (right of
     * others' bubbles, left of ours), where it fits; else over the bubble's top corner, above its
     * text (it reaches into the bubble's padding only). Never outside the list's visible area at
     * the top. The bar is not managed: rows are measured without it, so showing it moves nothing.
     */
    private void placeBar() {
        if (bar == null || !bar.isOn(this) || !messageRow.isVisible()) {
            return;
        }
        messageRow.layout(); // the bubble where it is drawn (the row's children are laid out after this)
        double w = bar.prefWidth(-1);
        double h = bar.prefHeight(-1);
        bar.resize(w, h);
        Bounds c = inRows(content);
        double rowWidth = rows.getWidth();
        double x;
        double y = c.getMinY();
        if (message() != null && message().own()) {
            double left = mark.isVisible() ? Math.min(c.getMinX(), inRows(mark).getMinX()) : c.getMinX();
            x = left - BAR_GAP - w;
            if (x < 4) {
                x = Math.max(4, c.getMaxX() - w);
                y = c.getMinY() - h + BAR_OVERLAP;
            }
        } else {
            double right = editedMark.isVisible()
                    ? Math.max(c.getMaxX(), inRows(editedMark).getMaxX())
                    : c.getMaxX();
            x = right + BAR_GAP;
            if (x + w > rowWidth - 4) {
                x = Math.max(4, rowWidth - 4 - w);
                y = c.getMinY() - h + BAR_OVERLAP;
            }
        }
        ListView<ChatItem> list = getListView();
        if (list != null) {
            y = Math.max(y, rows.sceneToLocal(list.localToScene(0, 0)).getY() + 2);
        }
        bar.relocate(snapPositionX(x), snapPositionY(y));
    }

    private Bounds inRows(Node n) {
        return rows.sceneToLocal(n.localToScene(n.getLayoutBounds()));
    }

    /** A message's own actions for its menus: reply, react, and for our own edit and delete. */
    private List<MenuItem> messageItems() {
        Offers offers = offers(getItem(), actions);
        if (!offers.any() || !(getItem() instanceof ChatItem.Message m)) {
            return List.of();
        }
        List<MenuItem> items = new ArrayList<>();
        MenuItem reply = new MenuItem("Reply", new FontIcon("fth-corner-up-left"));
        reply.setId("replyItem");
        reply.setOnAction(e -> actions.reply(m));
        items.add(reply);
        MenuItem link = new MenuItem("Copy link to message", new FontIcon("fth-link"));
        link.setId("copyLinkItem");
        link.setOnAction(e -> actions.copyLink(m));
        Menu react = new Menu("React", new FontIcon("fth-smile"));
        react.setId("reactMenu");
        for (String emoji : MessageActions.QUICK_REACTIONS) {
            boolean mine = m.extras().reactedBy(emoji, actions.me());
            // the emoji as its image (menus draw no colour emoji), with its name to read and find
            String name = EMOJI.index().of(emoji).map(Emoji::name).orElse(emoji);
            MenuItem r = new MenuItem((mine ? "✓ " : "") + name);
            List<Node> image = EMOJI.nodes(emoji, Font.font("Inter", 16));
            if (image.size() == 1 && image.getFirst() instanceof EmojiView view) {
                r.setGraphic(view);
            }
            r.setOnAction(e -> actions.toggleReaction(m, emoji));
            react.getItems().add(r);
        }
        MenuItem more = new MenuItem("More…", new FontIcon("fth-plus"));
        more.setOnAction(e -> actions.pickReaction(m, bubble));
        react.getItems().addAll(new SeparatorMenuItem(), more);
        items.add(react);
        if (offers.edit()) {
            MenuItem edit = new MenuItem("Edit", new FontIcon("fth-edit-2"));
            edit.setId("editItem");
            edit.setOnAction(e -> actions.edit(m));
            items.add(edit);
        }
        if (offers.delete()) {
            MenuItem delete = new MenuItem("Delete", new FontIcon("fth-trash-2"));
            delete.setId("deleteItem");
            delete.setOnAction(e -> actions.delete(m));
            items.add(delete);
        } else if (offers.moderatorDelete()) {
            MenuItem delete = new MenuItem("Delete (moderator)", new FontIcon("fth-trash-2"));
            delete.setId("deleteItem");
            delete.setOnAction(e -> actions.delete(m));
            items.add(delete);
        }
        items.add(link);
        items.add(new SeparatorMenuItem());
        return items;
    }

    /** The text a person means when copying a row. */
    static String copyText(ChatItem item) {
        return switch (item) {
            case ChatItem.Message m -> m.text();
            case ChatItem.Notice n -> n.text();
            case ChatItem.Day d -> dayText(d.date(), LocalDate.now());
            case ChatItem.NewSince n -> newSinceText(n);
            case null -> "";
        };
    }

    /** "New since 10:42" (the time the person last had the room in front of them, local). */
    static String newSinceText(ChatItem.NewSince n) {
        return "New since " + NEW_SINCE_TIME.format(n.time());
    }

    /** "Today", "Yesterday", "Monday" within the week, else "24 November 2026". */
    static String dayText(LocalDate day, LocalDate today) {
        return DayText.of(day, today);
    }

    static void copy(ChatItem item, TextClipboard clipboard) {
        if (item != null) {
            clipboard.copy(copyText(item));
        }
    }

    @Override
    protected void updateItem(ChatItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(null);
        if (empty || item == null) {
            show(null);
            setAccessibleText(null);
            updateBar();
            return;
        }
        switch (item) {
            case ChatItem.Message m -> showMessage(m);
            case ChatItem.Notice n -> showNotice(n);
            case ChatItem.Day d -> {
                dayLabel.setText(dayText(d.date(), LocalDate.now()));
                setAccessibleText(dayLabel.getText());
                dayRow.pseudoClassStateChanged(NEW_SINCE, false);
                show(dayRow);
            }
            case ChatItem.NewSince n -> {
                dayLabel.setText(newSinceText(n));
                setAccessibleText(dayLabel.getText());
                dayRow.pseudoClassStateChanged(NEW_SINCE, true);
                show(dayRow);
            }
        }
        updateBar();
    }

    /**
     * The cell's height for its item at this width, measured once and then remembered (per item, for
     * the last width it was measured at): the list measures rows again and again while it scrolls and
     * follows the bottom, and a wrapped text flow is the expensive part of that.
     */
    @Override
    protected double computePrefHeight(double width) {
        ChatItem item = getItem();
        if (item == null || isEmpty() || width <= 0 || getScene() == null || getSkin() == null) {
            return super.computePrefHeight(width);
        }
        double[] known = HEIGHTS.get(item);
        if (known != null && known[0] == width) {
            return known[1];
        }
        double h = super.computePrefHeight(width);
        HEIGHTS.put(item, new double[] {width, h});
        return h;
    }

    private void showMessage(ChatItem.Message m) {
        ChatItem.Extras x = m.extras();
        String action = x.deleted() ? null : SlashCommands.action(m.text());
        // "/me waves" reads as what its sender does: "* alice waves", in italics
        String shown = x.deleted() ? "Message deleted" : action != null ? "* " + m.sender() + " " + action : m.text();
        bubble.pseudoClassStateChanged(ACTION, action != null);
        // a message from someone else that names me: marked in its bubble
        String me = m.own() || x.deleted() ? null : actions.me();
        boolean mentioned = me != null && RoomViewModel.mentions(shown, me);
        if (shownText != m) {
            if (!shown.equals(bubbleContent) || mentioned != shownMentioned) {
                shownMentioned = mentioned;
                // new content (text nodes and emoji images: never markup); a selection made in the
                // old text means nothing in the new one
                bubbleText.clearSelection();
                bubbleContent = shown;
                boolean whole = shownWhole(m);
                if (!x.deleted() && action == null && looksFormatted(shown)) {
                    // Markdown as text nodes (never HTML): emphasis, code, quotes, lists, links; a long
                    // message cut, with "Show all" below
                    formatted = whole ? markdown.render(shown) : markdown.preview(shown, () -> showWhole(m));
                    formatted.getStyleClass().add("bubble-md");
                    for (EmojiFlow f : MarkdownText.flows(formatted)) {
                        f.setContextMenu(textMenu);
                        f.getStyleClass().add("bubble-flow");
                        if (mentioned) {
                            f.setContent(MentionMarks.mark(f.content(), me));
                        }
                    }
                    bubble.getChildren().setAll(formatted);
                    VBox shownNow = formatted;
                    naturalWidth.set(NATURAL_WIDTHS.computeIfAbsent(
                            (mentioned ? "md@:" : "md:") + (whole ? "all:" : "") + shown,
                            t -> Math.ceil(shownNow.prefWidth(-1)) + BUBBLE_PADDING + 2));
                } else {
                    formatted = null;
                    int cut = whole ? shown.length() : MarkdownText.shownLength(shown);
                    List<Node> nodes = EMOJI.messageNodes(shown.substring(0, cut), BUBBLE_FONT, "bubble-text");
                    if (mentioned) {
                        nodes = MentionMarks.mark(nodes, me);
                    }
                    bubbleText.setContent(nodes);
                    if (cut < shown.length()) {
                        // a long text: its start, and "Show all" below (laid out whole only on demand)
                        VBox withMore = new VBox(
                                4, bubbleText, MarkdownText.showAllLink(shown.length() - cut, () -> showWhole(m)));
                        bubble.getChildren().setAll(withMore);
                    } else if (bubble.getChildren().getFirst() != bubbleText) {
                        bubble.getChildren().setAll(bubbleText);
                    }
                    List<Node> measured = nodes;
                    naturalWidth.set(NATURAL_WIDTHS.computeIfAbsent(
                            (mentioned ? "@:" : "") + (cut < shown.length() ? "cut:" : "") + shown,
                            t -> EmojiText.oneLineWidth(measured) + BUBBLE_PADDING + 2));
                }
            }
            // ListView calls updateItem again for the same item (focus, layout): then nothing changes,
            // so a selection the person is making survives
            shownText = m;
            showExtras(m);
        }
        messageRow.pseudoClassStateChanged(DELETED, x.deleted());
        messageRow.pseudoClassStateChanged(MENTIONED, mentioned);
        time.setText(TIME.format(m.time()));
        boolean own = m.own();
        // states are pseudo-classes: switching them re-styles without re-matching every selector
        messageRow.pseudoClassStateChanged(OWN, own);
        messageRow.pseudoClassStateChanged(OTHER, !own);
        messageRow.pseudoClassStateChanged(CONTINUED, m.continued());
        messageRow.pseudoClassStateChanged(PENDING, m.delivery() == MessageState.PENDING);
        messageRow.pseudoClassStateChanged(FAILED, m.delivery() == MessageState.FAILED);
        int colour = own ? -1 : NickColors.index(colourSeed.apply(m.sender()));
        if (colour != shownColour) {
            if (shownColour >= 0) {
                messageRow.pseudoClassStateChanged(NICK[shownColour], false);
            }
            if (colour >= 0) {
                messageRow.pseudoClassStateChanged(NICK[colour], true);
            }
            shownColour = colour;
        }
        bubbleLine.setAlignment(own ? Pos.BOTTOM_RIGHT : Pos.BOTTOM_LEFT);
        content.setAlignment(own ? Pos.TOP_RIGHT : Pos.TOP_LEFT);
        leftSpace.setManaged(own);
        leftSpace.setVisible(own);
        rightSpace.setManaged(!own);
        rightSpace.setVisible(!own);
        if (own) {
            avatar.setVisible(false);
            avatar.setManaged(false);
            name.setVisible(false);
            name.setManaged(false);
            mixed.setVisible(false);
            mixed.setManaged(false);
            header.setAlignment(Pos.BASELINE_RIGHT);
            body.setAlignment(Pos.TOP_RIGHT);
        } else {
            avatar.setManaged(true);
            avatar.setVisible(!m.continued());
            initials.setText(NickColors.initials(m.sender()));
            name.setVisible(true);
            name.setManaged(true);
            EMOJI.apply(name, m.sender());
            boolean look = Confusables.mixesScripts(m.sender());
            mixed.setVisible(look);
            mixed.setManaged(look);
            header.setAlignment(Pos.BASELINE_LEFT);
            body.setAlignment(Pos.TOP_LEFT);
        }
        showDelivery(m);
        setAccessibleText(
                (own ? "You" : m.sender()) + (mentioned ? ", mentions you" : "") + ", " + time.getText() + ": "
                        + m.text()
                        + (own ? ", " + ChatItem.describe(m.delivery()) : ""));
        header.setVisible(!m.continued());
        header.setManaged(!m.continued());
        show(messageRow);
    }

    private static boolean shownWhole(ChatItem.Message m) {
        return SHOWN_WHOLE.containsKey(wholeKey(m));
    }

    private static String wholeKey(ChatItem.Message m) {
        return m.id() != null ? m.id() : "cid:" + m.cid();
    }

    /** "Show all" under a cut message: the whole text from now on, the row measured again. */
    private void showWhole(ChatItem.Message m) {
        SHOWN_WHOLE.put(wholeKey(m), true);
        HEIGHTS.remove(m);
        if (getItem() == m) {
            shownText = null;
            bubbleContent = null;
            showMessage(m);
        }
        if (getListView() != null) {
            getListView().refresh();
        }
    }

    /** The quote of a reply, "edited", and the reactions: shown only where the message has them. */
    private void showExtras(ChatItem.Message m) {
        ChatItem.Extras x = m.extras();
        boolean quoted = x.replyTo() > 0 && !x.deleted();
        quote.setVisible(quoted);
        quote.setManaged(quoted);
        if (quoted) {
            // emoji as images, as in the bubble it quotes
            EMOJI.apply(quoteName, x.quoteSender() == null ? "Reply" : "↩ " + x.quoteSender());
            EMOJI.apply(quoteText, x.quoteText() == null ? "to an earlier message" : oneLine(x.quoteText()));
            quote.setAccessibleText("Reply to " + (x.quoteSender() == null ? "an earlier message" : x.quoteSender()));
        }
        FileRef file = x.file();
        fileCard.setVisible(file != null);
        fileCard.setManaged(file != null);
        // a file shared without a caption is its card alone (the host made its name the text)
        boolean captioned = file == null || !m.text().equals(file.fileName());
        bubble.setVisible(captioned);
        bubble.setManaged(captioned);
        if (file != null) {
            ObservableMap<String, Transfer> transfers = actions.transfers();
            fileCard.show(file, transfers == null ? null : transfers.get(file.id()));
        }
        boolean edited = x.edited() && !x.deleted();
        editedMark.setVisible(edited);
        editedMark.setManaged(edited);
        reactions.getChildren().clear();
        for (ChatItem.Reaction r : x.reactions()) {
            ToggleButton chip = new ToggleButton();
            EMOJI.apply(chip, r.emoji() + " " + r.count());
            chip.setUserData(r.emoji() + " " + r.count());
            chip.getStyleClass().add("reaction-chip");
            chip.setSelected(m.extras().reactedBy(r.emoji(), actions.me()));
            chip.setFocusTraversable(false);
            Tooltip tip = new Tooltip(String.join(", ", r.by()) + " reacted with " + r.emoji());
            tip.setShowDelay(Duration.millis(300));
            chip.setTooltip(tip);
            chip.setAccessibleText(tip.getText());
            chip.setOnAction(e -> actions.toggleReaction(m, r.emoji()));
            reactions.getChildren().add(chip);
        }
        boolean any = !reactions.getChildren().isEmpty();
        reactions.setVisible(any);
        reactions.setManaged(any);
        reactions.setAlignment(m.own() ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
        quote.setAlignment(Pos.CENTER_LEFT);
    }

    /**
     * True if {@code text} may carry Markdown or a link (then it is drawn by {@link MarkdownText});
     * plain text keeps the faster path. HTML and entities are text either way.
     */
    static boolean looksFormatted(String text) {
        if (text.indexOf('*') >= 0 || text.indexOf('_') >= 0 || text.indexOf('`') >= 0 || text.indexOf('~') >= 0) {
            return true;
        }
        if (text.contains("http://")
                || text.contains("https://")
                || text.contains("mailto:")
                || text.contains("confab://")
                || text.contains("](")) {
            return true;
        }
        for (String line : text.split("\n", -1)) {
            String l = line.stripLeading();
            if (l.startsWith("> ") || l.startsWith("- ") || l.startsWith("+ ") || l.matches("\\d{1,3}[.)] .*")) {
                return true;
            }
        }
        return false;
    }

    /** The flow of this bubble with a selection (plain text, or one block of a formatted message). */
    private EmojiFlow selectedFlow() {
        if (formatted != null) {
            for (EmojiFlow f : MarkdownText.flows(formatted)) {
                if (!f.selectedText().isEmpty()) {
                    return f;
                }
            }
        }
        return bubbleText;
    }

    /** A quote's text on one line, cut: the preview, not the message. */
    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 120 ? flat.substring(0, 119) + "…" : flat;
    }

    /** Shows {@code row} (null: none) and hides the others. */
    private void show(Node row) {
        for (Node r : rows.getChildren()) {
            if (r == bar) {
                continue;
            }
            boolean shown = r == row;
            r.setVisible(shown);
            r.setManaged(shown);
        }
    }

    /** The small mark beside our own bubbles: clock, one tick, two ticks, or a warning. */
    private void showDelivery(ChatItem.Message m) {
        MessageState d = m.own() ? m.delivery() : null;
        List<String> seen = d == MessageState.DELIVERED ? actions.seenBy(m) : List.of();
        if (d == shownDelivery && seen.equals(shownSeen)) {
            return;
        }
        shownDelivery = d;
        shownSeen = seen;
        boolean shown = d != null;
        mark.setVisible(shown);
        mark.setManaged(shown);
        mark.getStyleClass().removeAll("pending", "sent", "delivered", "failed", "seen");
        if (!shown) {
            Tooltip.uninstall(mark, markTip);
            return;
        }
        mark.getStyleClass().add(d.name().toLowerCase(Locale.ROOT));
        // the mark's icons are built once; a state only changes their glyphs
        markIcon.setIconLiteral(
                switch (d) {
                    case PENDING -> "fth-clock";
                    case SENT, DELIVERED -> "fth-check";
                    default -> "fth-alert-triangle";
                });
        markSecond.setVisible(d == MessageState.DELIVERED);
        markSecond.setManaged(d == MessageState.DELIVERED);
        markTip.setText(seen.isEmpty() ? ChatItem.describe(d) : "Seen by " + String.join(", ", seen));
        if (!seen.isEmpty()) {
            mark.getStyleClass().add("seen");
        }
        Tooltip.install(mark, markTip);
        mark.setAccessibleText(markTip.getText());
    }

    private void showNotice(ChatItem.Notice n) {
        noticeText.setText(n.text());
        setAccessibleText(n.text());
        noticeTime.setText(TIME.format(n.time()));
        noticeIcon.setIconLiteral(
                switch (n.kind()) {
                    case JOINED -> "fth-user-plus";
                    case LEFT -> "fth-user-minus";
                    case RENAMED -> "fth-edit-2";
                    case TOPIC -> "fth-hash";
                    case MODERATION -> "fth-shield";
                    case INFO -> "fth-info";
                    case WARNING -> "fth-alert-triangle";
                });
        String kind = n.kind().name().toLowerCase(Locale.ROOT);
        if (!noticeRow.getStyleClass().contains(kind)) {
            noticeRow.getStyleClass().removeAll("joined", "left", "renamed", "topic", "moderation", "info", "warning");
            noticeRow.getStyleClass().add(kind);
        }
        show(noticeRow);
    }
}
