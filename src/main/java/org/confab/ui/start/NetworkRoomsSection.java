package org.confab.ui.start;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;
import org.confab.core.InviteLink;
import org.confab.net.discovery.KeyCheck;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Draws "Rooms on your network" from its {@link NetworkRoomsViewModel}: one button per room (a
 * click, Enter or Space joins; the row says "Joining…" while that join runs), kept across updates so focus and hover stay where they are; or the
 * empty and the discovery-off states, which say what to do instead. Announced text is set as
 * label text only.
 */
final class NetworkRoomsSection {
    private final NetworkRoomsViewModel vm;
    private final VBox list;
    private final Node empty;
    private final FontIcon emptyIcon;
    private final Label emptyTitle;
    private final Label emptyText;
    private final Function<InviteLink, ObservableValue<Boolean>> join;
    private final Map<String, RowNode> nodes = new HashMap<>();

    NetworkRoomsSection(
            NetworkRoomsViewModel vm,
            VBox list,
            Node empty,
            FontIcon emptyIcon,
            Label emptyTitle,
            Label emptyText,
            Function<InviteLink, ObservableValue<Boolean>> join) {
        this.vm = vm;
        this.list = list;
        this.empty = empty;
        this.emptyIcon = emptyIcon;
        this.emptyTitle = emptyTitle;
        this.emptyText = emptyText;
        this.join = join;
        vm.rows().subscribe(this::sync);
        sync();
        vm.stateProperty().subscribe(s -> state());
        vm.offReasonProperty().subscribe(s -> state());
    }

    private void state() {
        boolean rooms = vm.stateProperty().get() == NetworkRoomsViewModel.State.ROOMS;
        list.setVisible(rooms);
        list.setManaged(rooms);
        empty.setVisible(!rooms);
        empty.setManaged(!rooms);
        if (vm.stateProperty().get() == NetworkRoomsViewModel.State.OFF) {
            emptyIcon.setIconLiteral("fth-wifi-off");
            emptyTitle.setText("Not looking for rooms on this network");
            emptyText.setText(vm.offReasonProperty().get() + " Join by address or invite link (Ctrl+J).");
        } else {
            emptyIcon.setIconLiteral("fth-wifi");
            emptyTitle.setText("No rooms found on this network yet.");
            emptyText.setText("Ask the host for the invite link, or join by address (Ctrl+J). Rooms on another"
                    + " subnet or behind a VPN are not listed here.");
        }
    }

    /** The rows as the view model has them, reusing the node of each room already shown. */
    private void sync() {
        List<NetworkRoomRow> now = vm.rows();
        Set<String> ids = new HashSet<>();
        List<Node> target = new ArrayList<>();
        for (NetworkRoomRow r : now) {
            ids.add(r.identity());
            RowNode n = nodes.computeIfAbsent(r.identity(), id -> new RowNode());
            n.show(r);
            target.add(n.item);
        }
        nodes.keySet().retainAll(ids);
        var children = list.getChildren();
        children.retainAll(target);
        for (int i = 0; i < target.size(); i++) {
            Node want = target.get(i);
            if (i < children.size() && children.get(i) == want) {
                continue;
            }
            if (children.contains(want)) {
                children.setAll(target); // the order changed (a renamed room): rare
                return;
            }
            children.add(i, want);
        }
    }

    /**
     * One room: its button and, for a room whose key differs, the warning under it (beside the
     * button, not in it, so it wraps at the row's width); {@link #show} updates it in place.
     */
    private final class RowNode {
        final Button button = new Button();
        final VBox item = new VBox();
        final Label name = new Label();
        final FontIcon lock = new FontIcon("fth-lock");
        final Label detail = new Label();
        final FontIcon icon = new FontIcon("fth-wifi");
        final Label warning = new Label();
        final Label badge = new Label();
        final FontIcon badgeIcon = new FontIcon();
        final Tooltip badgeTip = new Tooltip();
        NetworkRoomRow row;
        /** True while the join this row started runs; null when none does. */
        ObservableValue<Boolean> joining;

        RowNode() {
            name.getStyleClass().add("network-name");
            lock.getStyleClass().add("network-lock");
            detail.getStyleClass().add("network-detail");
            warning.getStyleClass().add("network-warning");
            warning.setWrapText(true);
            warning.setGraphic(new FontIcon("fth-alert-triangle"));
            badge.getStyleClass().add("key-badge");
            badge.setGraphic(badgeIcon);
            badge.setMinWidth(Region.USE_PREF_SIZE);
            badgeTip.setWrapText(true);
            badgeTip.setMaxWidth(320);
            badge.setTooltip(badgeTip);
            HBox title = new HBox(6, name, lock);
            title.setAlignment(Pos.CENTER_LEFT);
            VBox text = new VBox(2, title, detail);
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            icon.getStyleClass().add("network-icon");
            FontIcon arrow = new FontIcon("fth-arrow-right");
            HBox top = new HBox(12, icon, text, badge, arrow);
            top.setAlignment(Pos.CENTER_LEFT);
            button.setGraphic(top);
            button.getStyleClass().addAll("network-row", "flat");
            button.setMnemonicParsing(false);
            button.setMaxWidth(Double.MAX_VALUE);
            top.prefWidthProperty().bind(button.widthProperty().subtract(28));
            top.maxWidthProperty().bind(button.widthProperty().subtract(28));
            warning.setMaxWidth(Double.MAX_VALUE);
            warning.setMinHeight(Region.USE_PREF_SIZE);
            item.getChildren().addAll(button, warning);
            item.getStyleClass().add("network-item");
            button.setOnAction(e -> joining(join.apply(row.link())));
            // Enter joins too (Space does already); a filter, so the button's own keys never fire it twice
            button.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.ENTER && !e.isShortcutDown() && !e.isAltDown()) {
                    button.fire();
                    e.consume();
                }
            });
        }

        /** Shows "Joining…" in the row while {@code busy} is true. */
        void joining(ObservableValue<Boolean> busy) {
            if (busy == null || !busy.getValue() || joining != null) {
                return;
            }
            joining = busy;
            detail();
            Subscription[] done = new Subscription[1];
            done[0] = busy.subscribe((was, now) -> {
                if (!now) {
                    done[0].unsubscribe();
                    joining = null;
                    detail();
                }
            });
        }

        private void detail() {
            detail.setText(
                    joining != null ? "Joining…" : row.detail() + (row.passwordRequired() ? "  ·  password" : ""));
        }

        void show(NetworkRoomRow r) {
            if (r.equals(row)) {
                return;
            }
            row = r;
            button.setUserData(r.identity());
            name.setText(r.name());
            lock.setVisible(r.passwordRequired());
            lock.setManaged(r.passwordRequired());
            detail();
            icon.setIconLiteral(r.remembered() ? "fth-bookmark" : "fth-wifi"); // found by a probe, or announced
            boolean differs = r.key() == KeyCheck.DIFFERS;
            warning.setText(differs ? r.keyText() : "");
            warning.setVisible(differs);
            warning.setManaged(differs);
            badge.setText(r.keyLabel());
            badgeTip.setText(r.keyText());
            badgeIcon.setIconLiteral(
                    switch (r.key()) {
                        case NEW -> "fth-help-circle";
                        case KNOWN -> "fth-shield";
                        case DIFFERS -> "fth-alert-triangle";
                        case UNENCRYPTED -> "fth-unlock";
                    });
            badge.getStyleClass().removeAll("new", "known", "differs", "unencrypted");
            badge.getStyleClass().add(r.key().name().toLowerCase(Locale.ROOT));
            button.getStyleClass().remove("differs");
            item.getStyleClass().remove("differs");
            if (differs) {
                button.getStyleClass().add("differs");
                item.getStyleClass().add("differs");
            }
            button.setAccessibleText(r.accessibleText());
        }
    }
}
