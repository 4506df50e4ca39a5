package org.confab.ui.room;

import java.util.function.Consumer;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import org.confab.core.Confusables;
import org.confab.core.Moderation;
import org.confab.net.Joined;
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
    private static final PseudoClass AWAY = PseudoClass.getPseudoClass("away");
    private final Label role = new Label();
    /** "away" or "busy" (do not disturb), with the member's text as its tooltip. */
    private final Label status = new Label();

    private final Tooltip statusTip = new Tooltip();
    private final FontIcon mixed = SafetyCodes.mixedScriptMark();
    private final Region spacer = new Region();
    private final HBox row = new HBox(10, avatar, name, mixed, spacer, status, role, you);

    private final ContextMenu ownMenu;
    private final Consumer<String> command;
    private final Consumer<String> direct;

    /**
     * @param rename starts a rename (the member's own row offers it)
     * @param command writes a command in the composer (the host's and moderators' menu on others' rows)
     */
    MemberCell(RoomViewModel vm, Runnable rename, Consumer<String> command, Consumer<String> direct) {
        this.vm = vm;
        this.command = command;
        this.direct = direct;
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
        role.getStyleClass().add("role-tag");
        status.getStyleClass().add("status-tag");
        status.setMinWidth(Region.USE_PREF_SIZE);
        status.setTooltip(statusTip);
        role.setMinWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(spacer, Priority.ALWAYS);
        row.setAlignment(Pos.CENTER_LEFT);
    }

    /**
     * The host's and moderators' menu on another member: each item writes its command in the
     * composer (a reason or a time can be added before Enter), as "Change nickname…" does.
     */
    private ContextMenu othersMenu(String nick, Moderation.Role theirs, Moderation.Role mine) {
        var menu = new ContextMenu();
        MenuItem privately = new MenuItem("Message privately", new FontIcon("fth-message-circle"));
        privately.setOnAction(e -> direct.accept(nick));
        menu.getItems().add(privately);
        if (!mine.moderates() || theirs == Moderation.Role.HOST) {
            return menu;
        }
        menu.getItems().add(new SeparatorMenuItem());
        boolean mayAct = theirs == Moderation.Role.MEMBER || mine == Moderation.Role.HOST;
        if (mayAct) {
            menu.getItems()
                    .addAll(
                            item("Remove from room…", "fth-user-x", "/kick " + nick + " "),
                            item("Mute…", "fth-mic-off", "/mute " + nick + " 10 "),
                            item("Ban…", "fth-slash", "/ban " + nick + " "));
        }
        if (mine == Moderation.Role.HOST) {
            menu.getItems()
                    .add(
                            theirs == Moderation.Role.MODERATOR
                                    ? item("Remove moderator", "fth-shield-off", "/unmod " + nick)
                                    : item("Make moderator", "fth-shield", "/mod " + nick));
        }
        if (menu.getItems().getLast() instanceof SeparatorMenuItem) {
            menu.getItems().removeLast();
        }
        return menu;
    }

    private MenuItem item(String text, String icon, String line) {
        MenuItem i = new MenuItem(text, new FontIcon(icon));
        i.setOnAction(e -> command.accept(line));
        return i;
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
        Moderation.Role r = vm.roleOf(nick);
        role.setText(r == Moderation.Role.HOST ? "host" : "mod");
        role.setVisible(r != Moderation.Role.MEMBER);
        role.setManaged(role.isVisible());
        Joined.Status st = vm.statusOf(nick);
        boolean away = st != null;
        status.setVisible(away);
        status.setManaged(away);
        pseudoClassStateChanged(AWAY, away);
        if (away) {
            boolean dnd = st.state().equals("dnd");
            status.setText(dnd ? "busy" : "away");
            status.getStyleClass().remove("dnd");
            if (dnd) {
                status.getStyleClass().add("dnd");
            }
            statusTip.setText((dnd ? nick + " does not want to be disturbed" : nick + " is away")
                    + (st.text().isEmpty() ? "" : ": " + st.text()));
        }
        Moderation.Role mine = vm.myRoleProperty().get();
        setContextMenu(me ? ownMenu : othersMenu(nick, r, mine));
        setGraphic(row);
    }
}
