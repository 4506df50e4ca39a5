package org.confab.ui.room;

import java.util.List;
import java.util.function.Supplier;
import org.confab.core.ChatMessage;
import org.confab.core.Moderation;
import org.confab.net.FileTransfers;
import org.confab.net.RoomConnection;
import org.confab.store.ClientStore;
import org.confab.store.StoredEvent;

/** What the room view model needs from a connection: narrow, so it is testable without sockets. */
public interface RoomActions {
    /** The nickname the room knows us by. */
    String nick();

    /**
     * Queues a message. Returns its client id (the pending row and its state marks follow it), or
     * null if it could not be queued. Never blocks, neither for the network nor for the disk. Throws
     * {@link IllegalArgumentException} with a sentence if the text is not acceptable.
     */
    String send(String text);

    /** As {@link #send(String)}, a reply to message {@code replyTo} (0: none). */
    default String send(String text, long replyTo) {
        return send(text);
    }

    /**
     * Queues a direct message to member {@code to} (only they and the room's host can read it);
     * its client id, or null if it could not be queued. Throws as {@link #send(String)}.
     */
    default String sendDirect(String to, String text) {
        return null;
    }

    /** Changes my message {@code seq} to {@code text}; false if that cannot be asked now (offline). */
    default boolean edit(long seq, String text) {
        return false;
    }

    /** Deletes my message {@code seq}; false if that cannot be asked now. */
    default boolean delete(long seq) {
        return false;
    }

    /** Adds ({@code on}) or takes back reaction {@code emoji} on message {@code seq}; false if not now. */
    default boolean react(long seq, String emoji, boolean on) {
        return false;
    }

    /** Sets the room's topic (host and moderators); false if that cannot be asked now. */
    default boolean setTopic(String text) {
        return false;
    }

    /** A moderator's act on member {@code nick}; false if that cannot be asked now. */
    default boolean moderate(Moderation.Action action, String nick, String reason, long minutes) {
        return false;
    }

    /** My availability: online, away or dnd, with a short text (kept across reconnects); false if not told now. */
    default boolean presence(String state, String text) {
        return false;
    }

    /** A read receipt: I have read up to {@code seq} (throttled by the connection; never blocks). */
    default void read(long seq) {}

    /** Loads the whole member list of a big room and keeps it current (docs/protocol.md §20). */
    default void watchMembers() {}

    /** "I am typing" (throttled by the connection; never blocks). */
    default void typing() {}

    /** This connection's file transfers, or null where files cannot travel (tests that only chat). */
    default FileTransfers files() {
        return null;
    }

    /** Whom what is sent goes to: the other member of a direct conversation, null for the room. */
    default String directTo() {
        return null;
    }

    /** Leaves in order; may block briefly, so the view model calls it off the FX thread. */
    void leave();

    /** Asks the room to call us {@code newNick} (its answer comes as a rename event or an error); false if not connected. */
    default boolean rename(String newNick) {
        return false;
    }

    /** While waiting to reconnect: try now. */
    default void retryNow() {}

    /** Searches what this member has seen of the room, newest first. May block (disk): off the FX thread. */
    default List<ChatMessage> search(String query) {
        return List.of();
    }

    /**
     * True if {@link #earlier} can answer: this member's history cache is behind the session. The
     * room view offers "Show earlier messages" only then.
     */
    default boolean hasHistory() {
        return false;
    }

    /**
     * Up to {@code max} events older than {@code beforeSeq} from this member's history cache, oldest
     * first (the newest {@code max} of them). May block (disk): off the FX thread.
     */
    default List<StoredEvent> earlier(long beforeSeq, int max) {
        return List.of();
    }

    /** A lasting connection: the outbox keeps what is written offline. */
    static RoomActions of(RoomConnection room) {
        return of(room, null, room::leave);
    }

    /**
     * A lasting connection with its history cache ({@code history}, may be null: no earlier
     * messages) and what leaving does ({@code leave}: at least {@code room.leave()}).
     */
    static RoomActions of(RoomConnection room, ClientStore history, Runnable leave) {
        return of(room, history, leave, null);
    }

    /**
     * As {@link #of(RoomConnection, ClientStore, Runnable)} for a direct conversation with the
     * member {@code directTo} names (it follows renames): what is sent goes to that member only.
     */
    static RoomActions of(RoomConnection room, ClientStore history, Runnable leave, Supplier<String> directTo) {
        return new RoomActions() {
            @Override
            public String nick() {
                return room.nick();
            }

            @Override
            public String send(String text) {
                return send(text, 0);
            }

            @Override
            public String sendDirect(String to, String text) {
                try {
                    var entry = room.prepare(text, 0, to);
                    room.sendLater(entry);
                    return entry.cid();
                } catch (IllegalStateException ended) {
                    return null;
                }
            }

            @Override
            public String send(String text, long replyTo) {
                try {
                    var entry = room.prepare(text, replyTo, directTo == null ? null : directTo.get());
                    room.sendLater(entry); // the outbox write happens on the connection's thread, not this one
                    return entry.cid();
                } catch (IllegalStateException ended) {
                    return null;
                }
            }

            @Override
            public boolean edit(long seq, String text) {
                return room.edit(seq, text);
            }

            @Override
            public void typing() {
                room.typing();
            }

            @Override
            public void watchMembers() {
                room.watchMembers(true);
            }

            @Override
            public boolean presence(String state, String text) {
                return room.presence(state, text);
            }

            @Override
            public void read(long seq) {
                String with = directTo == null ? null : directTo.get();
                if (with == null) {
                    room.read(seq);
                } else {
                    room.readDirect(with, seq); // only that member hears it
                }
            }

            @Override
            public boolean delete(long seq) {
                return room.delete(seq);
            }

            @Override
            public boolean react(long seq, String emoji, boolean on) {
                return room.react(seq, emoji, on);
            }

            @Override
            public boolean setTopic(String text) {
                return room.setTopic(text);
            }

            @Override
            public boolean moderate(Moderation.Action action, String nick, String reason, long minutes) {
                return room.moderate(action, nick, reason, minutes);
            }

            @Override
            public FileTransfers files() {
                return room.files();
            }

            @Override
            public String directTo() {
                return directTo == null ? null : directTo.get();
            }

            @Override
            public void leave() {
                leave.run();
            }

            @Override
            public boolean rename(String newNick) {
                return room.rename(newNick);
            }

            @Override
            public void retryNow() {
                room.retryNow();
            }

            @Override
            public List<ChatMessage> search(String query) {
                return room.search(query);
            }

            @Override
            public boolean hasHistory() {
                return history != null;
            }

            @Override
            public List<StoredEvent> earlier(long beforeSeq, int max) {
                return history == null ? List.of() : history.before(beforeSeq, max);
            }
        };
    }
}
