package org.confab.net;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.confab.protocol.Message;

/**
 * What the room told this member when it (re)joined: the room's name, the nickname it knows us
 * by, who is in, the newest seq, the host's software, and whether this was a fresh start (a first
 * join, or a room other than the one cached) rather than a resume. The wire's {@code welcome},
 * as the listeners of a {@link RoomConnection} see it (they never see protocol types).
 */
public record Joined(
        String room,
        String you,
        List<String> members,
        long lastSeq,
        String server,
        String roomId,
        Resume resume,
        String topic,
        Map<String, String> roles,
        Map<String, Status> presence,
        Map<String, Long> reads,
        int memberCount) {
    /** A member's availability as the welcome said it: online, away or dnd, with a text. */
    public record Status(String state, String text) {}

    /** How the join continued what this member had (docs/protocol.md §13.2). */
    public enum Resume {
        /** A plain join: no resume was asked (or the host does not speak the extension). */
        NONE,
        /** A fresh start: another room than the one cached, or nothing cached. */
        NEW,
        /** Everything missed follows. */
        COMPLETE,
        /** What follows is all the host still has; some events in between are lost to this member. */
        GAP
    }

    public Joined {
        members = List.copyOf(members);
        memberCount = Math.max(memberCount, members.size());
        topic = topic == null ? "" : topic;
        roles = roles == null ? Map.of() : Map.copyOf(roles);
        presence = presence == null ? Map.of() : Map.copyOf(presence);
        reads = reads == null ? Map.of() : Map.copyOf(reads);
    }

    /** A join whose {@code members} names everyone. */
    public Joined(
            String room,
            String you,
            List<String> members,
            long lastSeq,
            String server,
            String roomId,
            Resume resume,
            String topic,
            Map<String, String> roles,
            Map<String, Status> presence,
            Map<String, Long> reads) {
        this(room, you, members, lastSeq, server, roomId, resume, topic, roles, presence, reads, members.size());
    }

    /**
     * True if {@code members} names everyone ({@link #memberCount} of them); false in a big room
     * whose host loads the list lazily (docs/protocol.md §20): then it names only you until
     * {@link RoomConnection#watchMembers} brings the list.
     */
    public boolean complete() {
        return memberCount == members.size();
    }

    /** A join without presence or read marks. */
    public Joined(
            String room,
            String you,
            List<String> members,
            long lastSeq,
            String server,
            String roomId,
            Resume resume,
            String topic,
            Map<String, String> roles) {
        this(room, you, members, lastSeq, server, roomId, resume, topic, roles, Map.of(), Map.of());
    }

    /** A join without topic or roles (an older host). */
    public Joined(
            String room, String you, List<String> members, long lastSeq, String server, String roomId, Resume resume) {
        this(room, you, members, lastSeq, server, roomId, resume, "", Map.of(), Map.of(), Map.of());
    }

    /** A first join or a fresh start in this room: the history that follows is the room's past, not news. */
    public boolean fresh() {
        return resume == Resume.NONE || resume == Resume.NEW;
    }

    static Joined of(Message.Welcome w) {
        Resume r = w.resume() == null
                ? Resume.NONE
                : switch (w.resume().status()) {
                    case NEW -> Resume.NEW;
                    case COMPLETE -> Resume.COMPLETE;
                    case GAP -> Resume.GAP;
                };
        Map<String, Status> presence = new HashMap<>();
        w.presence().forEach((who, s) -> presence.put(who, new Status(s.state(), s.text())));
        return new Joined(
                w.room(),
                w.you(),
                w.members(),
                w.lastSeq(),
                w.server(),
                w.roomId(),
                r,
                w.topic(),
                w.roles(),
                presence,
                w.reads(),
                w.size());
    }
}
