package org.confab.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.Room;
import org.confab.core.RoomEvent;

/** Shared SQLite plumbing: opening with the right pragmas, and events as rows. */
final class Sql {
    static final String EVENTS_TABLE = """
            CREATE TABLE IF NOT EXISTS events(
              seq  INTEGER PRIMARY KEY,
              id   TEXT NOT NULL,
              kind TEXT NOT NULL,
              time INTEGER NOT NULL,
              nick TEXT,
              text TEXT,
              cid  TEXT,
              target INTEGER,
              flag INTEGER,
              peer TEXT,
              file TEXT)""";
    static final String COLUMNS = "seq, id, kind, time, nick, text, cid, target, flag, peer, file";
    /** The placeholders of an insert of {@link #COLUMNS}. */
    static final String PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Creates the events table, or brings one from before edits and reactions up to date (its
     * columns {@code target}: the message an event changes or a message answers; {@code flag}: a
     * reaction added (1) or taken back (0)).
     */
    static void createEvents(Statement s) throws SQLException {
        s.execute(EVENTS_TABLE);
        boolean hasTarget = false;
        boolean hasPeer = false;
        boolean hasFile = false;
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(events)")) {
            while (rs.next()) {
                hasTarget |= "target".equals(rs.getString("name"));
                hasPeer |= "peer".equals(rs.getString("name"));
                hasFile |= "file".equals(rs.getString("name"));
            }
        }
        if (!hasTarget) {
            s.execute("ALTER TABLE events ADD COLUMN target INTEGER");
            s.execute("ALTER TABLE events ADD COLUMN flag INTEGER");
        }
        if (!hasPeer) {
            // the other member of a direct message (and of the changes to it): null for the room's events
            s.execute("ALTER TABLE events ADD COLUMN peer TEXT");
        }
        if (!hasFile) {
            // the file a message shares (fileColumn): null for every other event
            s.execute("ALTER TABLE events ADD COLUMN file TEXT");
        }
        s.execute("CREATE INDEX IF NOT EXISTS events_target ON events(target) WHERE target IS NOT NULL");
    }

    /**
     * Forgets what message {@code target} said: its text and that of its edits become {@link
     * Room#DELETED_TEXT} (a deletion). Returns the rows changed.
     */
    static int redact(Connection db, long target) throws SQLException {
        try (PreparedStatement p =
                db.prepareStatement("UPDATE events SET text = ?, file = NULL WHERE (seq = ? AND kind ="
                        + " 'message') OR (target = ? AND kind = 'edited')")) {
            p.setString(1, Room.DELETED_TEXT);
            p.setLong(2, target);
            p.setLong(3, target);
            return p.executeUpdate();
        }
    }

    /** The edits, deletions and reactions of message {@code target}, oldest first. */
    static List<StoredEvent> about(Connection db, long target) throws SQLException {
        return events(db, "WHERE target = ? AND kind != 'message' ORDER BY seq", target);
    }

    private Sql() {}

    /**
     * Opens (creating) a database file, or an in-memory one for {@code file == null}.
     * {@code synchronous}: FULL or NORMAL (see docs/reliability.md for why each side uses which).
     */
    static Connection open(Path file, String synchronous, boolean exclusive) {
        String url;
        if (file == null) {
            url = "jdbc:sqlite::memory:";
        } else {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new StoreException("Cannot create the folder for " + file + ": " + e.getMessage(), e);
            }
            url = "jdbc:sqlite:" + file.toAbsolutePath();
        }
        try {
            // nothing reads generated keys: without this the driver runs a second query after every insert
            var props = new Properties();
            props.setProperty("jdbc.get_generated_keys", "false");
            Connection c = DriverManager.getConnection(url, props);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=2000");
                if (exclusive) {
                    s.execute("PRAGMA locking_mode=EXCLUSIVE");
                }
                if (file != null) {
                    s.execute("PRAGMA journal_mode=WAL");
                }
                s.execute("PRAGMA synchronous=" + synchronous);
                s.execute("PRAGMA foreign_keys=ON");
            }
            return c;
        } catch (SQLException e) {
            throw new StoreException(friendly(file, e), e);
        }
    }

    /** Closes a database being given up (failing to open, or closing): a failure changes nothing. */
    static void closeQuietly(Connection db) {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    static String friendly(Path file, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_BUSY") || m.contains("locked")) {
            return "The history file " + file + " is in use by another Confab program.";
        }
        if (m.contains("SQLITE_FULL")) {
            return "The disk is full; Confab cannot save to " + file + ".";
        }
        if (m.contains("SQLITE_CANTOPEN") || m.contains("SQLITE_READONLY") || m.contains("SQLITE_PERM")) {
            return "Cannot open " + file + " for writing; check the folder's permissions.";
        }
        if (m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB")) {
            return "The history file " + file + " is damaged or not a Confab file.";
        }
        return "Saving to " + (file == null ? "memory" : file.toString()) + " failed: " + m;
    }

    static void bind(PreparedStatement p, RoomEvent e, String cid) throws SQLException {
        p.setLong(1, e.seq());
        p.setString(2, e.id());
        p.setString(3, e.kind());
        p.setLong(4, e.time().toEpochMilli());
        p.setNull(8, Types.INTEGER);
        p.setNull(9, Types.INTEGER);
        p.setString(10, RoomEvent.directTo(e));
        p.setString(11, e instanceof RoomEvent.Posted m ? fileColumn(m.message().file()) : null);
        switch (e) {
            case RoomEvent.Posted m -> {
                p.setString(5, m.message().sender());
                p.setString(6, m.message().text());
                if (m.message().replyTo() > 0) {
                    p.setLong(8, m.message().replyTo());
                }
            }
            case RoomEvent.Edited x -> {
                p.setString(5, x.by());
                p.setString(6, x.text());
                p.setLong(8, x.target());
            }
            case RoomEvent.Deleted x -> {
                p.setString(5, x.by());
                p.setString(6, null);
                p.setLong(8, x.target());
            }
            case RoomEvent.Reacted x -> {
                p.setString(5, x.by());
                p.setString(6, x.emoji());
                p.setLong(8, x.target());
                p.setInt(9, x.added() ? 1 : 0);
            }
            case RoomEvent.TopicSet x -> {
                p.setString(5, x.by());
                p.setString(6, x.text());
            }
            case RoomEvent.Moderated x -> {
                // text: action, member and reason (tab-free, cleaned by the host); flag: a mute's end
                p.setString(5, x.by());
                p.setString(6, x.action() + "\t" + x.nick() + "\t" + x.reason().replace('\t', ' '));
                if (x.until() != null) {
                    p.setLong(9, x.until().toEpochMilli());
                }
            }
            case RoomEvent.Joined j -> {
                p.setString(5, j.nick());
                p.setString(6, null);
            }
            case RoomEvent.Left l -> {
                p.setString(5, l.nick());
                p.setString(6, l.reason());
            }
            case RoomEvent.Renamed r -> {
                p.setString(5, r.oldNick());
                p.setString(6, r.newNick());
            }
        }
        p.setString(7, cid);
    }

    /** Reads the current row (columns as in {@link #COLUMNS}). */
    static StoredEvent read(ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        String id = rs.getString(2);
        String kind = rs.getString(3);
        Instant time = Instant.ofEpochMilli(rs.getLong(4));
        String nick = rs.getString(5);
        String text = rs.getString(6);
        long target = rs.getLong(8); // 0 when NULL
        String peer = rs.getString(10);
        RoomEvent e = switch (kind) {
            case "message" ->
                new RoomEvent.Posted(new ChatMessage(
                        seq, id, nick, text, time, Math.max(0, target), peer, fileOf(rs.getString(11), seq)));
            case "edited" -> new RoomEvent.Edited(seq, id, time, target, nick, text, peer);
            case "deleted" -> new RoomEvent.Deleted(seq, id, time, target, nick, peer);
            case "reaction" -> new RoomEvent.Reacted(seq, id, time, target, nick, text, rs.getInt(9) == 1, peer);
            case "topic" -> new RoomEvent.TopicSet(seq, id, time, nick, text == null ? "" : text);
            case "moderation" -> {
                String[] f = (text == null ? "" : text).split("\t", 3);
                long until = rs.getLong(9);
                yield new RoomEvent.Moderated(
                        seq,
                        id,
                        time,
                        nick,
                        f[0],
                        f.length > 1 ? f[1] : "",
                        f.length > 2 ? f[2] : "",
                        until == 0 ? null : Instant.ofEpochMilli(until));
            }
            case "joined" -> new RoomEvent.Joined(seq, id, time, nick);
            case "left" -> new RoomEvent.Left(seq, id, time, nick, text);
            case "renamed" -> new RoomEvent.Renamed(seq, id, time, nick, text);
            default -> throw new SQLException("unknown event kind " + kind + " at seq " + seq);
        };
        return new StoredEvent(e, rs.getString(7));
    }

    /**
     * A shared file as one column: {@code 3}, id, size, chunk size, hash, media type, preview, a
     * folder's total (-1: none), then the name (last: it may hold tabs).
     */
    static String fileColumn(FileRef f) {
        return f == null
                ? null
                : String.join(
                        "\t",
                        "3",
                        f.id(),
                        Long.toString(f.size()),
                        Integer.toString(f.chunkSize()),
                        f.sha256(),
                        f.mime(),
                        f.thumb() == null ? "" : f.thumb(),
                        Long.toString(f.total()),
                        f.name());
    }

    static FileRef fileOf(String column, long seq) throws SQLException {
        if (column == null) {
            return null;
        }
        // layout 1: 1, id, size, chunk, sha256, mime, name; layout 2 adds the preview before the name, layout
        // 3 the folder's total after it (the name is last: it may hold anything, tabs too)
        String[] f = column.split("\t", column.startsWith("3\t") ? 9 : column.startsWith("2\t") ? 8 : 7);
        try {
            if (f[0].equals("1") && f.length == 7) {
                return new FileRef(f[1], f[6], Long.parseLong(f[2]), f[4], f[5], Integer.parseInt(f[3]));
            }
            if (f[0].equals("2") && f.length == 8) {
                return new FileRef(f[1], f[7], Long.parseLong(f[2]), f[4], f[5], Integer.parseInt(f[3]), f[6]);
            }
            if (f[0].equals("3") && f.length == 9) {
                return new FileRef(
                        f[1],
                        f[8],
                        Long.parseLong(f[2]),
                        f[4],
                        f[5],
                        Integer.parseInt(f[3]),
                        f[6],
                        Long.parseLong(f[7]));
            }
            throw new IllegalArgumentException("unknown layout");
        } catch (IllegalArgumentException e) {
            throw new SQLException("unreadable file of the message at seq " + seq + ": " + e.getMessage(), e);
        }
    }

    /**
     * The events that {@code rest} selects ({@code WHERE}, {@code ORDER BY}, {@code LIMIT}), with
     * {@code params} bound to its {@code ?} in order.
     */
    static List<StoredEvent> events(Connection db, String rest, Object... params) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT " + COLUMNS + " FROM events " + rest)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            return readAll(p);
        }
    }

    static List<StoredEvent> readAll(PreparedStatement p) throws SQLException {
        var out = new ArrayList<StoredEvent>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    static String meta(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static void meta(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    static long scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Work on a database that may fail with SQL's exception. */
    interface Work {
        void run() throws SQLException;
    }

    /** As {@link Work}, with a result. */
    interface Query<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code query}; an SQL failure is thrown as a {@link StoreException} that says what it
     * means for {@code file}.
     */
    static <T> T call(Path file, Query<T> query) {
        try {
            return query.run();
        } catch (SQLException e) {
            throw new StoreException(friendly(file, e), e);
        }
    }

    /** Runs {@code work} as one transaction: all of it is committed, or (on any failure) none of it. */
    static void inTransaction(Connection db, Work work) throws SQLException {
        db.setAutoCommit(false);
        try {
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }
}
