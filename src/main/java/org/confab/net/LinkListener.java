package org.confab.net;

import java.util.List;
import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Message;

/**
 * What a {@link RoomLink} (one connection of a {@link RoomConnection}) reports, called on the
 * link's reader thread, in order. Only {@link RoomConnection} listens to it; the UI and the
 * terminal client hear the {@link RoomConnection} through a {@link RoomConnectionListener}.
 */
interface LinkListener {
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
    default void error(ErrorCode code, String text) {}

    /**
     * Non-fatal error with the client id of the send it answers (null if none) and, for
     * {@code rate-limited}, when to try again. The default forwards to {@link #error(ErrorCode, String)}.
     */
    default void error(ErrorCode code, String text, String cid, long retryAfterMillis) {
        error(code, text);
    }

    /** The host already had the message with this client id, as {@code seq} (a retry was dropped). */
    default void ack(String cid, long seq) {}

    /** {@code nick} is typing (§14.5; not a room event). */
    default void typing(String nick) {}

    /** {@code nick}'s availability changed (§17.1). */
    default void presence(String nick, String state, String text) {}

    /** {@code nick} has read up to {@code seq} (§17.2); {@code direct}: our direct conversation with it. */
    default void read(String nick, long seq, boolean direct) {}

    /** Every member as of event {@code seq} (§20: the answer to watching the list). */
    default void memberList(long seq, List<String> members) {}

    /** The room has {@code members} members (§20: told now and then while not watching). */
    default void memberCount(int members) {}

    /** A file message about an upload ({@code file-accepted}, {@code file-ack}; §18). */
    default void file(Message m) {}

    /** A chunk of a download (§18.3), as it arrived: not yet checked. */
    default void chunk(FileChunk c) {}

    /** The connection ended; called exactly once. */
    void disconnected(Disconnect why);
}
