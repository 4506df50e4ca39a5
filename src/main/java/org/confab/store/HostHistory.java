package org.confab.store;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.confab.core.RoomEvent;

/**
 * Where a host keeps its room's history: every event in sequence order with the client id of each
 * message, and the room's identity. {@link HostStore} keeps it in a SQLite file (durable, survives
 * restarts); {@link MemoryHistory} in a bounded ring in the heap (no history file configured:
 * gone when the host stops). Implementations are thread-safe.
 */
public interface HostHistory extends AutoCloseable {
    /** The room's identity (a UUID string); for a file, the same across restarts. */
    String roomId();

    /** Where the history lives; null in memory. */
    Path file();

    /** The seq of the newest event kept, 0 if none ever. */
    long lastSeq();

    /** The oldest event still kept, 0 if none. */
    long firstSeq();

    /**
     * Saves one event; returns once it is kept (durable, for a file). Sequence numbers must follow
     * on strictly. Throws {@link StoreException} (nothing saved) on failure or if {@code cid} was
     * already used by an event still kept.
     */
    void append(RoomEvent event, String cid);

    /**
     * Saves one event without waiting for it to be durable (group commit): the reads see it at
     * once; it is durable once {@link #sync} has returned its seq or more. Throws like {@link
     * #append}. By default the same as {@link #append}.
     */
    default void stage(RoomEvent event, String cid) {
        append(event, cid);
    }

    /**
     * Makes every event staged so far durable, all at once (one fsync for a file); returns the seq
     * up to which the history is durable. Throws {@link StoreException} if it could not: events
     * staged and not yet durable are then not saved. By default nothing is left to do.
     */
    default long sync() {
        return lastSeq();
    }

    /** The seq up to which the history is durable. By default every event kept. */
    default long durableSeq() {
        return lastSeq();
    }

    /** True if {@link #stage} leaves events to {@link #sync} (a file); false if staging is appending (memory). */
    default boolean groupCommits() {
        return false;
    }

    /** The seq of the message posted with client id {@code cid}, if it is still kept. */
    OptionalLong seqOf(String cid);

    /** Events with {@code from <= seq <= to}, oldest first, at most {@code limit}. */
    List<StoredEvent> range(long from, long to, int limit);

    /**
     * As {@link #range}, without the {@code joined} and {@code left} events below {@code
     * presenceFrom} of anyone but {@code nick} (as spelled there): what a member that does not hear
     * others' presence from the start (protocol §20) is sent when it catches up. The file does the
     * filtering, so a catch-up past thousands of joins does not read them ({@link Long#MAX_VALUE}:
     * no others' presence at all; 0: the same as {@link #range}).
     */
    List<StoredEvent> range(long from, long to, int limit, long presenceFrom, String nick);

    /**
     * How many {@code joined} and {@code left} events of anyone but {@code nick} have {@code from
     * <= seq <= to}, counting up to {@code most}.
     */
    int presenceCount(long from, long to, String nick, int most);

    /** The newest {@code n} events, oldest first. */
    List<StoredEvent> recent(int n);

    /** The edits, deletions and reactions of message {@code target} still kept, oldest first. */
    List<StoredEvent> about(long target);

    /**
     * A deletion: message {@code target}'s text, and that of its edits, become {@link
     * org.confab.core.Room#DELETED_TEXT} (those who resume, join later or read the file never see it).
     */
    void redact(long target);

    /**
     * A piece of the room's state kept beside its history (the topic, the moderation state), or
     * null if never set. Kept as long as the history is: across restarts for a file.
     */
    String setting(String key);

    /** Keeps {@code value} as {@link #setting(String)} {@code key}; throws {@link StoreException} on failure. */
    void setting(String key, String value);

    /** Deletes all but the newest {@code keep} events; returns how many were deleted. */
    int trim(long keep);

    @Override
    void close();
}
