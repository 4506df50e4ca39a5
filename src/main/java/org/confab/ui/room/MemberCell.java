package org.confab.ui.room;

import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import org.confab.core.Confusables;
import org.confab.ui.common.SafetyCodes;
import org.confab.ui.emoji.EmojiText;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A member in the side list: coloured avatar, nickname (as text, cut with an ellipsis), a warning
 * mark if the name mixes scripts (a possible look-alike), a "you" tag; the member's own row has
 * "Change nickname…" in its context menu.
 */
final class MemberCell extends ListCell<String> {
    private final RoomViewModel vm;
    private final Label initials = new Label();
    private final StackPane avatar = new StackPane(initials);
    private final Label name = new Label();
    private final Label you = new Label("you");
    private final FontIcon mixed = SafetyCodes.mixedScriptMark();
    private final Region spacer = new Region();
    private final HBox row = new HBox(10, avatar, name, mixed, spacer, you);

    private final ContextMenu ownMenu;

    /** @param rename starts a rename (the member's own row offers it) */
    MemberCell(RoomViewModel vm, Runnable rename) {
        this.vm = vm;
        MenuItem change = new MenuItem("Change nickname…", new FontIcon("fth-edit-2"));
        change.setOnAction(e -> rename.run());
        ownMenu = new ContextMenu(change);
        getStyleClass().add("member-cell");
        setPrefWidth(0);
        avatar.getStyleClass().addAll("avatar", "avatar-small");
        avatar.setMinSize(26, 26);
        avatar.setMaxSize(26, 26);
        name.getStyleClass().add("member-name");
        name.setMinWidth(0);
        you.getStyleClass().add("you-tag");
        HBox.setHgrow(spacer, Priority.ALWAYS);
        row.setAlignment(Pos.CENTER_LEFT);
    }

    @Override
    protected void updateItem(String nick, boolean empty) {
        super.updateItem(nick, empty);
        setText(null);
        if (empty || nick == null) {
            setGraphic(null);
            setContextMenu(null);
            return;
        }
        initials.setText(NickColors.initials(nick));
        avatar.setStyle("-fx-background-color: " + NickColors.hex(vm.colourSeed(nick)) + ";");
        EmojiText.standard().apply(name, nick); // emoji as images, as in messages
        boolean look = Confusables.mixesScripts(nick);
        mixed.setVisible(look);
        mixed.setManaged(look);
        boolean me = vm.isMe(nick);
        you.setVisible(me);
        you.setManaged(me);
        setContextMenu(me ? ownMenu : null);
        setGraphic(row);
    }
}
