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

    /**
     * A room event with the client id its sender gave it ({@code cid}, null if none). The default
     * forwards to {@link #event(RoomEvent)}; {@link RoomConnection} uses the cid to mark its own
     * messages delivered.
     */
    default void event(RoomEvent event, String cid) {
        event(event);
    }

    /** The host answered something we sent with a non-fatal error (e.g. message too long). */
    default void error(ErrorCode code, String text) { }

    /**
     * Non-fatal error with the client id of the send it answers (null if none) and, for
     * {@code rate-limited}, when to try again. The default forwards to {@link #error(ErrorCode, String)}.
     */
    default void error(ErrorCode code, String text, String cid, long retryAfterMillis) {
        error(code, text);
    }

    /** The host already had the message with this client id, as {@code seq} (a retry was dropped). */
    default void ack(String cid, long seq) { }

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
