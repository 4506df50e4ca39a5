package org.confab.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A room's moderation, pure logic: who is a moderator (by member key: a nickname alone can be
 * taken by anyone once its owner is offline), who is banned or muted (by nickname, member key and
 * address), and who may do what. Each check returns null when allowed, else a sentence for the
 * person. The host keeps one per room, saves it with {@link #encode()} and serialises calls.
 */
public final class Moderation {
    /** Longest mute. */
    public static final Duration MAX_MUTE = Duration.ofDays(7);
    /** Longest reason or topic kept, in chars. */
    public static final int MAX_REASON = 300;

    public static final int MAX_TOPIC = 300;

    /** A member's standing in the room. */
    public enum Role {
        MEMBER("member"),
        MODERATOR("moderator"),
        /** The person hosting: the room's owner, who names moderators. */
        HOST("host");

        private final String wire;

        Role(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public boolean moderates() {
            return this != MEMBER;
        }

        public static Role fromWire(String s) {
            for (Role r : values()) {
                if (r.wire.equals(s)) {
                    return r;
                }
            }
            return MEMBER;
        }
    }

    /** What a moderator can do to a member. */
    public enum Action {
        KICK("kick"),
        BAN("ban"),
        UNBAN("unban"),
        MUTE("mute"),
        UNMUTE("unmute"),
        MOD("mod"),
        UNMOD("unmod");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** The action called {@code s} on the wire, or null. */
        public static Action fromWire(String s) {
            for (Action a : values()) {
                if (a.wire.equals(s)) {
                    return a;
                }
            }
            return null;
        }

        /** True for kick and ban: the member leaves the room now. */
        public boolean removes() {
            return this == KICK || this == BAN;
        }
    }

    /**
     * A ban or a mute: whom (any of nickname, member key, address that is not null matches), why,
     * by whom, since when and until when (null: until lifted).
     */
    public record Sanction(
            Action kind,
            String nick,
            String memberKey,
            String address,
            String reason,
            String by,
            Instant time,
            Instant until) {
        public Sanction {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(nick, "nick");
            reason = reason == null ? "" : reason;
            by = by == null ? "" : by;
        }

        boolean matches(String nickKey, String key, String addr) {
            return NicknameRules.key(nick).equals(nickKey)
                    || memberKey != null && memberKey.equals(key)
                    || address != null && address.equals(addr);
        }

        boolean activeAt(Instant now) {
            return until == null || now.isBefore(until);
        }
    }

    /** member key → nickname when made moderator. */
    private final Map<String, String> moderators = new LinkedHashMap<>();

    private final List<Sanction> sanctions = new ArrayList<>();

    /** The role of a member with {@code memberKey} (may be null); {@code owner}: it proved to be the host. */
    public Role roleOf(String memberKey, boolean owner) {
        if (owner) {
            return Role.HOST;
        }
        return memberKey != null && moderators.containsKey(memberKey) ? Role.MODERATOR : Role.MEMBER;
    }

    /** The moderators: member key → nickname. */
    public Map<String, String> moderators() {
        return Map.copyOf(moderators);
    }

    public List<Sanction> sanctions() {
        return List.copyOf(sanctions);
    }

    /**
     * May someone with role {@code by} (called {@code byNick}) do {@code action} to {@code target}
     * (its role {@code targetRole}, {@code present}: in the room now; {@code targetKey}: its member
     * key, may be null)? {@code minutes}: a mute's length.
     */
    public String problem(
            Action action,
            String byNick,
            Role by,
            String target,
            Role targetRole,
            boolean present,
            String targetKey,
            long minutes) {
        if (!by.moderates()) {
            return "Only the host and moderators can " + verb(action) + ".";
        }
        if ((action == Action.MOD || action == Action.UNMOD) && by != Role.HOST) {
            return "Only the host can name or remove moderators.";
        }
        if (NicknameRules.key(byNick).equals(NicknameRules.key(target))) {
            return "You cannot " + act(action) + " yourself.";
        }
        if (targetRole == Role.HOST) {
            return "Nobody can " + act(action) + " the host.";
        }
        if (targetRole == Role.MODERATOR && by != Role.HOST && action != Action.UNMUTE && action != Action.UNBAN) {
            return "Only the host can " + act(action) + " a moderator.";
        }
        return switch (action) {
            case KICK -> present ? null : target + " is not in the room.";
            case MOD -> {
                if (!present) {
                    yield target + " is not in the room: moderators are named while they are here.";
                }
                if (targetKey == null) {
                    yield target
                            + "'s app does not identify itself, so it cannot be a moderator (it needs a newer Confab).";
                }
                yield targetRole == Role.MODERATOR ? target + " is already a moderator." : null;
            }
            case UNMOD ->
                moderators.containsValue(target) || targetRole == Role.MODERATOR
                        ? null
                        : target + " is not a moderator.";
            case MUTE ->
                minutes < 1 || minutes > MAX_MUTE.toMinutes()
                        ? "A mute lasts from 1 minute to " + MAX_MUTE.toDays() + " days (" + MAX_MUTE.toMinutes()
                                + " minutes)."
                        : null;
            case UNMUTE -> find(Action.MUTE, target) == null ? target + " is not muted." : null;
            case UNBAN -> find(Action.BAN, target) == null ? target + " is not banned." : null;
            case BAN -> null;
        };
    }

    /** May someone with role {@code by} set the topic to {@code text}? */
    public static String topicProblem(Role by, String text) {
        if (!by.moderates()) {
            return "Only the host and moderators can change the topic.";
        }
        if (text.length() > MAX_TOPIC) {
            return "A topic has at most " + MAX_TOPIC + " characters.";
        }
        return null;
    }

    /**
     * Applies a checked act at {@code now}: a moderator named or removed, a ban or mute recorded
     * (with the member's key and address when known), or lifted.
     */
    public void apply(
            Action action,
            String target,
            String targetKey,
            String address,
            String reason,
            String by,
            Instant now,
            Instant until) {
        switch (action) {
            case MOD -> moderators.put(targetKey, target);
            case UNMOD ->
                moderators
                        .entrySet()
                        .removeIf(e -> e.getKey().equals(targetKey)
                                || NicknameRules.key(e.getValue()).equals(NicknameRules.key(target)));
            case BAN, MUTE -> {
                lift(action, target);
                sanctions.add(new Sanction(action, target, targetKey, address, reason, by, now, until));
                if (action == Action.BAN && targetKey != null) {
                    moderators.remove(targetKey);
                }
            }
            case UNBAN -> lift(Action.BAN, target);
            case UNMUTE -> lift(Action.MUTE, target);
            case KICK -> {}
        }
    }

    /** The ban that keeps someone out (any of nickname, key, address), or null. */
    public Sanction banned(String nick, String memberKey, String address, Instant now) {
        return active(Action.BAN, nick, memberKey, address, now);
    }

    /** The mute that keeps someone quiet, or null. */
    public Sanction muted(String nick, String memberKey, Instant now) {
        return active(Action.MUTE, nick, memberKey, null, now);
    }

    /** Forgets mutes that ended (so the saved state does not grow). True if any. */
    public boolean expire(Instant now) {
        return sanctions.removeIf(s -> !s.activeAt(now));
    }

    /** The sentence a muted member reads when trying to write. */
    public static String mutedSentence(Sanction s, Instant now) {
        return "You are muted" + (s.until() == null ? "" : " for " + left(now, s.until()))
                + (s.by().isEmpty() ? "" : " by " + s.by()) + (s.reason().isEmpty() ? "" : ": " + s.reason()) + ".";
    }

    /** The sentence a banned member reads when refused. */
    public static String bannedSentence(Sanction s) {
        return "You are banned from this room" + (s.by().isEmpty() ? "" : " by " + s.by())
                + (s.reason().isEmpty() ? "" : ": " + s.reason()) + ".";
    }

    /** A reason or topic as kept: control and format characters dropped, one line, at most {@link #MAX_REASON}. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        var b = new StringBuilder();
        text.strip().codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp)) {
                if (!b.isEmpty() && b.charAt(b.length() - 1) != ' ') {
                    b.append(' ');
                }
            } else if (!Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT || cp == 0x200D) {
                b.appendCodePoint(cp);
            }
        });
        String s = b.toString().strip();
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON);
    }

    /**
     * A moderation event as a sentence: "bob removed alice: spam", "bob muted alice for 10
     * minutes" ({@code withBy}), or without the actor ("removed alice: spam") where the line is
     * already shown as from them.
     */
    public static String describe(RoomEvent.Moderated x, boolean withBy) {
        Action a = Action.fromWire(x.action());
        String who = x.nick();
        String what = a == null
                ? x.action() + " " + who
                : switch (a) {
                    case KICK -> "removed " + who + " from the room";
                    case BAN -> "banned " + who;
                    case UNBAN -> "lifted the ban on " + who;
                    case MUTE ->
                        "muted " + who
                                + (x.until() == null ? "" : " for " + span(Duration.between(x.time(), x.until())));
                    case UNMUTE -> "unmuted " + who;
                    case MOD -> "made " + who + " a moderator";
                    case UNMOD -> "took moderation back from " + who;
                };
        return (withBy ? x.by() + " " : "") + what + (x.reason().isEmpty() ? "" : ": " + x.reason());
    }

    /** "10 minutes", "2 hours", "3 days". */
    static String span(Duration d) {
        long minutes = Math.max(1, (d.getSeconds() + 30) / 60);
        if (minutes < 120) {
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        long hours = Math.round(minutes / 60.0);
        return hours < 48 ? hours + " hours" : Math.round(hours / 24.0) + " days";
    }

    /** "3 more minutes", "2 more hours", from {@code now} to {@code until}. */
    static String left(Instant now, Instant until) {
        long minutes = Math.max(1, (Duration.between(now, until).getSeconds() + 59) / 60);
        if (minutes < 120) {
            return minutes + (minutes == 1 ? " more minute" : " more minutes");
        }
        long hours = (minutes + 59) / 60;
        return hours < 48 ? hours + " more hours" : (hours + 23) / 24 + " more days";
    }

    private Sanction active(Action kind, String nick, String memberKey, String address, Instant now) {
        String nickKey = nick == null ? null : NicknameRules.key(nick);
        for (Sanction s : sanctions) {
            if (s.kind() == kind && s.activeAt(now) && s.matches(nickKey, memberKey, address)) {
                return s;
            }
        }
        return null;
    }

    private Sanction find(Action kind, String nick) {
        String key = NicknameRules.key(nick);
        for (Sanction s : sanctions) {
            if (s.kind() == kind && NicknameRules.key(s.nick()).equals(key)) {
                return s;
            }
        }
        return null;
    }

    private void lift(Action kind, String nick) {
        String key = NicknameRules.key(nick);
        sanctions.removeIf(s -> s.kind() == kind && NicknameRules.key(s.nick()).equals(key));
    }

    /** What an action does to one person: "remove", "mute". */
    private static String act(Action a) {
        return switch (a) {
            case KICK -> "remove";
            case BAN -> "ban";
            case UNBAN -> "lift the ban on";
            case MUTE -> "mute";
            case UNMUTE -> "unmute";
            case MOD, UNMOD -> "change the role of";
        };
    }

    private static String verb(Action a) {
        return switch (a) {
            case KICK -> "remove members";
            case BAN -> "ban members";
            case UNBAN -> "lift bans";
            case MUTE -> "mute members";
            case UNMUTE -> "unmute members";
            case MOD, UNMOD -> "name moderators";
        };
    }

    // ---------------------------------------------------------------- saving

    /**
     * The state as text (one line per moderator or sanction, tab-separated; nicknames, keys and
     * cleaned reasons hold no tabs or line breaks), read back by {@link #decode}.
     */
    public String encode() {
        var b = new StringBuilder();
        moderators.forEach((key, nick) ->
                b.append("mod\t").append(nick).append('\t').append(key).append('\n'));
        for (Sanction s : sanctions) {
            b.append(s.kind().wire())
                    .append('\t')
                    .append(s.nick())
                    .append('\t')
                    .append(orDash(s.memberKey()))
                    .append('\t')
                    .append(orDash(s.address()))
                    .append('\t')
                    .append(s.reason().replace('\t', ' '))
                    .append('\t')
                    .append(s.by().replace('\t', ' '))
                    .append('\t')
                    .append(s.time() == null ? 0 : s.time().toEpochMilli())
                    .append('\t')
                    .append(s.until() == null ? 0 : s.until().toEpochMilli())
                    .append('\n');
        }
        return b.toString();
    }

    /** The state {@link #encode} wrote; lines it cannot read are skipped. */
    public static Moderation decode(String text) {
        var m = new Moderation();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", -1);
            try {
                if (f.length == 3 && f[0].equals("mod")) {
                    m.moderators.put(f[2], f[1]);
                } else if (f.length == 8) {
                    Action kind = Action.fromWire(f[0]);
                    if (kind == Action.BAN || kind == Action.MUTE) {
                        long until = Long.parseLong(f[7]);
                        m.sanctions.add(new Sanction(
                                kind,
                                f[1],
                                dashNull(f[2]),
                                dashNull(f[3]),
                                f[4],
                                f[5],
                                Instant.ofEpochMilli(Long.parseLong(f[6])),
                                until == 0 ? null : Instant.ofEpochMilli(until)));
                    }
                }
            } catch (RuntimeException e) {
                // a damaged line: skipped, the rest still applies
            }
        }
        return m;
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String dashNull(String s) {
        return s.equals("-") ? null : s;
    }
}
