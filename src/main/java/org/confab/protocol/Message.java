package org.confab.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.confab.core.RoomEvent;

/**
 * The structured messages of protocol v1 (JSON frames). See docs/protocol.md for the wire form.
 */
public sealed interface Message {
    /** Protocol version this code speaks. */
    int VERSION = 1;

    /**
     * Capabilities (docs/protocol.md §14), named in {@code hello.caps} and {@code welcome.caps}:
     * the host sends {@code edited}, {@code deleted} and {@code reaction} events only to members
     * that named them, and a readable {@code message} in their place to the others.
     */
    String CAP_EDIT = "edit";

    String CAP_REACTION = "reaction";
    String CAP_REPLY = "reply";
    /** {@code typing} signals (§14.5): not sequenced, never stored. */
    String CAP_TYPING = "typing";
    /** {@code topic} and {@code moderation} events, roles in the welcome (§15). */
    String CAP_MODERATION = "moderation";
    /** Direct messages: {@code send.to}, and {@code to} on events of a direct conversation (§16). */
    String CAP_DM = "dm";
    /** {@code presence} signals and the welcome's {@code presence} (§17.1): not sequenced, never stored. */
    String CAP_PRESENCE = "presence";
    /** {@code read} receipts and the welcome's {@code reads} (§17.2): not sequenced, never stored. */
    String CAP_RECEIPTS = "receipts";
    /** Files (§18): {@code file-offer}, {@code file-get}, acks, cancels, binary chunks, {@code file} on a message. */
    String CAP_FILES = "files";
    /**
     * Batched presence (§19): the host may send {@code joined} and {@code left} events gathered
     * for a short tick in one {@code events} frame instead of one frame each.
     */
    String CAP_BATCH = "batch";
    /**
     * The member list loaded lazily (§20): the welcome gives the number of members and names only
     * you; others' {@code joined} and {@code left} come only while you watch the list
     * ({@code watch-members}), else a {@code count} now and then.
     */
    String CAP_LAZY_MEMBERS = "lazymembers";
    /** What this code speaks. */
    List<String> CAPS = List.of(
            CAP_EDIT,
            CAP_REACTION,
            CAP_REPLY,
            CAP_TYPING,
            CAP_MODERATION,
            CAP_DM,
            CAP_PRESENCE,
            CAP_RECEIPTS,
            CAP_FILES,
            CAP_BATCH,
            CAP_LAZY_MEMBERS);

    /** A member's availability: {@code state} online, away or dnd (do not disturb), with a short text. */
    record Status(String state, String text) {
        public static final Status ONLINE = new Status("online", "");

        public Status {
            state = state == null ? "online" : state;
            text = text == null ? "" : text;
        }
    }

    /**
     * Client → host, first frame: who I am and what I speak. {@code resume} (may be null) says the
     * client speaks the reliability extension (resume, acks; docs/protocol.md §13) and what it has.
     */
    record Hello(int version, String nick, String client, Resume resume, List<String> caps, String key, String owner)
            implements Message {
        public Hello {
            Objects.requireNonNull(nick, "nick");
            client = client == null ? "" : client;
            caps = caps == null ? List.of() : List.copyOf(caps);
        }

        /**
         * A hello without a member key ({@code key}: who this app is to the room, §15.1) or owner
         * token ({@code owner}: the secret the host gave its own member).
         */
        public Hello(int version, String nick, String client, Resume resume, List<String> caps) {
            this(version, nick, client, resume, caps, null, null);
        }

        /** A hello without capabilities (an older client). */
        public Hello(int version, String nick, String client, Resume resume) {
            this(version, nick, client, resume, List.of());
        }

        /** A plain version 1 hello, without the reliability extension. */
        public Hello(int version, String nick, String client) {
            this(version, nick, client, null);
        }
    }

    /**
     * In a hello: the room identity the client last saw ({@code room}, null if none) and the
     * {@code seq} of the last event it holds (0 if none).
     */
    record Resume(String room, long lastSeq) {}

    /**
     * In a welcome, answer to a hello's resume. {@code status}: COMPLETE (every event from
     * {@code from} follows, nothing was lost), GAP (the host no longer has events before
     * {@code from}; they follow from there), NEW (the resume does not apply here: the welcome's
     * history is the start). {@code missed}: events before the client's own join it had not seen.
     */
    record ResumeResult(Status status, long from, long missed) {
        public enum Status {
            COMPLETE("complete"),
            GAP("gap"),
            NEW("new");

            private final String wire;

            Status(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }

            public static Status fromWire(String s) {
                for (Status v : values()) {
                    if (v.wire.equals(s)) {
                        return v;
                    }
                }
                return NEW;
            }
        }
    }

    /** In a welcome: the host's limits, so a client can pace itself and validate early. */
    record Limits(int maxFrame, int maxText, int maxNick, int ratePerSecond, int burst, int maxMembers) {}

    /**
     * Host → client, after a good hello: the room, its members and recent history. The last three
     * fields are the reliability extension (null for a plain version 1 host): the persistent room
     * identity, the answer to the hello's resume, and the host's limits.
     */
    record Welcome(
            int version,
            String room,
            String you,
            List<String> members,
            List<RoomEvent> history,
            long lastSeq,
            String server,
            String roomId,
            ResumeResult resume,
            Limits limits,
            List<String> caps,
            String topic,
            Map<String, String> roles,
            Map<String, Status> presence,
            Map<String, Long> reads,
            int memberCount)
            implements Message {
        /** {@link #memberCount} of a welcome whose {@code members} is the whole list. */
        public static final int FULL_LIST = -1;

        public Welcome {
            presence = presence == null ? Map.of() : Map.copyOf(presence);
            reads = reads == null ? Map.of() : Map.copyOf(reads);
            members = List.copyOf(members);
            history = List.copyOf(history);
            server = server == null ? "" : server;
            caps = caps == null ? List.of() : List.copyOf(caps);
            topic = topic == null ? "" : topic;
            roles = roles == null ? Map.of() : Map.copyOf(roles);
        }

        /** A welcome that names every member ({@link #FULL_LIST}). */
        public Welcome(
                int version,
                String room,
                String you,
                List<String> members,
                List<RoomEvent> history,
                long lastSeq,
                String server,
                String roomId,
                ResumeResult resume,
                Limits limits,
                List<String> caps,
                String topic,
                Map<String, String> roles,
                Map<String, Status> presence,
                Map<String, Long> reads) {
            this(
                    version, room, you, members, history, lastSeq, server, roomId, resume, limits, caps, topic, roles,
                    presence, reads, FULL_LIST);
        }

        /** True if {@code members} names only you (§20): {@link #memberCount} members are in the room. */
        public boolean lazy() {
            return memberCount != FULL_LIST;
        }

        /** How many members the room has, you included. */
        public int size() {
            return lazy() ? memberCount : members.size();
        }

        /** A welcome without topic and roles (§15: {@code topic}, {@code roles} nick → "host"/"moderator"). */
        public Welcome(
                int version,
                String room,
                String you,
                List<String> members,
                List<RoomEvent> history,
                long lastSeq,
                String server,
                String roomId,
                ResumeResult resume,
                Limits limits,
                List<String> caps) {
            this(version, room, you, members, history, lastSeq, server, roomId, resume, limits, caps, "", Map.of());
        }

        /** A welcome without presence and read marks. */
        public Welcome(
                int version,
                String room,
                String you,
                List<String> members,
                List<RoomEvent> history,
                long lastSeq,
                String server,
                String roomId,
                ResumeResult resume,
                Limits limits,
                List<String> caps,
                String topic,
                Map<String, String> roles) {
            this(
                    version, room, you, members, history, lastSeq, server, roomId, resume, limits, caps, topic, roles,
                    Map.of(), Map.of());
        }

        /** A welcome without capabilities (an older host). */
        public Welcome(
                int version,
                String room,
                String you,
                List<String> members,
                List<RoomEvent> history,
                long lastSeq,
                String server,
                String roomId,
                ResumeResult resume,
                Limits limits) {
            this(version, room, you, members, history, lastSeq, server, roomId, resume, limits, List.of());
        }

        /** A plain version 1 welcome. */
        public Welcome(
                int version,
                String room,
                String you,
                List<String> members,
                List<RoomEvent> history,
                long lastSeq,
                String server) {
            this(version, room, you, members, history, lastSeq, server, null, null, null);
        }
    }

    /** Client → host, before hello, in a room with a password: SCRAM client-first message. */
    record AuthStart(String mechanism, String clientFirst) implements Message {}

    /** Host → client: SCRAM server-first message (salt, iterations, nonce). */
    record Challenge(String serverFirst) implements Message {}

    /** Client → host: SCRAM client-final message (carries the proof). */
    record AuthFinish(String clientFinal) implements Message {}

    /** Host → client: password accepted; SCRAM server-final message proves the host knows it too. */
    record AuthOk(String serverFinal) implements Message {}

    /** Host → client instead of a welcome; the connection closes after it. */
    record Reject(ErrorCode code, String reason) implements Message {}

    /**
     * Client → host: post a message. {@code cid} is an optional client-chosen id (may be null);
     * {@code replyTo} the {@code seq} of the message it answers (0: none).
     */
    record Send(String text, String cid, long replyTo, String to, String file, String thumb) implements Message {
        public Send {
            Objects.requireNonNull(text, "text");
            replyTo = Math.max(0, replyTo);
        }

        /** Shares file {@code file} (the id of a file this member uploaded, §18) without a preview. */
        public Send(String text, String cid, long replyTo, String to, String file) {
            this(text, cid, replyTo, to, file, null);
        }

        /** A message that shares no file. */
        public Send(String text, String cid, long replyTo, String to) {
            this(text, cid, replyTo, to, null);
        }

        /** To the room. */
        public Send(String text, String cid, long replyTo) {
            this(text, cid, replyTo, null);
        }

        public Send(String text, String cid) {
            this(text, cid, 0);
        }
    }

    /** Client → host ({@link #CAP_EDIT}): my message {@code seq} now reads {@code text}. */
    record Edit(long seq, String text) implements Message {
        public Edit {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Either way ({@link #CAP_TYPING}), not a room event: client → host "I am typing" ({@code nick}
     * null); host → client "{@code nick} is typing". Never sequenced, never stored.
     */
    record Typing(String nick) implements Message {}

    /** Client → host ({@link #CAP_EDIT}): delete message {@code seq} (mine, or any for a moderator). */
    record Delete(long seq) implements Message {}

    /** Client → host ({@link #CAP_REACTION}): add ({@code on}) or take back reaction {@code emoji} on message {@code seq}. */
    record React(long seq, String emoji, boolean on) implements Message {
        public React {
            Objects.requireNonNull(emoji, "emoji");
        }
    }

    /** Client → host ({@link #CAP_MODERATION}): set the room's topic (empty: none). Host or moderator. */
    record SetTopic(String text) implements Message {
        public SetTopic {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Client → host ({@link #CAP_MODERATION}): a moderator's act on member {@code nick} ({@code
     * action}: kick, ban, unban, mute, unmute, mod, unmod), with a {@code reason} (may be empty)
     * and, for a mute, its length in {@code minutes}.
     */
    record Moderate(String action, String nick, String reason, long minutes) implements Message {
        public Moderate {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(nick, "nick");
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * Either way ({@link #CAP_PRESENCE}), not a room event: client → host "my status is now"
     * ({@code nick} null); host → client "{@code nick}'s status is now".
     */
    record Presence(String nick, Status status) implements Message {
        public Presence {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * Either way ({@link #CAP_RECEIPTS}), not a room event: client → host "I have read up to
     * {@code seq}" ({@code nick} null); host → client "{@code nick} has read up to {@code seq}".
     * With {@code with}: the direct conversation with that member (§17.2), told to it alone.
     */
    record Read(String nick, long seq, String with) implements Message {
        /** A read receipt for the room (not a direct conversation). */
        public Read(String nick, long seq) {
            this(nick, seq, null);
        }
    }

    /**
     * Client → host ({@link #CAP_FILES}, §18.1): I want to upload this file. {@code id} is the
     * client's id for the upload (an offer of the same id, name, size and hash resumes it),
     * {@code name} the file's name or its path inside a shared folder, {@code sha256} the whole
     * file's hash (base64url), {@code chunk} the chunk size, {@code to} the member of a direct
     * conversation it is for (null: the room).
     */
    record FileOffer(String id, String name, long size, String sha256, int chunk, String mime, String to)
            implements Message {
        public FileOffer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /**
     * Host → client: upload {@code id} is file {@code file} on the host, which already holds its
     * first {@code have} chunks (0 for a new upload): send the chunks from there.
     */
    record FileAccepted(String id, String file, long have) implements Message {
        public FileAccepted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * Either way: the receiver of file {@code file}'s chunks holds its first {@code upto}, each
     * checked against its hash (the window moves on; for an upload, {@code upto} equal to the
     * chunk count also says the whole file's hash matched and it is stored).
     */
    record FileAck(String file, long upto) implements Message {
        public FileAck {
            Objects.requireNonNull(file, "file");
        }
    }

    /** Client → host: send me file {@code file}'s chunks from chunk {@code from} on (a resumed download starts later). */
    record FileGet(String file, long from) implements Message {
        public FileGet {
            Objects.requireNonNull(file, "file");
        }
    }

    /** Either way: stop sending file {@code file} (a pause or a cancel); {@code reason} may be empty. */
    record FileCancel(String file, String reason) implements Message {
        public FileCancel {
            Objects.requireNonNull(file, "file");
            reason = reason == null ? "" : reason;
        }
    }

    /** Client → host: change my nickname. */
    record Rename(String nick) implements Message {}

    /**
     * Host → client: something happened in the room (message, joined, left, renamed). For a
     * message, {@code cid} is the client id its sender gave it (null if none).
     */
    record Event(RoomEvent event, String cid) implements Message {
        public Event(RoomEvent event) {
            this(event, null);
        }
    }

    /**
     * Client → host ({@link #CAP_LAZY_MEMBERS}, §20): start ({@code watch}) or stop watching the
     * member list. The host answers a start with a {@link MemberList}.
     */
    record WatchMembers(boolean watch) implements Message {}

    /**
     * Host → client ({@link #CAP_LAZY_MEMBERS}, §20): every member, in join order, as of event
     * {@code seq}; from {@code seq + 1} on the watcher gets every {@code joined} and {@code left}.
     * A list too long for one frame comes as pages, one after the other, each but the last with
     * {@code more}.
     */
    record MemberList(long seq, List<String> members, boolean more) implements Message {
        public MemberList {
            members = List.copyOf(members);
        }

        /** A list in one page. */
        public MemberList(long seq, List<String> members) {
            this(seq, members, false);
        }
    }

    /** Host → client ({@link #CAP_LAZY_MEMBERS}, §20), to a member not watching the list: the room has {@code members} members. */
    record MemberCount(int members) implements Message {}

    /**
     * Host → client ({@link #CAP_BATCH}): several room events in one frame, in sequence order, each
     * exactly as its own frame would carry it (§19). Today the host batches {@code joined} and
     * {@code left} only.
     */
    record Events(List<Event> events) implements Message {
        public Events {
            events = List.copyOf(events);
        }
    }

    /**
     * Host → client (extension clients only): the message with client id {@code cid} was already
     * posted earlier, as {@code seq}; this retry was dropped as a duplicate.
     */
    record Ack(String cid, long seq) implements Message {
        public Ack {
            Objects.requireNonNull(cid, "cid");
        }
    }

    /** Either way: are you there? The other side answers with a pong carrying the same nonce. */
    record Ping(long nonce) implements Message {}

    /** Either way: answer to a ping. */
    record Pong(long nonce) implements Message {}

    /** Client → host: I am leaving (orderly). */
    record Leave(String reason) implements Message {}

    /** Host → client: the room is closing (host stopped); the connection closes after it. */
    record Closing(String reason) implements Message {}

    /**
     * Either way: something went wrong. {@code fatal} means the sender closes the connection.
     * {@code cid}: the client id of the send this answers (null if none); {@code retryAfterMillis}:
     * for {@code rate-limited}, when to try again (0 if not given).
     */
    record Error(ErrorCode code, String text, boolean fatal, String cid, long retryAfterMillis) implements Message {
        public Error {
            retryAfterMillis = Math.max(0, retryAfterMillis); // 0 = not given; a negative delay means nothing
        }

        public Error(ErrorCode code, String text, boolean fatal) {
            this(code, text, fatal, null, 0);
        }
    }
}
