package org.confab.net;

import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;

/**
 * What a {@link RoomClient} reports, called on the client's reader thread, in order. The UI's
 * FX bridge implements it by queueing and hopping threads; the terminal client prints.
 */
public interface RoomListener {
    /** A room event, in sequence order. */
    void event(RoomEvent event);

    /** The host answered something we sent with a non-fatal error (e.g. message too long). */
    default void error(ErrorCode code, String text) { }

    /** The connection ended; called exactly once. */
    void disconnected(Disconnect why);

    /** How a connection ended. */
    record Disconnect(Kind kind, String text) {
        /** The kinds of ending a user is told apart. */
        public enum Kind {
            /** We left on purpose. */
            LEFT,
            /** The host closed the room. */
            ROOM_CLOSED,
            /** The host dropped us with an error (protocol error, too slow, timeout). */
            DROPPED,
            /** The network failed or the host vanished. */
            LOST
        }
    }
}
