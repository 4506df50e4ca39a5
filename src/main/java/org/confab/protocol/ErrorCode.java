package org.confab.protocol;

/** Machine-readable error and rejection codes, as they appear on the wire. */
public enum ErrorCode {
    /** Frame length above the maximum. */
    FRAME_TOO_LARGE("frame-too-large"),
    /** Frame header invalid (negative/zero length, unknown kind). */
    BAD_FRAME("bad-frame"),
    /** Payload is not valid UTF-8. */
    BAD_UTF8("bad-utf8"),
    /** Payload is not a JSON object. */
    BAD_JSON("bad-json"),
    /** JSON object lacks a field, has a wrong type, or an unknown message type. */
    BAD_MESSAGE("bad-message"),
    /** A frame kind this version does not handle (binary frames before file transfer exists). */
    UNSUPPORTED_FRAME("unsupported-frame"),
    /** Protocol version not spoken by the other side. */
    UNSUPPORTED_VERSION("unsupported-version"),
    /** Nickname already used in the room (case-insensitive). */
    NICK_TAKEN("nick-taken"),
    /** Nickname breaks the rules (empty, too long, control characters). */
    NICK_INVALID("nick-invalid"),
    /** The room has reached its member limit. */
    ROOM_FULL("room-full"),
    /** A message before the handshake finished, or a second hello. */
    UNEXPECTED("unexpected"),
    /** Message text too long or empty. */
    MESSAGE_INVALID("message-invalid"),
    /** An edit, deletion or reaction the rules refuse (not yours, too late, no such message); non-fatal. */
    NOT_ALLOWED("not-allowed"),
    /** No hello within the handshake timeout. */
    HANDSHAKE_TIMEOUT("handshake-timeout"),
    /** Nothing heard from the peer within the idle timeout. */
    IDLE_TIMEOUT("idle-timeout"),
    /** The peer stopped reading and its outbound queue filled. */
    SLOW_CONSUMER("slow-consumer"),
    /** The room needs a password and none was given. */
    PASSWORD_REQUIRED("password-required"),
    /** The password was wrong (or the exchange failed). */
    BAD_PASSWORD("bad-password"),
    /** Too many wrong passwords from this address; wait and retry. */
    AUTH_THROTTLED("auth-throttled"),
    /** A file offer, chunk or download the host refuses (too big, over the quota, files off, unknown, corrupt); non-fatal. */
    FILE_REFUSED("file-refused"),
    /** Too many messages too fast; the message was not posted and may be sent again later. */
    RATE_LIMITED("rate-limited"),
    /** The host is shutting the room down. */
    ROOM_CLOSED("room-closed"),
    /** Refused or removed for good: a moderator banned this member (§15). */
    BANNED("banned"),
    /** A moderator removed this member from the room (§15); it may join again. */
    REMOVED("removed"),
    /** Anything else; the text says what. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The code for a wire string, or {@link #INTERNAL} for codes this version does not know. */
    public static ErrorCode fromWire(String s) {
        for (ErrorCode c : values()) {
            if (c.wire.equals(s)) {
                return c;
            }
        }
        return INTERNAL;
    }
}
