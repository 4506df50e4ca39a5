package org.confab.ui.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.net.Joined;
import org.confab.protocol.Message;
import org.confab.ui.common.TextClipboard;
import org.confab.ui.common.Theme;

/** A {@link RoomView} on a view model, styled as the app styles it, for UI tests and the GUI flood benchmark. */
final class RoomViewFixture {
    /** Leave, reconnect and the theme toggle do nothing. */
    static final RoomView.Actions NO_ACTIONS = new RoomView.Actions() {
        @Override
        public void leave(RoomViewModel r) {}

        @Override
        public void reconnect(RoomViewModel r) {}

        @Override
        public void toggleTheme() {}
    };

    /** "me" in a room: sending queues (a client id per text), leaving does nothing. */
    static final RoomActions ME = new RoomActions() {
        @Override
        public String nick() {
            return "me";
        }

        @Override
        public String send(String text) {
            return "c-" + text.hashCode();
        }

        @Override
        public void leave() {}
    };

    private RoomViewFixture() {}

    /**
     * Opens {@code vm} on {@code actions} and feeds it a join the way a {@code RoomConnection} reports
     * one through the bridge: connected with the welcome, then the welcome's history as events.
     */
    /** The welcome as the connection reports it. */
    static Joined joinedOf(Message.Welcome w) {
        return new Joined(
                w.room(),
                w.you(),
                w.members(),
                w.lastSeq(),
                w.server(),
                w.roomId(),
                Joined.Resume.NONE,
                w.topic(),
                w.roles(),
                presence(w),
                w.reads(),
                w.size());
    }

    private static Map<String, Joined.Status> presence(Message.Welcome w) {
        Map<String, Joined.Status> out = new HashMap<>();
        w.presence().forEach((who, st) -> out.put(who, new Joined.Status(st.state(), st.text())));
        return out;
    }

    static void joined(RoomViewModel vm, RoomActions actions, Message.Welcome welcome, InviteLink where) {
        vm.open(actions, where, welcome.room(), List.of(), List.of(), false);
        var updates = new ArrayList<FxBridge.Update>();
        updates.add(new FxBridge.Update.Connected(joinedOf(welcome)));
        for (RoomEvent e : welcome.history()) {
            updates.add(new FxBridge.Update.Event(e));
        }
        vm.apply(updates);
    }

    /** The room view of {@code vm} (no invite addresses) in a scene of that size, with the theme's stylesheets. */
    static Scene scene(RoomViewModel vm, Theme theme, double width, double height) {
        return scene(vm, theme, width, height, TextClipboard.system());
    }

    /** {@link #scene} with "Copy" going to {@code clipboard}. */
    static Scene scene(RoomViewModel vm, Theme theme, double width, double height, TextClipboard clipboard) {
        return scene(vm, theme, width, height, clipboard, NO_ACTIONS);
    }

    /** {@link #scene} with "Copy" going to {@code clipboard} and the view's own actions. */
    static Scene scene(
            RoomViewModel vm,
            Theme theme,
            double width,
            double height,
            TextClipboard clipboard,
            RoomView.Actions actions) {
        Scene scene = new Scene(new RoomView(vm, theme, actions, List.of(), clipboard).load(), width, height);
        theme.style(scene);
        return scene;
    }

    /** {@link #scene}, set on {@code stage} and shown. */
    static Scene show(Stage stage, RoomViewModel vm, Theme theme, double width, double height) {
        return show(stage, vm, theme, width, height, TextClipboard.system());
    }

    /** {@link #show} with "Copy" going to {@code clipboard}. */
    static Scene show(
            Stage stage, RoomViewModel vm, Theme theme, double width, double height, TextClipboard clipboard) {
        Scene scene = scene(vm, theme, width, height, clipboard);
        stage.setScene(scene);
        stage.show();
        return scene;
    }
}
