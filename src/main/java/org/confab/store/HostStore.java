package org.confab.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.confab.core.RoomEvent;

/**
 * A host's room history in SQLite: every event, in sequence order, with the client id of each
 * message; and the room's persistent identity, made on first start.
 *
 * <p>Durability: WAL journal, and the host sends an event to no one before it is durable. The
 * connection runs {@code synchronous=NORMAL} (a commit is a write into the log file, no fsync) and
 * the store itself fsyncs the log file: {@link #append} and every other write return once what they
 * wrote is committed and fsynced (what a member has seen survives {@code kill -9} and power loss);
 * {@link #stage} only writes the event into an open transaction, and {@link #sync} commits every
 * event staged so far and fsyncs once for all of them (group commit: the host's posting path). The
 * fsync runs outside the store's lock, so events are staged and read while it runs. With {@code
 * fsyncEachEvent} false ({@code --sync normal}) the store never fsyncs: a commit survives the host
 * process being killed ({@code kill -9}; the OS still holds the written pages) but the newest events
 * may be lost if the machine itself crashes (SQLite still fsyncs around its checkpoints, so the file
 * stays whole). The file is opened in exclusive locking mode: a second host process on the same file
 * fails to start with a clear message.
 *
 * <p>Thread-safe (every method but the fsync of {@link #sync} holds the store's lock).
 */
public final class HostStore implements HostHistory {
    private final Connection db;
    private final Path file;
    private final String roomId;
    private final PreparedStatement insert;
    private final PreparedStatement byCid;
    private long lastSeq;
    private long firstSeq;
    /** The store fsyncs its log file itself (a file, {@code synchronous=FULL} asked for). */
    private final boolean fsync;
    /**
     * Guards the connection and the fields below that say so. An explicit lock, not the store's
     * monitor: the room's reader (staging) and its committer (committing) take it in turn thousands
     * of times a second, and a contended monitor spins on the CPU the other one needs.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Events are staged in an open transaction, not yet committed; guarded by {@link #lock}. */
    private boolean staging;
    /**
     * Everything up to this seq is committed and (with {@link #fsync}) fsynced; written under {@link
     * #syncLock}, read without it (a reader never waits for an fsync in progress).
     */
    private volatile long durableSeq;
    /** One fsync at a time; guards {@link #durableSeq} and {@link #log}. */
    private final Object syncLock = new Object();
    /** The WAL file, opened for fsync at the first sync; guarded by {@link #syncLock}. */
    private FileChannel log;
    /** A commit or an fsync failed: why nothing more is saved, or null; guarded by {@link #lock}. */
    private String broken;

    private HostStore(Path file, boolean fsyncEachEvent) {
        this.file = file;
        this.fsync = fsyncEachEvent && file != null;
        this.db = Sql.open(file, "NORMAL", true);
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
            durableSeq = lastSeq;
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

    public long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest event still kept, 0 if none. */
    public long firstSeq() {
        lock.lock();
        try {
            return firstSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Saves one event; returns once it is durable (with every event staged before it). Sequence
     * numbers must follow on strictly. Throws {@link StoreException} (nothing saved) on failure or if
     * {@code cid} was already used.
     */
    public void append(RoomEvent event, String cid) {
        stage(event, cid);
        sync();
    }

    /**
     * Saves one event into the open transaction without waiting for it to be durable: {@link
     * #seqOf}, {@link #range} and the other reads see it at once; it is durable once {@link #sync}
     * has returned its seq or more. Throws {@link StoreException} (this event not saved; those staged
     * before it still are) on failure or if {@code cid} was already used.
     */
    @Override
    public void stage(RoomEvent event, String cid) {
        lock.lock();
        try {
            if (event.seq() <= lastSeq) {
                throw new IllegalArgumentException("seq " + event.seq() + " not after " + lastSeq);
            }
            usable();
            Sql.call(file, () -> {
                if (!staging) {
                    db.setAutoCommit(false);
                    staging = true;
                }
                Sql.bind(insert, event, cid);
                return insert.executeUpdate();
            });
            lastSeq = event.seq();
            if (firstSeq == 0) {
                firstSeq = event.seq();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits every event staged so far and fsyncs the log file once for all of them (group
     * commit); returns the seq up to which the history is durable. Only the commit holds the
     * store's lock (a write into the log file), not the fsync. Throws {@link StoreException} if the
     * commit or the fsync failed: a failed commit takes back what was staged (those events are not
     * saved), after a failed fsync what was written may not be on disk; either way nothing more is
     * saved (every later write throws) until the store is opened again.
     */
    @Override
    public long sync() {
        long upTo = commitStaged();
        synchronized (syncLock) {
            if (upTo > durableSeq) {
                if (fsync) {
                    force();
                }
                durableSeq = upTo;
            }
            return durableSeq;
        }
    }

    /** True: {@link #stage} leaves its events to {@link #sync}. */
    @Override
    public boolean groupCommits() {
        return true;
    }

    /** The seq up to which the history is durable (committed and fsynced). */
    @Override
    public long durableSeq() {
        return durableSeq;
    }

    /** Commits the staged events, if any; returns the newest seq committed (all of them, then). */
    private long commitStaged() {
        lock.lock();
        try {
            usable();
            if (staging) {
                try {
                    db.commit();
                } catch (SQLException e) {
                    try {
                        db.rollback();
                        lastSeq = Sql.scalar(db, "SELECT coalesce(max(seq), 0) FROM events");
                        firstSeq = Sql.scalar(db, "SELECT coalesce(min(seq), 0) FROM events");
                    } catch (SQLException again) {
                        e.addSuppressed(again);
                    }
                    // what was staged is taken back, and so may be what is staged next: save nothing more
                    broken = Sql.friendly(file, e) + " Nothing more is saved until the host restarts.";
                    throw new StoreException(broken, e);
                } finally {
                    staging = false;
                    try {
                        db.setAutoCommit(true);
                    } catch (SQLException ignored) {
                        // the connection is gone; the next call says so
                    }
                }
            }
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Fsyncs the log file (and, the first time, its folder, so the file itself is there after a crash); under syncLock. */
    private void force() {
        try {
            if (log == null) {
                Path wal = Path.of(file.toAbsolutePath() + "-wal");
                log = FileChannel.open(wal, StandardOpenOption.READ);
                Path dir = wal.getParent();
                if (dir != null && Files.isDirectory(dir)) {
                    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                        d.force(true);
                    } catch (IOException ignored) {
                        // a folder cannot be fsynced on this platform; SQLite made the file earlier
                    }
                }
            }
            log.force(false);
        } catch (IOException e) {
            String why = "The history file " + file + " could not be saved (fsync failed: " + e.getMessage()
                    + "); nothing more is saved until the host restarts.";
            lock.lock();
            try {
                broken = why;
            } finally {
                lock.unlock();
            }
            throw new StoreException(why, e);
        }
    }

    /** Throws if an fsync failed earlier; under {@link #lock}. */
    private void usable() {
        if (broken != null) {
            throw new StoreException(broken, null);
        }
    }

    /** The seq of the message posted with client id {@code cid}, if it is still kept. */
    public OptionalLong seqOf(String cid) {
        lock.lock();
        try {
            return Sql.call(file, () -> {
                byCid.setString(1, cid);
                try (ResultSet rs = byCid.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            });
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<StoredEvent> about(long target) {
        lock.lock();
        try {
            return Sql.call(file, () -> Sql.about(db, target));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String setting(String key) {
        lock.lock();
        try {
            return Sql.call(file, () -> Sql.meta(db, "setting." + key));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setting(String key, String value) {
        lock.lock();
        try {
            commitStaged();
            Sql.call(file, () -> {
                Sql.meta(db, "setting." + key, value);
                return null;
            });
        } finally {
            lock.unlock();
        }
        forceWrites();
    }

    @Override
    public void redact(long target) {
        lock.lock();
        try {
            commitStaged();
            Sql.call(file, () -> Sql.redact(db, target));
        } finally {
            lock.unlock();
        }
        forceWrites();
    }

    /** Events with {@code from <= seq <= to}, oldest first, at most {@code limit}. */
    public List<StoredEvent> range(long from, long to, int limit) {
        lock.lock();
        try {
            return Sql.call(
                    file, () -> Sql.events(db, "WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?", from, to, limit));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<StoredEvent> range(long from, long to, int limit, long presenceFrom, String nick) {
        if (presenceFrom <= from) {
            return range(from, to, limit);
        }
        lock.lock();
        try {
            return Sql.call(
                    file,
                    () -> Sql.events(
                            db,
                            "WHERE seq >= ? AND seq <= ? AND (kind NOT IN ('joined', 'left') OR seq >= ? OR nick = ?)"
                                    + " ORDER BY seq LIMIT ?",
                            from,
                            to,
                            presenceFrom,
                            nick,
                            limit));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int presenceCount(long from, long to, String nick, int most) {
        lock.lock();
        try {
            return Sql.call(file, () -> {
                try (var p =
                        db.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE seq >= ? AND seq <= ?"
                                + " AND kind IN ('joined', 'left') AND nick <> ? LIMIT ?)")) {
                    p.setLong(1, from);
                    p.setLong(2, to);
                    p.setString(3, nick);
                    p.setInt(4, most);
                    try (var rs = p.executeQuery()) {
                        return rs.next() ? rs.getInt(1) : 0;
                    }
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /** The newest {@code n} events, oldest first. */
    public List<StoredEvent> recent(int n) {
        lock.lock();
        try {
            return Sql.call(
                    file,
                    () -> new ArrayList<>(
                            Sql.events(db, "ORDER BY seq DESC LIMIT ?", n).reversed()));
        } finally {
            lock.unlock();
        }
    }

    /** Deletes all but the newest {@code keep} events; returns how many were deleted. */
    public int trim(long keep) {
        int n;
        lock.lock();
        try {
            long below = lastSeq - keep;
            if (below < firstSeq) {
                return 0;
            }
            commitStaged();
            n = Sql.call(file, () -> {
                try (PreparedStatement p = db.prepareStatement("DELETE FROM events WHERE seq <= ?")) {
                    p.setLong(1, below);
                    int deleted = p.executeUpdate();
                    firstSeq = Sql.scalar(db, "SELECT coalesce(min(seq), 0) FROM events");
                    return deleted;
                }
            });
        } finally {
            lock.unlock();
        }
        forceWrites();
        return n;
    }

    /** After a write outside {@link #stage}: fsyncs the log file, so it is durable when the write returns. */
    private void forceWrites() {
        if (fsync) {
            synchronized (syncLock) {
                force();
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            try {
                commitStaged(); // what was staged is kept (closing the connection would take it back)
            } catch (StoreException ignored) {
                // closing anyway: the host said it could not save
            }
            Sql.closeQuietly(db);
        } finally {
            lock.unlock();
        }
        synchronized (syncLock) {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
