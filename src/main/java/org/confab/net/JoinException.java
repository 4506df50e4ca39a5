package org.confab.net;

/** Joining failed; {@link #reason()} says how (for the UI to offer the right next step). */
public final class JoinException extends Exception {
    /** Why a join failed. */
    public enum Reason {
        /** Nobody listens at that address and port. */
        REFUSED,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** No answer within the connect timeout. */
        TIMEOUT,
        /** No route to the host / network unreachable. */
        UNREACHABLE,
        /** The host speaks another protocol version. */
        INCOMPATIBLE_VERSION,
        /** The nickname is taken in that room. */
        NICK_TAKEN,
        /** The nickname breaks the rules. */
        NICK_INVALID,
        /** The room is full. */
        ROOM_FULL,
        /** The other side is not a Confab host, or broke the protocol. */
        PROTOCOL,
        /** The connection dropped during the handshake. */
        LOST
    }

    private final Reason reason;

    public JoinException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public JoinException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
