package org.confab.ui;

import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.net.RoomClient;
import org.confab.net.RoomConnection;
import org.confab.store.StoredEvent;

/** What the room view model needs from a connection: narrow, so it is testable without sockets. */
public interface RoomSession {
    /** The nickname the room knows us by. */
    String nick();

    /**
     * Queues a message. Returns its client id (the pending row and its state marks follow it), or
     * null if it could not be queued. Never blocks for the network. Throws
     * {@link IllegalArgumentException} with a sentence if the text is not acceptable.
     */
    String send(String text);

    /** Leaves in order; may block briefly, so the view model calls it off the FX thread. */
    void leave();

    /** While waiting to reconnect: try now. */
    default void retryNow() { }

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
    static RoomSession of(RoomConnection room) {
        return new RoomSession() {
            @Override
            public String nick() {
                return room.nick();
            }

            @Override
            public String send(String text) {
                try {
                    return room.send(text).cid();
                } catch (IllegalStateException ended) {
                    return null;
                }
            }

            @Override
            public void leave() {
                room.leave();
            }

            @Override
            public void retryNow() {
                room.retryNow();
            }

            @Override
            public List<ChatMessage> search(String query) {
                return room.search(query);
            }
        };
    }

    /** A single connection (no outbox): the message is written now or not at all. */
    static RoomSession of(RoomClient client) {
        return new RoomSession() {
            @Override
            public String nick() {
                return client.nick();
            }

            @Override
            public String send(String text) {
                String cid = java.util.UUID.randomUUID().toString();
                return client.send(text, cid) ? cid : null;
            }

            @Override
            public void leave() {
                client.leave();
            }
        };
    }
}
