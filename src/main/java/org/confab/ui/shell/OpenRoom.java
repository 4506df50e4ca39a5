package org.confab.ui.shell;

import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.net.RoomConnection;
import org.confab.store.ClientStore;
import org.confab.store.StoredEvent;
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
 */
record OpenRoom(
        RoomViewModel vm,
        RoomView view,
        FxBridge bridge,
        Membership member,
        HostService.Hosted hosted,
        String password) {

    /** The same room on a new lasting connection (after the old one ended), on the same store. */
    OpenRoom on(RoomConnection fresh) {
        Membership again = new Membership(fresh, member.store(), List.of(), List.of());
        vm.restarting(actions(again, hosted));
        return new OpenRoom(vm, view, bridge, again, hosted, password);
    }

    RoomConnection connection() {
        return member.room();
    }

    /**
     * Leaves: the bridge stops feeding the view model, and off the FX thread the connection leaves
     * in order, the store closes and, when this window hosts the room, the room stops.
     */
    void close() {
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
        RoomActions inner = RoomActions.of(member.room());
        ClientStore s = member.store();
        return new RoomActions() {
            @Override
            public String nick() {
                return inner.nick();
            }

            @Override
            public String send(String text) {
                return inner.send(text);
            }

            @Override
            public String send(String text, long replyTo) {
                return inner.send(text, replyTo);
            }

            @Override
            public boolean edit(long seq, String text) {
                return inner.edit(seq, text);
            }

            @Override
            public void typing() {
                inner.typing();
            }

            @Override
            public boolean delete(long seq) {
                return inner.delete(seq);
            }

            @Override
            public boolean react(long seq, String emoji, boolean on) {
                return inner.react(seq, emoji, on);
            }

            @Override
            public void leave() {
                try {
                    member.close();
                } finally {
                    if (hosted != null) {
                        hosted.stop(); // its announcement's goodbyes, then the room
                    }
                }
            }

            @Override
            public boolean rename(String newNick) {
                return inner.rename(newNick);
            }

            @Override
            public void retryNow() {
                inner.retryNow();
            }

            @Override
            public List<ChatMessage> search(String query) {
                return inner.search(query);
            }

            @Override
            public boolean hasHistory() {
                return s != null;
            }

            @Override
            public List<StoredEvent> earlier(long beforeSeq, int max) {
                return s == null ? List.of() : s.before(beforeSeq, max);
            }
        };
    }
}
