package org.confab.ui.shell;

import java.util.List;
import org.confab.net.RoomConnection;
import org.confab.ui.common.Membership;
import org.confab.ui.host.HostService;
import org.confab.ui.room.FxBridge;
import org.confab.ui.room.RoomActions;
import org.confab.ui.room.RoomView;
import org.confab.ui.room.RoomViewModel;

/**
 * A room open in the window, with everything that lives as long as the person is in it: its view
 * model and view, the bridge that feeds the view model, this app's membership (the lasting
 * connection and its store), the room this window hosts (null: a joined room) and the room
 * password (for reconnects without asking; null: none). {@link #close()} ends all of it.
 *
 * <p>A direct conversation with one member of a room is an open room too, with that room as its
 * {@code parent}: it shares the room's connection and bridge (the room's view model passes every
 * update on to it), and closing it closes only the conversation.
 */
record OpenRoom(
        RoomViewModel vm,
        RoomView view,
        FxBridge bridge,
        Membership member,
        HostService.Hosted hosted,
        String password,
        OpenRoom parent) {
    OpenRoom(
            RoomViewModel vm,
            RoomView view,
            FxBridge bridge,
            Membership member,
            HostService.Hosted hosted,
            String password) {
        this(vm, view, bridge, member, hosted, password, null);
    }

    /** True for a direct conversation (in its parent room). */
    boolean direct() {
        return parent != null;
    }

    /** A direct conversation of {@code room} on its (new) connection. */
    OpenRoom directIn(OpenRoom room) {
        return new OpenRoom(vm, view, room.bridge(), room.member(), null, null, room);
    }

    /** The view model's side of a direct conversation with the member {@code dm} shows: sends go to that member only. */
    static RoomActions directActions(Membership member, RoomViewModel dm) {
        return RoomActions.of(member.room(), member.store(), () -> {}, dm.directWithProperty()::get);
    }

    /** The same room on a new lasting connection (after the old one ended), on the same store. */
    OpenRoom on(RoomConnection fresh) {
        Membership again = new Membership(fresh, member.store(), List.of(), List.of());
        vm.restarting(actions(again, hosted));
        return new OpenRoom(vm, view, bridge, again, hosted, password, null);
    }

    RoomConnection connection() {
        return member.room();
    }

    /**
     * Leaves: the bridge stops feeding the view model, and off the FX thread the connection leaves
     * in order, the store closes and, when this window hosts the room, the room stops.
     */
    void close() {
        if (parent != null) {
            parent.vm().unfollow(vm); // the room goes on
            return;
        }
        bridge.detach();
        vm.leave();
    }

    /** The port this window hosts the room on, or -1. */
    int hostedPort() {
        return hosted == null ? -1 : hosted.self().port();
    }

    /**
     * The view model's side of a lasting connection; leaving releases the connection and the store
     * and then stops the hosted room (in that order: our leave reaches the room before it closes).
     */
    static RoomActions actions(Membership member, HostService.Hosted hosted) {
        return RoomActions.of(member.room(), member.store(), () -> {
            try {
                member.close();
            } finally {
                if (hosted != null) {
                    hosted.stop(); // its announcement's goodbyes, then the room
                }
            }
        });
    }
}
