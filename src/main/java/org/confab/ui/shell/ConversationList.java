package org.confab.ui.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import org.confab.ui.emoji.EmojiText;
import org.confab.ui.room.RoomViewModel;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The window's left rail: every open conversation, one row each, with its name, its state (a
 * dot: connected, reconnecting, disconnected; a broadcast icon for a room hosted here) and a badge
 * with its unread count ("@" when a message named you; grey when muted). A click (or the
 * window's shortcuts) shows it, a right-click sets how much it may notify (and, for a room hosted
 * here, whether Confab hosts it again when it starts); the bell in the header
 * is do-not-disturb for all of them; the buttons below host or join another one.
 */
final class ConversationList {
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass MENTIONED = PseudoClass.getPseudoClass("mentioned");
    private static final PseudoClass MUTED = PseudoClass.getPseudoClass("muted");

    private final VBox rows = new VBox(2);
    private final VBox root;
    private final List<Row> shown = new ArrayList<>();
    private final Consumer<OpenRoom> select;
    private final Function<OpenRoom, BooleanProperty> hostAgain;

    /**
     * @param doNotDisturb true: no notifications from any conversation (the bell in the rail's header)
     * @param hostAgain a hosted room's "host again when Confab starts" (in its row's menu)
     */
    ConversationList(
            Consumer<OpenRoom> select,
            Runnable host,
            Runnable join,
            Runnable settings,
            BooleanProperty doNotDisturb,
            Function<OpenRoom, BooleanProperty> hostAgain) {
        this.select = select;
        this.hostAgain = hostAgain;
        Label title = new Label("CONVERSATIONS");
        title.getStyleClass().add("section-label");
        ToggleButton bell = new ToggleButton();
        bell.setId("doNotDisturb");
        bell.getStyleClass().addAll("icon-button", "flat", "small");
        bell.selectedProperty().bindBidirectional(doNotDisturb);
        FontIcon bellIcon = new FontIcon(doNotDisturb.get() ? "fth-bell-off" : "fth-bell");
        doNotDisturb.addListener((o, was, now) -> bellIcon.setIconLiteral(now ? "fth-bell-off" : "fth-bell"));
        bell.setGraphic(bellIcon);
        Tooltip bellTip = new Tooltip();
        bellTip.textProperty()
                .bind(Bindings.when(doNotDisturb)
                        .then("Do not disturb: no notifications (click to allow them)")
                        .otherwise("Notifications on (click for do not disturb)"));
        bell.setTooltip(bellTip);
        bell.setAccessibleText("Do not disturb");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Button gear = new Button(null, new FontIcon("fth-settings"));
        gear.setId("railSettings");
        gear.getStyleClass().addAll("icon-button", "flat", "small");
        gear.setTooltip(new Tooltip("Settings (Ctrl+,)"));
        gear.setAccessibleText("Settings");
        gear.setOnAction(e -> settings.run());
        HBox header = new HBox(4, title, grow, bell);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("conversation-header");
        rows.getStyleClass().add("conversation-rows");
        ScrollPane scroll = new ScrollPane(rows);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("conversation-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        Button hostButton = new Button("Host", new FontIcon("fth-plus-circle"));
        hostButton.setId("railHost");
        hostButton.getStyleClass().addAll("flat", "small");
        hostButton.setTooltip(new Tooltip("Host a room (Ctrl+N)"));
        hostButton.setOnAction(e -> host.run());
        Button joinButton = new Button("Join", new FontIcon("fth-log-in"));
        joinButton.setId("railJoin");
        joinButton.getStyleClass().addAll("flat", "small");
        joinButton.setTooltip(new Tooltip("Join a room (Ctrl+J)"));
        joinButton.setOnAction(e -> join.run());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        for (Button b : List.of(hostButton, joinButton, gear)) {
            b.setMinWidth(Region.USE_PREF_SIZE); // the gap gives way, not the labels
        }
        HBox actions = new HBox(2, hostButton, joinButton, gap, gear);
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.getStyleClass().add("conversation-actions");
        root = new VBox(header, scroll, actions);
        root.getStyleClass().add("conversation-rail");
        root.setId("conversations");
        root.setPrefWidth(180);
        root.setMinWidth(160);
    }

    Node node() {
        return root;
    }

    /** Shows these conversations in this order, {@code current} marked. */
    void show(List<OpenRoom> rooms, OpenRoom current) {
        List<Row> next = new ArrayList<>();
        for (OpenRoom r : rooms) {
            Row row = shown.stream().filter(x -> x.room == r).findFirst().orElseGet(() -> new Row(r));
            row.node.pseudoClassStateChanged(SELECTED, r == current);
            next.add(row);
        }
        shown.clear();
        shown.addAll(next);
        rows.getChildren().setAll(next.stream().map(x -> (Node) x.node).toList());
    }

    /** One conversation's row; its bindings live as long as the row. */
    private final class Row {
        final OpenRoom room;
        final HBox node;

        Row(OpenRoom room) {
            this.room = room;
            RoomViewModel vm = room.vm();
            FontIcon icon = new FontIcon(room.direct() ? "fth-user" : room.hosted() != null ? "fth-radio" : "fth-hash");
            icon.getStyleClass().add("conversation-icon");
            Circle dot = new Circle(3.5);
            dot.getStyleClass().add("status-dot");
            StackPane.setAlignment(dot, Pos.BOTTOM_RIGHT);
            StackPane mark = new StackPane(icon, dot);
            mark.getStyleClass().add("conversation-mark");
            Label name = new Label();
            // emoji in a room's name as images (JavaFX draws no colour emoji fonts)
            EmojiText.standard().apply(name, vm.roomNameProperty().get());
            vm.roomNameProperty()
                    .addListener((o, was, now) -> EmojiText.standard().apply(name, now));
            name.getStyleClass().add("conversation-name");
            name.setMinWidth(0);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            Label badge = new Label();
            badge.getStyleClass().add("unread-badge");
            badge.setMinWidth(Region.USE_PREF_SIZE);
            badge.textProperty()
                    .bind(Bindings.createStringBinding(
                            () -> (vm.mentionsProperty().get() > 0 ? "@ " : "")
                                    + badgeCount(vm.unreadProperty().get()),
                            vm.unreadProperty(),
                            vm.mentionsProperty()));
            badge.visibleProperty().bind(vm.unreadProperty().greaterThan(0));
            badge.managedProperty().bind(badge.visibleProperty());
            node = new HBox(8, mark, name, gap, badge);
            node.setAlignment(Pos.CENTER_LEFT);
            node.getStyleClass().add("conversation-row");
            node.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY) {
                    select.accept(room);
                }
            });
            // right-click: how much this conversation may notify
            ToggleGroup levels = new ToggleGroup();
            ContextMenu menu = new ContextMenu();
            for (RoomViewModel.Alerts a : RoomViewModel.Alerts.values()) {
                RadioMenuItem item = new RadioMenuItem(
                        switch (a) {
                            case ALL -> "Notify: all messages";
                            case MENTIONS -> "Notify: mentions only";
                            case MUTED -> "Mute";
                        });
                item.setToggleGroup(levels);
                item.setSelected(vm.alertsProperty().get() == a);
                item.setOnAction(e -> vm.alertsProperty().set(a));
                vm.alertsProperty().addListener((o, was, now) -> item.setSelected(now == a));
                menu.getItems().add(item);
            }
            if (room.hosted() != null) {
                // a room hosted here: started again with Confab, if the person wants (not with a
                // password: Confab does not keep it)
                boolean locked = room.hosted().passwordProtected();
                CheckMenuItem again = new CheckMenuItem(
                        locked
                                ? "Host again when Confab starts (not with a password)"
                                : "Host again when Confab starts");
                again.setId("hostAgain");
                again.setDisable(locked || room.hostedPort() <= 0);
                if (!again.isDisable()) {
                    again.selectedProperty().bindBidirectional(hostAgain.apply(room));
                }
                menu.getItems().addAll(new SeparatorMenuItem(), again);
            }
            node.setOnContextMenuRequested(e -> menu.show(node, e.getScreenX(), e.getScreenY()));
            Tooltip tip = new Tooltip();
            tip.textProperty()
                    .bind(Bindings.createStringBinding(
                            () -> vm.roomNameProperty().get()
                                    + (room.hosted() != null
                                            ? " · hosted by you on port " + room.hostedPort()
                                            : vm.address() == null
                                                    ? ""
                                                    : " · at " + vm.address().address()),
                            vm.roomNameProperty(),
                            vm.addressProperty()));
            Tooltip.install(node, tip);
            Runnable state = () -> {
                dot.getStyleClass().removeAll("online", "busy", "offline");
                dot.getStyleClass()
                        .add(
                                switch (vm.stateProperty().get()) {
                                    case CONNECTED -> "online";
                                    case RECONNECTING -> "busy";
                                    case DISCONNECTED, LEFT -> "offline";
                                });
                node.pseudoClassStateChanged(MENTIONED, vm.mentionsProperty().get() > 0);
                node.pseudoClassStateChanged(MUTED, vm.alertsProperty().get() == RoomViewModel.Alerts.MUTED);
                node.setAccessibleText(vm.roomNameProperty().get() + ", "
                        + vm.stateProperty().get().name().toLowerCase(Locale.ROOT)
                        + (vm.unreadProperty().get() > 0
                                ? ", " + vm.unreadProperty().get() + " unread"
                                : ""));
            };
            vm.stateProperty().addListener((o, was, now) -> state.run());
            vm.unreadProperty().addListener((o, was, now) -> state.run());
            vm.mentionsProperty().addListener((o, was, now) -> state.run());
            vm.roomNameProperty().addListener((o, was, now) -> state.run());
            vm.alertsProperty().addListener((o, was, now) -> state.run());
            state.run();
        }
    }

    /** "3", "99+". */
    static String badgeCount(int n) {
        return n > 99 ? "99+" : Integer.toString(n);
    }
}
