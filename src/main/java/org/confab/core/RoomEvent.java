package org.confab.core;

import java.time.Instant;

/**
 * Everything that happens in a room, in the one order the host gives it. Every event carries a
 * host-assigned sequence number (strictly increasing, no gaps within one room run) and the host's
 * timestamp, so all members see the same history and later work (resume, acks) can build on it.
 */
public sealed interface RoomEvent {
    long seq();

    String id();

    Instant time();

    /**
     * The name of this kind of event: {@code message}, {@code joined}, {@code left},
     * {@code renamed}, {@code edited}, {@code deleted}, {@code reaction}, {@code topic} or
     * {@code moderation}, as the wire
     * (docs/protocol.md), the history files and the terminal's JSON lines all write it.
     */
    default String kind() {
        return switch (this) {
            case Posted _ -> "message";
            case Joined _ -> "joined";
            case Left _ -> "left";
            case Renamed _ -> "renamed";
            case Edited _ -> "edited";
            case Deleted _ -> "deleted";
            case Reacted _ -> "reaction";
            case TopicSet _ -> "topic";
            case Moderated _ -> "moderation";
        };
    }

    /** The {@code seq} of the message this event changes (an edit, a deletion, a reaction), else 0. */
    static long targetOf(RoomEvent e) {
        return switch (e) {
            case Edited x -> x.target();
            case Deleted x -> x.target();
            case Reacted x -> x.target();
            case Posted _, Joined _, Left _, Renamed _, TopicSet _, Moderated _ -> 0;
        };
    }

    /**
     * The other member of a direct message this event belongs to (for a message: its recipient;
     * for a change: the member who is not {@code by}), or null for the room's events.
     */
    static String directTo(RoomEvent e) {
        return switch (e) {
            case Posted p -> p.message().to();
            case Edited x -> x.to();
            case Deleted x -> x.to();
            case Reacted x -> x.to();
            case Joined _, Left _, Renamed _, TopicSet _, Moderated _ -> null;
        };
    }

    /** Who acted in an event that can be direct: the sender or {@code by}; null for the others. */
    static String actorOf(RoomEvent e) {
        return switch (e) {
            case Posted p -> p.message().sender();
            case Edited x -> x.by();
            case Deleted x -> x.by();
            case Reacted x -> x.by();
            case Joined _, Left _, Renamed _, TopicSet _, Moderated _ -> null;
        };
    }

    /** True if member {@code nick} may see {@code e}: a room event, or a direct one it is part of. */
    static boolean visibleTo(RoomEvent e, String nick) {
        String to = directTo(e);
        if (to == null) {
            return true;
        }
        String k = NicknameRules.key(nick);
        return k.equals(NicknameRules.key(to)) || k.equals(NicknameRules.key(actorOf(e)));
    }

    /** A member posted a message. */
    record Posted(ChatMessage message) implements RoomEvent {
        @Override
        public long seq() {
            return message.seq();
        }

        @Override
        public String id() {
            return message.id();
        }

        @Override
        public Instant time() {
            return message.time();
        }
    }

    /** A member joined. */
    record Joined(long seq, String id, Instant time, String nick) implements RoomEvent {}

    /** A member left; {@code reason} is human text such as "left" or "connection lost". */
    record Left(long seq, String id, Instant time, String nick, String reason) implements RoomEvent {}

    /** A member changed nickname. */
    record Renamed(long seq, String id, Instant time, String oldNick, String newNick) implements RoomEvent {}

    /** {@code by} changed the text of their message {@code target} to {@code text}. */
    record Edited(long seq, String id, Instant time, long target, String by, String text, String to)
            implements RoomEvent {
        public Edited(long seq, String id, Instant time, long target, String by, String text) {
            this(seq, id, time, target, by, text, null);
        }
    }

    /** Message {@code target} was deleted, by its sender or a moderator ({@code by}). */
    record Deleted(long seq, String id, Instant time, long target, String by, String to) implements RoomEvent {
        public Deleted(long seq, String id, Instant time, long target, String by) {
            this(seq, id, time, target, by, null);
        }
    }

    /** {@code by} added ({@code added}) or took back a reaction {@code emoji} to message {@code target}. */
    record Reacted(long seq, String id, Instant time, long target, String by, String emoji, boolean added, String to)
            implements RoomEvent {
        public Reacted(long seq, String id, Instant time, long target, String by, String emoji, boolean added) {
            this(seq, id, time, target, by, emoji, added, null);
        }
    }

    /** {@code by} set the room's topic to {@code text} (empty: no topic). */
    record TopicSet(long seq, String id, Instant time, String by, String text) implements RoomEvent {}

    /**
     * A moderator's act ({@code by}): {@code action} on member {@code nick}, with a {@code reason}
     * (may be empty) and, for a mute, the time it ends ({@code until}, else null). Actions: see
     * {@link Moderation.Action}.
     */
    record Moderated(
            long seq, String id, Instant time, String by, String action, String nick, String reason, Instant until)
            implements RoomEvent {}
}
