package org.confab.ui;

import org.confab.net.RoomClient;

/** What the room view model needs from a connection: narrow, so it is testable without sockets. */
public interface RoomSession {
    /** The nickname the room knows us by. */
    String nick();

    /** Queues a message; false if it could not be sent. Never blocks. */
    boolean send(String text);

    /** Leaves in order; may block briefly, so the view model calls it off the FX thread. */
    void leave();

    static RoomSession of(RoomClient client) {
        return new RoomSession() {
            @Override
            public String nick() {
                return client.nick();
            }

            @Override
            public boolean send(String text) {
                return client.send(text);
            }

            @Override
            public void leave() {
                client.leave();
            }
        };
    }
}
