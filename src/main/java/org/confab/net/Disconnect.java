package org.confab.net;

/** How a room connection ended, for good or (inside net) one of its links. */
public record Disconnect(Kind kind, String text) {
    /** The kinds of ending a user is told apart. */
    public enum Kind {
        /** We left on purpose. */
        LEFT,
        /** The host closed the room. */
        ROOM_CLOSED,
        /** The host dropped us with an error (protocol error, too slow, timeout). */
        DROPPED,
        /** The network failed or the host vanished. */
        LOST,
        /** A moderator removed (kicked or banned) us: not retried by itself. */
        REMOVED
    }
}
