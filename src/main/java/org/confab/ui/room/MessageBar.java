package org.confab.ui.room;

import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.text.Font;
import javafx.util.Duration;
import org.confab.ui.emoji.EmojiText;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The small toolbar over the message under the pointer (or the row chosen with the keyboard):
 * quick 👍, the emoji picker, Reply, Edit (our own messages) and "More" (the row's menu). One bar
 * per message list, moved to the row that wants it ({@link #of}): the list's cells are reused as it
 * scrolls, and a bar each would be dozens of hidden nodes for nothing. What it offers comes from
 * {@link ChatCell.Offers}, as the menu's entries do.
 */
final class MessageBar extends HBox {
    /** Where a list keeps its bar (its properties). */
    private static final String KEY = MessageBar.class.getName();
    /** The reaction one click away. */
    static final String QUICK = MessageActions.QUICK_REACTIONS[0];

    private final Button react;
    private final Button pick = button("hoverPickReaction", "fth-smile", "Add a reaction…");
    private final Button reply = button("hoverReply", "fth-corner-up-left", "Reply");
    private final Button edit = button("hoverEdit", "fth-edit-2", "Edit");
    private final Button more = button("hoverMore", "fth-more-horizontal", "More actions");
    /** The row showing the bar now, or null. */
    private ChatCell owner;

    private MessageBar(EmojiText emoji) {
        setId("hoverBar");
        getStyleClass().add("message-bar");
        setAlignment(Pos.CENTER);
        setSpacing(1);
        setManaged(false);
        react = button("hoverReact", null, "React with " + QUICK);
        List<Node> image = emoji.nodes(QUICK, Font.font("Inter", 15));
        if (image.size() == 1) {
            react.setGraphic(image.getFirst());
        } else {
            react.setText(QUICK);
        }
        getChildren().addAll(react, pick, reply, edit, more);
        react.setOnAction(e -> act(c -> c.actions().toggleReaction(c.message(), QUICK)));
        pick.setOnAction(e -> act(c -> c.actions().pickReaction(c.message(), c.reactionAnchor())));
        reply.setOnAction(e -> act(c -> c.actions().reply(c.message())));
        edit.setOnAction(e -> act(c -> c.actions().edit(c.message())));
        more.setOnAction(e -> {
            if (owner != null && owner.getContextMenu() != null) {
                owner.getContextMenu().show(more, Side.BOTTOM, 0, 2);
            }
        });
    }

    /** The bar of {@code list}'s rows, made the first time one is wanted. */
    static MessageBar of(ListView<?> list, EmojiText emoji) {
        return (MessageBar) list.getProperties().computeIfAbsent(KEY, k -> new MessageBar(emoji));
    }

    private static Button button(String id, String icon, String tip) {
        Button b = new Button(null, icon == null ? null : new FontIcon(icon));
        b.setId(id);
        b.getStyleClass().add("message-bar-button");
        b.setFocusTraversable(false);
        b.setAccessibleText(tip);
        Tooltip t = new Tooltip(tip);
        t.setShowDelay(Duration.millis(400));
        b.setTooltip(t);
        return b;
    }

    /** Shows the bar on {@code cell}, offering what {@code offers} allows (the cell places it). */
    void showOn(ChatCell cell, ChatCell.Offers offers) {
        offer(react, offers.react());
        offer(pick, offers.react());
        offer(reply, offers.reply());
        offer(edit, offers.edit());
        if (owner != cell) {
            if (owner != null) {
                owner.barLeft();
            }
            owner = cell;
        }
    }

    private static void offer(Button b, boolean offered) {
        b.setVisible(offered);
        b.setManaged(offered);
    }

    /** Takes the bar off {@code cell}, if it is there. */
    void hideFrom(ChatCell cell) {
        if (owner == cell) {
            owner = null;
            cell.barLeft();
        }
    }

    /** True while {@code cell} shows the bar. */
    boolean isOn(ChatCell cell) {
        return owner == cell;
    }

    /** True while the menu opened with "More" is showing (the bar stays, the pointer is on the menu). */
    boolean menuShowing() {
        return owner != null
                && owner.getContextMenu() != null
                && owner.getContextMenu().isShowing();
    }

    private void act(Consumer<ChatCell> action) {
        if (owner != null && owner.message() != null) {
            action.accept(owner);
        }
    }
}
