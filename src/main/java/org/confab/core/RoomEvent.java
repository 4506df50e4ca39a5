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
     * The name of this kind of event: {@code message}, {@code joined}, {@code left} or
     * {@code renamed}, as the wire (docs/protocol.md), the history files and the terminal's JSON
     * lines all write it.
     */
    default String kind() {
        return switch (this) {
            case Posted _ -> "message";
            case Joined _ -> "joined";
            case Left _ -> "left";
            case Renamed _ -> "renamed";
        };
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
}
