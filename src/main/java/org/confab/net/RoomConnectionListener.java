package org.confab.net;

import java.util.List;
import org.confab.core.RoomEvent;

/**
 * What a {@link RoomConnection} reports: connection state for a banner, every room event once and
 * in order, and the state of each message this client wrote. Plain interface: the UI's FX bridge
 * queues these and applies them on the FX thread; the terminal client prints them.
 *
 * <p>Called on Confab's threads (the connection's reader for events, its timer for reconnects,
 * its outbox thread for {@code SENT} after {@link RoomConnection#sendLater}), never on the FX thread.
 * A message is PENDING from the moment it is written (the writer knows that: it is not reported);
 * a PENDING report means it went back to waiting (a rate-limit refusal, to be resent).
 * Implementations must return quickly and must not wait for a lock that is held by a thread
 * calling into the {@link RoomConnection} (queue the call and return, as the FX bridge does).
 */
public interface RoomConnectionListener {
    /** Joined (first time or again). {@link Joined#fresh()} says whether this started afresh or resumed. */
    default void connected(Joined joined) {}

    /**
     * The join resumed where this client left off: the {@code missed} events it had not seen follow
     * as {@link #event}s. {@code gap}: the host no longer had all of them (history trimmed), so
     * some before the first one that follows are lost to this client.
     */
    default void resumed(long missed, boolean gap) {}

    /**
     * The cached history belongs to another room than the one now at this address (the host's
     * history was reset): it was dropped; clear the view. The new room's events follow.
     */
    default void historyReset() {}

    /** The connection dropped (or a join attempt failed); the next attempt is in {@code delayMillis}. */
    default void reconnecting(long delayMillis, int attempt, String reason) {}

    /** A room event, each exactly once, in sequence order. {@code cid}: its sender's client id (null if none). */
    void event(RoomEvent event, String cid);

    /** A message this client wrote changed state (see {@link RoomConnection.MessageState}). */
    default void messageState(String cid, RoomConnection.MessageState state) {}

    /**
     * The host answered something with a non-fatal error (message refused, rename refused, ...):
     * {@code code} is its wire code (docs/protocol.md §7, e.g. {@code nick-taken}), {@code text} the host's sentence.
     */
    default void error(String code, String text) {}

    /** {@code nick} is typing (not a room event; comes again every few seconds while they type). */
    default void typing(String nick) {}

    /** {@code nick}'s availability is now {@code state} (online, away, dnd) with {@code text} (docs/protocol.md §17.1). */
    default void presence(String nick, String state, String text) {}

    /**
     * {@code nick} has read up to {@code seq} (a read receipt, §17.2): the room, or ({@code
     * direct}) our direct conversation with it.
     */
    default void read(String nick, long seq, boolean direct) {}

    /**
     * Every member, in join order, as of event {@code asOf} (docs/protocol.md §20: a big room's
     * list, loaded lazily, after {@link RoomConnection#watchMembers}); later {@code joined} and
     * {@code left} events change it as usual. Replaces what {@link Joined#members()} said.
     */
    default void memberList(List<String> members, long asOf) {}

    /** The room has {@code members} members now (§20: while its list is not watched; no events say who). */
    default void memberCount(int members) {}

    /** The connection ended for good (left, room closed, or a join refusal that retrying cannot fix). */
    default void ended(Disconnect why) {}
}
