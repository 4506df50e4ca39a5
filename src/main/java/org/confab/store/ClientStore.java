package org.confab.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;

/**
 * A member's side of one room, in SQLite: a cache of the room's events (so a restarted client
 * shows the past at once and knows from which {@code seq} to resume), a full-text index of the
 * messages (FTS5), the outbox of messages not yet confirmed by the host and the file uploads not
 * yet shared ({@link PendingUpload}).
 *
 * <p>Durability: WAL with {@code synchronous=NORMAL}: a committed outbox entry or event survives
 * the program being killed; only an OS crash may lose the newest commits. That is safe here: a
 * lost cached event is fetched again on resume (the cache's last seq is simply lower), and the
 * outbox keeps a message until the host's echo is cached.
 *
 * <p>Thread-safe (every method is synchronized on the store).
 */
public final class ClientStore implements AutoCloseable {
    private final Connection db;
    private final Path file;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertFts;

    private ClientStore(Path file) {
        this.file = file;
        this.db = Sql.open(file, "NORMAL", false);
        try {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                Sql.createEvents(s);
                s.execute("CREATE INDEX IF NOT EXISTS events_cid ON events(cid) WHERE cid IS NOT NULL");
                s.execute("CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(text, nick, content='events',"
                        + " content_rowid='seq', tokenize='unicode61 remove_diacritics 2')");
                s.execute("CREATE TABLE IF NOT EXISTS outbox(ord INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " cid TEXT NOT NULL UNIQUE, text TEXT NOT NULL, created INTEGER NOT NULL)");
                boolean hasReply = false;
                boolean hasTo = false;
                try (ResultSet rs = s.executeQuery("PRAGMA table_info(outbox)")) {
                    while (rs.next()) {
                        hasReply |= "reply_to".equals(rs.getString("name"));
                        hasTo |= "to_nick".equals(rs.getString("name"));
                    }
                }
                s.execute("CREATE TABLE IF NOT EXISTS uploads(id TEXT PRIMARY KEY, path TEXT NOT NULL,"
                        + " name TEXT NOT NULL, size INTEGER NOT NULL, modified INTEGER NOT NULL,"
                        + " sha256 TEXT NOT NULL, mime TEXT, to_nick TEXT, caption TEXT NOT NULL)");
                boolean hasThumb = false;
                try (ResultSet rs = s.executeQuery("PRAGMA table_info(uploads)")) {
                    while (rs.next()) {
                        hasThumb |= "thumb".equals(rs.getString("name"));
                    }
                }
                if (!hasThumb) { // an image's preview, kept so a resumed upload's message still shows it
                    s.execute("ALTER TABLE uploads ADD COLUMN thumb TEXT");
                }
                if (!hasReply) {
                    s.execute("ALTER TABLE outbox ADD COLUMN reply_to INTEGER NOT NULL DEFAULT 0");
                }
                if (!hasTo) {
                    s.execute("ALTER TABLE outbox ADD COLUMN to_nick TEXT");
                }
            }
            insertEvent =
                    db.prepareStatement("INSERT OR IGNORE INTO events(" + Sql.COLUMNS + ") VALUES " + Sql.PLACEHOLDERS);
            insertFts = db.prepareStatement("INSERT INTO events_fts(rowid, text, nick) VALUES (?, ?, ?)");
        } catch (SQLException e) {
            Sql.closeQuietly(db); // failing anyway
            if (String.valueOf(e.getMessage()).contains("fts5")) {
                throw new StoreException("This SQLite has no full-text search (FTS5).", e);
            }
            throw new StoreException(Sql.friendly(file, e), e);
        }
    }

    public static ClientStore open(Path file) {
        return new ClientStore(file);
    }

    public static ClientStore inMemory() {
        return new ClientStore(null);
    }

    public Path file() {
        return file;
    }

    /** The identity of the room this cache belongs to; null before the first welcome. */
    public synchronized String roomId() {
        return call(() -> Sql.meta(db, "room_id"));
    }

    /** The {@code seq} of the newest cached event, 0 if none. */
    public synchronized long lastSeq() {
        return call(() -> Sql.scalar(db, "SELECT coalesce(max(seq), 0) FROM events"));
    }

    /**
     * Binds the cache to room {@code roomId}. If it held another room's events (the host's history
     * was reset, or another room now answers at that address), they are dropped: their sequence
     * numbers mean nothing in the new room; {@code clear} drops them even for the same room. The
     * outbox is kept.
     */
    public synchronized void startRoom(String roomId, boolean clear) {
        call(() -> {
            String current = Sql.meta(db, "room_id");
            if (roomId.equals(current) && !clear) {
                return null;
            }
            Sql.inTransaction(db, () -> {
                try (Statement s = db.createStatement()) {
                    s.execute("DELETE FROM events");
                    s.execute("INSERT INTO events_fts(events_fts) VALUES('delete-all')");
                    Sql.meta(db, "room_id", roomId);
                }
            });
            return null;
        });
    }

    /** Caches events (one transaction); events already cached are skipped. */
    public synchronized void append(Collection<StoredEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        call(() -> {
            Sql.inTransaction(db, () -> {
                for (StoredEvent s : events) {
                    Sql.bind(insertEvent, s.event(), s.cid());
                    if (insertEvent.executeUpdate() != 1) {
                        continue; // cached already
                    }
                    switch (s.event()) {
                        case RoomEvent.Posted p ->
                            index(p.seq(), p.message().text(), p.message().sender());
                        // the message reads (and is found by) its new text; the old one is forgotten
                        case RoomEvent.Edited x -> retext(x.target(), x.text());
                        case RoomEvent.Deleted x -> {
                            unindex(x.target());
                            Sql.redact(db, x.target());
                        }
                        default -> {}
                    }
                }
            });
            return null;
        });
    }

    public void append(RoomEvent event, String cid) {
        append(List.of(new StoredEvent(event, cid)));
    }

    private void index(long seq, String text, String nick) throws SQLException {
        insertFts.setLong(1, seq);
        insertFts.setString(2, text);
        insertFts.setString(3, nick);
        insertFts.executeUpdate();
    }

    /** Takes message {@code seq} out of the search index (FTS5 needs the indexed values to remove them). */
    private boolean unindex(long seq) throws SQLException {
        try (PreparedStatement p =
                db.prepareStatement("SELECT text, nick FROM events WHERE seq = ? AND kind = 'message'")) {
            p.setLong(1, seq);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                try (PreparedStatement d = db.prepareStatement(
                        "INSERT INTO events_fts(events_fts, rowid, text, nick) VALUES('delete', ?, ?, ?)")) {
                    d.setLong(1, seq);
                    d.setString(2, rs.getString(1));
                    d.setString(3, rs.getString(2));
                    d.executeUpdate();
                }
                return true;
            }
        }
    }

    /** Message {@code seq} reads {@code text} now (an edit): in the cache and in the search index. */
    private void retext(long seq, String text) throws SQLException {
        String nick;
        try (PreparedStatement p = db.prepareStatement("SELECT nick FROM events WHERE seq = ? AND kind = 'message'")) {
            p.setLong(1, seq);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return; // not cached (older than the cache): the edit row alone tells it
                }
                nick = rs.getString(1);
            }
        }
        unindex(seq);
        try (PreparedStatement u = db.prepareStatement("UPDATE events SET text = ? WHERE seq = ?")) {
            u.setString(1, text);
            u.setLong(2, seq);
            u.executeUpdate();
        }
        index(seq, text, nick);
    }

    /** The newest {@code n} cached events, oldest first. */
    public synchronized List<StoredEvent> recent(int n) {
        return call(() ->
                new ArrayList<>(Sql.events(db, "ORDER BY seq DESC LIMIT ?", n).reversed()));
    }

    /** Up to {@code n} cached events older than {@code seq} (the newest of them), oldest first. */
    public synchronized List<StoredEvent> before(long seq, int n) {
        return call(() -> {
            List<StoredEvent> page = new ArrayList<>(Sql.events(db, "WHERE seq < ? ORDER BY seq DESC LIMIT ?", seq, n)
                    .reversed());
            if (!page.isEmpty()) {
                // the edits, deletions and reactions made since to the page's messages: a row shown
                // again (after it was trimmed from the list) reads as it did
                page.addAll(Sql.events(
                        db,
                        "WHERE target >= ? AND target < ? AND seq >= ? AND kind != 'message' ORDER BY seq",
                        page.getFirst().seq(),
                        seq,
                        seq));
            }
            return page;
        });
    }

    /**
     * Full-text search of the cached messages, newest first, at most {@code limit}. Every word of
     * {@code query} must occur (as a word or the start of one; case and accents ignored); FTS
     * syntax in the query is not interpreted, so any text is safe to pass.
     */
    public synchronized List<ChatMessage> search(String query, int limit) {
        String match = matchExpression(query);
        if (match.isEmpty()) {
            return List.of();
        }
        return call(() -> {
            try (PreparedStatement p = db.prepareStatement(
                    "SELECT e.seq, e.id, e.kind, e.time, e.nick, e.text, e.cid, e.target, e.flag, e.peer, e.file"
                            + " FROM events_fts f JOIN events e ON e.seq = f.rowid WHERE events_fts MATCH ? ORDER BY e.seq DESC LIMIT ?")) {
                p.setString(1, match);
                p.setInt(2, limit);
                var out = new ArrayList<ChatMessage>();
                for (StoredEvent s : Sql.readAll(p)) {
                    if (s.event() instanceof RoomEvent.Posted posted) {
                        out.add(posted.message());
                    }
                }
                return out;
            }
        });
    }

    /** Each word quoted (FTS5 string) and made a prefix; words joined by AND. */
    static String matchExpression(String query) {
        var b = new StringBuilder();
        for (String word : query.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append(" AND ");
            }
            b.append('"').append(word.replace("\"", "\"\"")).append("\"*");
        }
        return b.toString();
    }

    /** The newest {@code max} events of direct conversations (messages and changes to them), oldest first. */
    public synchronized List<StoredEvent> direct(int max) {
        return call(() -> Sql.events(
                db,
                "WHERE seq IN (SELECT seq FROM events WHERE peer IS NOT NULL ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                max));
    }

    // ------------------------------------------------------------------ outbox

    /** Puts a message in the outbox with a new client id; durable on return. */
    public OutboxEntry enqueue(String text) {
        return enqueue(new OutboxEntry(UUID.randomUUID().toString(), text, Instant.now()));
    }

    /** Saves a message the caller already gave its client id (durable on return). */
    public synchronized OutboxEntry enqueue(OutboxEntry entry) {
        call(() -> {
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO outbox(cid, text, created, reply_to, to_nick) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, entry.cid());
                p.setString(2, entry.text());
                p.setLong(3, entry.created().toEpochMilli());
                p.setLong(4, entry.replyTo());
                p.setString(5, entry.to());
                p.executeUpdate();
            }
            return null;
        });
        return entry;
    }

    /** Messages not yet confirmed, in the order they were written. */
    public synchronized List<OutboxEntry> outbox() {
        return call(() -> {
            try (PreparedStatement p = db.prepareStatement(
                            "SELECT cid, text, created, reply_to, to_nick FROM outbox ORDER BY ord");
                    ResultSet rs = p.executeQuery()) {
                var out = new ArrayList<OutboxEntry>();
                while (rs.next()) {
                    out.add(new OutboxEntry(
                            rs.getString(1),
                            rs.getString(2),
                            Instant.ofEpochMilli(rs.getLong(3)),
                            rs.getLong(4),
                            rs.getString(5)));
                }
                return out;
            }
        });
    }

    /** Removes a confirmed (or refused) message from the outbox; false if it was not there. */
    public synchronized boolean removeFromOutbox(String cid) {
        return call(() -> {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM outbox WHERE cid = ?")) {
                p.setString(1, cid);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Remembers an unfinished upload (durable on return), replacing one of the same id. */
    public synchronized void saveUpload(PendingUpload u) {
        call(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO uploads(id, path, name, size,"
                    + " modified, sha256, mime, to_nick, caption, thumb) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, u.id());
                p.setString(2, u.path().toString());
                p.setString(3, u.name());
                p.setLong(4, u.size());
                p.setLong(5, u.modifiedMillis());
                p.setString(6, u.sha256());
                p.setString(7, u.mime());
                p.setString(8, u.to());
                p.setString(9, u.caption());
                p.setString(10, u.thumb());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The unfinished uploads, oldest first. */
    public synchronized List<PendingUpload> pendingUploads() {
        return call(() -> {
            try (PreparedStatement p = db.prepareStatement("SELECT id, path, name, size, modified, sha256, mime,"
                            + " to_nick, caption, thumb FROM uploads ORDER BY rowid");
                    ResultSet rs = p.executeQuery()) {
                var out = new ArrayList<PendingUpload>();
                while (rs.next()) {
                    out.add(new PendingUpload(
                            rs.getString(1),
                            Path.of(rs.getString(2)),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            rs.getString(10)));
                }
                return out;
            }
        });
    }

    /** Forgets an upload that is shared, refused or cancelled; false if it was not there. */
    public synchronized boolean removeUpload(String id) {
        return call(() -> {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
                p.setString(1, id);
                return p.executeUpdate() == 1;
            }
        });
    }

    @Override
    public synchronized void close() {
        Sql.closeQuietly(db);
    }

    private <T> T call(Sql.Query<T> query) {
        return Sql.call(file, query);
    }
}
