package org.confab.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.confab.core.RoomEvent;

/**
 * A host's room history in SQLite: every event, in sequence order, with the client id of each
 * message; and the room's persistent identity, made on first start.
 *
 * <p>Durability: WAL journal, one transaction per event, and the host appends before it sends
 * the event to anyone. With {@code synchronous=FULL} (the default) {@link #append} returns only
 * when the event is in the log file and fsynced: what a member has seen survives {@code kill -9}
 * and power loss, at the price of one fsync per event (2–4 ms on the test machine). With
 * {@code synchronous=NORMAL} the commit is a write into the log file without fsync: it survives
 * the host process being killed ({@code kill -9}; the OS still holds the written pages) but the
 * newest events may be lost if the machine itself crashes. The file is opened in exclusive locking
 * mode: a second host process on the same file fails to start with a clear message.
 *
 * <p>Thread-safe (every method is synchronized on the store).
 */
public final class HostStore implements HostHistory {
    private final Connection db;
    private final Path file;
    private final String roomId;
    private final PreparedStatement insert;
    private final PreparedStatement byCid;
    private long lastSeq;
    private long firstSeq;

    private HostStore(Path file, boolean fsyncEachEvent) {
        this.file = file;
        this.db = Sql.open(file, fsyncEachEvent ? "FULL" : "NORMAL", true);
        try {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                Sql.createEvents(s);
                s.execute("CREATE UNIQUE INDEX IF NOT EXISTS events_cid ON events(cid) WHERE cid IS NOT NULL");
            }
            String id = Sql.meta(db, "room_id");
            if (id == null) {
                id = UUID.randomUUID().toString();
                Sql.meta(db, "room_id", id);
            }
            roomId = id;
            lastSeq = Sql.scalar(db, "SELECT coalesce(max(seq), 0) FROM events");
            firstSeq = Sql.scalar(db, "SELECT coalesce(min(seq), 0) FROM events");
            insert = db.prepareStatement("INSERT INTO events(" + Sql.COLUMNS + ") VALUES " + Sql.PLACEHOLDERS);
            byCid = db.prepareStatement("SELECT seq FROM events WHERE cid = ?");
        } catch (SQLException e) {
            Sql.closeQuietly(db);
            throw new StoreException(Sql.friendly(file, e), e);
        }
    }

    /** Opens (or creates) the history file; throws {@link StoreException} with a readable message. */
    public static HostStore open(Path file) {
        return new HostStore(file, true);
    }

    /** Opens with {@code synchronous=FULL} ({@code fsyncEachEvent}) or {@code NORMAL}; see the class comment. */
    public static HostStore open(Path file, boolean fsyncEachEvent) {
        return new HostStore(file, fsyncEachEvent);
    }

    /**
     * A SQLite history kept in memory only: gone when the host stops (tests). A host without a
     * history file uses {@link MemoryHistory} instead, which costs far less per event.
     */
    public static HostStore inMemory() {
        return new HostStore(null, false);
    }

    /** The room's persistent identity (a UUID string), the same across restarts of this file. */
    public String roomId() {
        return roomId;
    }

    /** Where the history lives; null in memory. */
    public Path file() {
        return file;
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** The oldest event still kept, 0 if none. */
    public synchronized long firstSeq() {
        return firstSeq;
    }

    /**
     * Saves one event; returns once it is durable. Sequence numbers must follow on strictly.
     * Throws {@link StoreException} (nothing saved) on failure or if {@code cid} was already used.
     */
    public synchronized void append(RoomEvent event, String cid) {
        if (event.seq() <= lastSeq) {
            throw new IllegalArgumentException("seq " + event.seq() + " not after " + lastSeq);
        }
        Sql.call(file, () -> {
            Sql.bind(insert, event, cid);
            return insert.executeUpdate();
        });
        lastSeq = event.seq();
        if (firstSeq == 0) {
            firstSeq = event.seq();
        }
    }

    /** The seq of the message posted with client id {@code cid}, if it is still kept. */
    public synchronized OptionalLong seqOf(String cid) {
        return Sql.call(file, () -> {
            byCid.setString(1, cid);
            try (ResultSet rs = byCid.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        });
    }

    @Override
    public synchronized List<StoredEvent> about(long target) {
        return Sql.call(file, () -> Sql.about(db, target));
    }

    @Override
    public synchronized String setting(String key) {
        return Sql.call(file, () -> Sql.meta(db, "setting." + key));
    }

    @Override
    public synchronized void setting(String key, String value) {
        Sql.call(file, () -> {
            Sql.meta(db, "setting." + key, value);
            return null;
        });
    }

    @Override
    public synchronized void redact(long target) {
        Sql.call(file, () -> Sql.redact(db, target));
    }

    /** Events with {@code from <= seq <= to}, oldest first, at most {@code limit}. */
    public synchronized List<StoredEvent> range(long from, long to, int limit) {
        return Sql.call(
                file, () -> Sql.events(db, "WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?", from, to, limit));
    }

    /** The newest {@code n} events, oldest first. */
    public synchronized List<StoredEvent> recent(int n) {
        return Sql.call(
                file,
                () -> new ArrayList<>(
                        Sql.events(db, "ORDER BY seq DESC LIMIT ?", n).reversed()));
    }

    /** Deletes all but the newest {@code keep} events; returns how many were deleted. */
    public synchronized int trim(long keep) {
        long below = lastSeq - keep;
        if (below < firstSeq) {
            return 0;
        }
        return Sql.call(file, () -> {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM events WHERE seq <= ?")) {
                p.setLong(1, below);
                int n = p.executeUpdate();
                firstSeq = Sql.scalar(db, "SELECT coalesce(min(seq), 0) FROM events");
                return n;
            }
        });
    }

    @Override
    public synchronized void close() {
        Sql.closeQuietly(db);
    }
}
