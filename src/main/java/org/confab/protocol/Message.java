package org.confab.protocol;

import java.util.List;
import java.util.Objects;
import org.confab.core.RoomEvent;

/**
 * The structured messages of protocol v1 (JSON frames). See docs/protocol.md for the wire form.
 */
public sealed interface Message {
    /** Protocol version this code speaks. */
    int VERSION = 1;

    /** Client → host, first frame: who I am and what I speak. */
    record Hello(int version, String nick, String client) implements Message {
        public Hello {
            Objects.requireNonNull(nick, "nick");
            client = client == null ? "" : client;
        }
    }

    /** Host → client, after a good hello: the room, its members and recent history. */
    record Welcome(int version, String room, String you, List<String> members, List<RoomEvent> history,
                   long lastSeq, String server) implements Message {
        public Welcome {
            members = List.copyOf(members);
            history = List.copyOf(history);
            server = server == null ? "" : server;
        }
    }

    /** Client → host, before hello, in a room with a password: SCRAM client-first message. */
    record AuthStart(String mechanism, String clientFirst) implements Message { }

    /** Host → client: SCRAM server-first message (salt, iterations, nonce). */
    record Challenge(String serverFirst) implements Message { }

    /** Client → host: SCRAM client-final message (carries the proof). */
    record AuthFinish(String clientFinal) implements Message { }

    /** Host → client: password accepted; SCRAM server-final message proves the host knows it too. */
    record AuthOk(String serverFinal) implements Message { }

    /** Host → client instead of a welcome; the connection closes after it. */
    record Reject(ErrorCode code, String reason) implements Message { }

    /** Client → host: post a message. {@code cid} is an optional client-chosen id (may be null). */
    record Send(String text, String cid) implements Message {
        public Send {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Client → host: change my nickname. */
    record Rename(String nick) implements Message { }

    /** Host → client: something happened in the room (message, joined, left, renamed). */
    record Event(RoomEvent event) implements Message { }

    /** Either way: are you there? The other side answers with a pong carrying the same nonce. */
    record Ping(long nonce) implements Message { }

    /** Either way: answer to a ping. */
    record Pong(long nonce) implements Message { }

    /** Client → host: I am leaving (orderly). */
    record Leave(String reason) implements Message { }

    /** Host → client: the room is closing (host stopped); the connection closes after it. */
    record Closing(String reason) implements Message { }

    /** Either way: something went wrong. {@code fatal} means the sender closes the connection. */
    record Error(ErrorCode code, String text, boolean fatal) implements Message { }
}
