package org.confab.net;

import org.confab.core.Fingerprint;

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
        LOST,
        /** First visit to an encrypted room: the user must confirm its safety code ({@link #presented()}). */
        UNKNOWN_KEY,
        /** A known room shows another key than before ({@link #known()} vs {@link #presented()}). */
        KEY_CHANGED,
        /** The room's key differs from the one in the invite link. */
        KEY_MISMATCH,
        /** Encryption expected on one side only (one side runs with --insecure). */
        NOT_ENCRYPTED,
        /** The room needs a password. */
        PASSWORD_REQUIRED,
        /** The password was wrong. */
        BAD_PASSWORD,
        /** Too many wrong passwords from this address. */
        THROTTLED,
        /** The room is closing (the host is shutting down). */
        ROOM_CLOSED,
        /** A moderator banned this member from the room. */
        BANNED;

        /**
         * A refusal a later attempt can overcome (the host is back, our old session timed out, a
         * place freed up), so a lasting connection retries it by itself. A key, password,
         * version or protocol problem needs the person: never a silent retry.
         */
        public boolean retryable() {
            return switch (this) {
                case REFUSED, UNKNOWN_HOST, TIMEOUT, UNREACHABLE, LOST, NICK_TAKEN, ROOM_FULL, THROTTLED -> true;
                case INCOMPATIBLE_VERSION,
                        NICK_INVALID,
                        PROTOCOL,
                        UNKNOWN_KEY,
                        KEY_CHANGED,
                        KEY_MISMATCH,
                        NOT_ENCRYPTED,
                        PASSWORD_REQUIRED,
                        BAD_PASSWORD,
                        ROOM_CLOSED,
                        BANNED -> false;
            };
        }

        /**
         * A failure of the very first attempt that is worth a few more: the connection was cut in
         * some phase, or the host gave up waiting (a machine too busy to finish the handshake in
         * time). Unlike a refusal or a wrong address, it says nothing about the room.
         */
        public boolean transientFailure() {
            return this == LOST || this == TIMEOUT;
        }
    }

    private final Reason reason;
    private Fingerprint presented;
    private Fingerprint known;

    /** The key the room presented (for UNKNOWN_KEY, KEY_CHANGED, KEY_MISMATCH). */
    public Fingerprint presented() {
        return presented;
    }

    /** The key remembered or pinned for that room (KEY_CHANGED, KEY_MISMATCH). */
    public Fingerprint known() {
        return known;
    }

    JoinException withKeys(Fingerprint presented, Fingerprint known) {
        this.presented = presented;
        this.known = known;
        return this;
    }

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
