package org.confab.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Membership, ordering and recent history of one room: pure logic, no I/O. Every mutation
 * returns the event it produced, with the next sequence number. Not thread-safe: the host
 * serialises calls (it must, to keep fan-out in sequence order).
 */
public final class Room {
    /** Default number of recent events a late joiner receives. */
    public static final int DEFAULT_HISTORY = 200;
    /** Default maximum number of members. */
    public static final int DEFAULT_MAX_MEMBERS = 256;
    /** Longest message text, in chars. */
    public static final int MAX_MESSAGE_LENGTH = 16 * 1024;

    /** Why a join was refused. */
    public enum JoinRefusal {
        NICK_INVALID,
        NICK_TAKEN,
        ROOM_FULL,
        /** A moderator banned this member (the host's moderation decides, not the room). */
        BANNED
    }

    /** The outcome of {@link #join}: either an event or a refusal. */
    public record JoinResult(RoomEvent.Joined event, JoinRefusal refusal, String reason) {
        public boolean accepted() {
            return event != null;
        }
    }

    private final String name;
    private final Clock clock;
    private final int historySize;
    private final int maxMembers;
    private final Map<String, String> membersByKey = new LinkedHashMap<>();
    /** Look-alike skeleton of each member's name, to refuse impersonation by homoglyphs. */
    private final Map<String, String> membersBySkeleton = new HashMap<>();

    private final ArrayDeque<RoomEvent> history;
    private long lastSeq;
    /** Event ids: random high half per room instance, counter low half (see {@link #newId}). */
    private final long idHigh;

    private long idLow;

    public Room(String name, Clock clock, int historySize, int maxMembers) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (historySize < 0 || maxMembers < 1) {
            throw new IllegalArgumentException("historySize >= 0 and maxMembers >= 1 required");
        }
        this.historySize = historySize;
        this.maxMembers = maxMembers;
        this.history = new ArrayDeque<>(Math.min(historySize, 1024));
        UUID seed = UUID.randomUUID(); // the only SecureRandom draw: once per room instance
        this.idHigh = seed.getMostSignificantBits();
        this.idLow = seed.getLeastSignificantBits();
    }

    public Room(String name) {
        this(name, Clock.systemUTC(), DEFAULT_HISTORY, DEFAULT_MAX_MEMBERS);
    }

    public String name() {
        return name;
    }

    public long lastSeq() {
        return lastSeq;
    }

    /** Current members, in join order. */
    public List<String> members() {
        return List.copyOf(membersByKey.values());
    }

    /** How many members the room has. */
    public int size() {
        return membersByKey.size();
    }

    /** The most recent events, oldest first, at most the configured history size. */
    public List<RoomEvent> recentHistory() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    /**
     * Continues a room from saved history (host restart): the next event gets {@code lastSeq + 1}
     * and late joiners see {@code recent} (oldest first). Only before anyone has joined.
     */
    public void restore(long lastSeq, List<RoomEvent> recent) {
        if (!membersByKey.isEmpty() || this.lastSeq != 0) {
            throw new IllegalStateException("restore only a fresh room");
        }
        if (lastSeq < 0) {
            throw new IllegalArgumentException("lastSeq < 0");
        }
        this.lastSeq = lastSeq;
        for (RoomEvent e : recent) {
            record(e);
        }
    }

    /**
     * Takes back the message just posted (it could not be saved): only the very last event may be
     * taken back, and its sequence number is then given to the next event.
     */
    public void unpost(RoomEvent.Posted posted) {
        if (posted.seq() != lastSeq) {
            throw new IllegalStateException("only the last event can be taken back");
        }
        lastSeq--;
        if (!history.isEmpty() && history.peekLast() == posted) {
            history.removeLast();
        }
    }

    /**
     * Takes event {@code seq} out of the recent history a late joiner sees: the host could not save
     * it and nobody has seen it (its seq stays used: the next event does not take it again).
     */
    public void forget(long seq) {
        history.removeIf(e -> e.seq() == seq);
    }

    public boolean isMember(String nick) {
        return membersByKey.containsKey(NicknameRules.key(nick));
    }

    public JoinResult join(String nick) {
        var problem = NicknameRules.problem(nick);
        if (problem.isPresent()) {
            return new JoinResult(null, JoinRefusal.NICK_INVALID, problem.get());
        }
        if (isMember(nick)) {
            return new JoinResult(
                    null, JoinRefusal.NICK_TAKEN, "The nickname \"" + nick + "\" is already taken in this room.");
        }
        String lookalike = membersBySkeleton.get(Confusables.skeleton(nick));
        if (lookalike != null) {
            return new JoinResult(
                    null,
                    JoinRefusal.NICK_TAKEN,
                    "The nickname \"" + nick + "\" looks the same as \"" + lookalike
                            + "\", who is already in this room.");
        }
        if (membersByKey.size() >= maxMembers) {
            return new JoinResult(null, JoinRefusal.ROOM_FULL, "The room is full (" + maxMembers + " members).");
        }
        membersByKey.put(NicknameRules.key(nick), nick);
        membersBySkeleton.put(Confusables.skeleton(nick), nick);
        var event = new RoomEvent.Joined(++lastSeq, newId(), clock.instant(), nick);
        record(event);
        return new JoinResult(event, null, null);
    }

    /** Removes a member; returns null if it was not a member. */
    public RoomEvent.Left leave(String nick, String reason) {
        if (membersByKey.remove(NicknameRules.key(nick)) == null) {
            return null;
        }
        membersBySkeleton.remove(Confusables.skeleton(nick));
        var event = new RoomEvent.Left(++lastSeq, newId(), clock.instant(), nick, reason);
        record(event);
        return event;
    }

    /** Records a message from a member. The caller has checked membership and length. */
    public RoomEvent.Posted post(String sender, String text) {
        return post(sender, text, 0);
    }

    /** Records a message that answers message {@code replyTo} (0: none; the caller checked it exists). */
    public RoomEvent.Posted post(String sender, String text, long replyTo) {
        return post(sender, text, replyTo, null);
    }

    /** As {@link #post(String, String, long)}, a direct message to member {@code to} (null: the room). */
    public RoomEvent.Posted post(String sender, String text, long replyTo, String to) {
        return post(sender, text, replyTo, to, null);
    }

    /** As {@link #post(String, String, long, String)}, sharing {@code file} (null: none; the host holds it whole). */
    public RoomEvent.Posted post(String sender, String text, long replyTo, String to, FileRef file) {
        if (!isMember(sender)) {
            throw new IllegalStateException("not a member: " + sender);
        }
        var event = new RoomEvent.Posted(
                new ChatMessage(++lastSeq, newId(), sender, text, clock.instant(), replyTo, to, file));
        record(event);
        return event;
    }

    /** Records an edit (the caller checked {@link MessageRules#editProblem}). */
    public RoomEvent.Edited edit(String by, long target, String text) {
        return edit(by, target, text, null);
    }

    /** As {@link #edit(String, long, String)} of a direct message with {@code to} (null: a room message). */
    public RoomEvent.Edited edit(String by, long target, String text, String to) {
        var event = new RoomEvent.Edited(++lastSeq, newId(), clock.instant(), target, by, text, to);
        record(event);
        return event;
    }

    /**
     * Records a deletion (the caller checked {@link MessageRules#deleteProblem}); the message's
     * text, and that of its edits, leave the recent history: late joiners never see it.
     */
    public RoomEvent.Deleted delete(String by, long target) {
        return delete(by, target, null);
    }

    /** As {@link #delete(String, long)} of a direct message with {@code to} (null: a room message). */
    public RoomEvent.Deleted delete(String by, long target, String to) {
        var event = new RoomEvent.Deleted(++lastSeq, newId(), clock.instant(), target, by, to);
        var kept = new ArrayList<RoomEvent>(history.size());
        for (RoomEvent e : history) {
            kept.add(redacted(e, target));
        }
        history.clear();
        history.addAll(kept);
        record(event);
        return event;
    }

    /** Records a reaction added or taken back (the caller checked {@link MessageRules#reactionProblem}). */
    public RoomEvent.Reacted react(String by, long target, String emoji, boolean added) {
        return react(by, target, emoji, added, null);
    }

    /** As {@link #react(String, long, String, boolean)} on a direct message with {@code to} (null: a room message). */
    public RoomEvent.Reacted react(String by, long target, String emoji, boolean added, String to) {
        var event = new RoomEvent.Reacted(++lastSeq, newId(), clock.instant(), target, by, emoji, added, to);
        record(event);
        return event;
    }

    /** Records a new topic (the caller checked who may set it; {@link Moderation#topicProblem}). */
    public RoomEvent.TopicSet topic(String by, String text) {
        var event = new RoomEvent.TopicSet(++lastSeq, newId(), clock.instant(), by, text);
        record(event);
        return event;
    }

    /** Records a moderator's act (the caller checked it; {@link Moderation}). */
    public RoomEvent.Moderated moderated(
            String by, Moderation.Action action, String nick, String reason, Instant until) {
        var event = new RoomEvent.Moderated(
                ++lastSeq, newId(), clock.instant(), by, action.wire(), nick, reason == null ? "" : reason, until);
        record(event);
        return event;
    }

    /** The text a deleted message (and each of its edits) keeps: none of what was written. */
    public static final String DELETED_TEXT = "(message deleted)";

    /** {@code e} with the text of message {@code target} removed, if it is that message or one of its edits. */
    public static RoomEvent redacted(RoomEvent e, long target) {
        return switch (e) {
            case RoomEvent.Posted p
            when p.seq() == target -> new RoomEvent.Posted(p.message().redacted(DELETED_TEXT));
            case RoomEvent.Edited x
            when x.target() == target ->
                new RoomEvent.Edited(x.seq(), x.id(), x.time(), x.target(), x.by(), DELETED_TEXT, x.to());
            default -> e;
        };
    }

    /** Renames a member; the result carries either the event or why it was refused. */
    public RenameResult rename(String oldNick, String newNick) {
        var problem = NicknameRules.problem(newNick);
        if (problem.isPresent()) {
            return new RenameResult(null, JoinRefusal.NICK_INVALID, problem.get());
        }
        String oldKey = NicknameRules.key(oldNick);
        String newKey = NicknameRules.key(newNick);
        if (!membersByKey.containsKey(oldKey)) {
            throw new IllegalStateException("not a member: " + oldNick);
        }
        if (!oldKey.equals(newKey) && membersByKey.containsKey(newKey)) {
            return new RenameResult(
                    null, JoinRefusal.NICK_TAKEN, "The nickname \"" + newNick + "\" is already taken in this room.");
        }
        String oldSkeleton = Confusables.skeleton(oldNick);
        String newSkeleton = Confusables.skeleton(newNick);
        String lookalike = membersBySkeleton.get(newSkeleton);
        if (lookalike != null && !newSkeleton.equals(oldSkeleton)) {
            return new RenameResult(
                    null,
                    JoinRefusal.NICK_TAKEN,
                    "The nickname \"" + newNick + "\" looks the same as \"" + lookalike
                            + "\", who is already in this room.");
        }
        membersBySkeleton.remove(oldSkeleton);
        membersBySkeleton.put(newSkeleton, newNick);
        // keep join order: rebuild the map with the new name in place of the old
        var copy = new LinkedHashMap<String, String>();
        membersByKey.forEach((k, v) -> {
            if (k.equals(oldKey)) {
                copy.put(newKey, newNick);
            } else {
                copy.put(k, v);
            }
        });
        membersByKey.clear();
        membersByKey.putAll(copy);
        var event = new RoomEvent.Renamed(++lastSeq, newId(), clock.instant(), oldNick, newNick);
        record(event);
        return new RenameResult(event, null, null);
    }

    /** The outcome of {@link #rename}: the event, or why not ({@code kind} and a sentence). */
    public record RenameResult(RoomEvent.Renamed event, JoinRefusal kind, String refusal) {}

    private void record(RoomEvent event) {
        if (historySize == 0) {
            return;
        }
        if (history.size() == historySize) {
            history.removeFirst();
        }
        history.addLast(event);
    }

    /**
     * A new event id in UUID form: the high 64 bits are random per room instance (so ids stay
     * unique across host restarts of a persistent room, whose seqs go on), the low 62 bits count
     * on from a random start. Unlike {@code UUID.randomUUID()} per event, no SecureRandom draw
     * (it was ~10% of the host's CPU samples on the post path).
     */
    private String newId() {
        idLow++;
        return new UUID(idHigh, (idLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L).toString();
    }
}
