package org.confab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.ToIntFunction;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.Moderation;
import org.confab.core.RoomEvent;
import org.confab.core.SlashCommands;
import org.confab.net.Disconnect;
import org.confab.net.Joined;

/**
 * How the terminal client prints what happens: a human line ({@code [14:02:11] <alice> hello}) or
 * one JSON object per line (for scripts). Every output is exactly one line: in the human form,
 * line breaks inside a message become indented continuation lines of the same entry and other
 * control characters are shown in caret notation, so a peer cannot drive the terminal.
 */
public final class EventFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String CONTINUATION = "\n           ";

    private final ZoneId zone;
    /** Human lines start with the event's number ("#12 "), for /reply, /edit, /delete, /react. */
    private final boolean showSeq;

    private final ToIntFunction<FileRef> handles;

    public EventFormat(ZoneId zone) {
        this(zone, false);
    }

    public EventFormat(ZoneId zone, boolean showSeq) {
        this(zone, showSeq, null);
    }

    /**
     * @param handles the short number each shared file goes by in this terminal ({@code /get 3});
     *                null: file messages show no number
     */
    EventFormat(ZoneId zone, boolean showSeq, ToIntFunction<FileRef> handles) {
        this.zone = zone;
        this.showSeq = showSeq;
        this.handles = handles;
    }

    // ---------------------------------------------------------------- human

    public String human(RoomEvent e) {
        String body = switch (e) {
            case RoomEvent.Posted p
            when p.message().direct() ->
                "<" + safe(p.message().sender()) + " → " + safe(p.message().to()) + " (direct)> " + text(p.message());
            case RoomEvent.Posted p
            when SlashCommands.action(p.message().text()) != null ->
                "* " + safe(p.message().sender()) + " "
                        + safe(SlashCommands.action(p.message().text()));
            case RoomEvent.Posted p ->
                "<" + safe(p.message().sender()) + "> "
                        + (p.message().replyTo() > 0
                                ? "(reply to #" + p.message().replyTo() + ") "
                                : "")
                        + text(p.message());
            case RoomEvent.Edited x -> "* " + safe(x.by()) + " edited #" + x.target() + ": " + safe(x.text());
            case RoomEvent.Deleted x -> "* " + safe(x.by()) + " deleted message #" + x.target();
            case RoomEvent.Reacted x ->
                "* " + safe(x.by()) + (x.added() ? " reacted " : " took back ") + safe(x.emoji()) + " on #"
                        + x.target();
            case RoomEvent.Joined j -> "* " + safe(j.nick()) + " joined";
            case RoomEvent.Left l ->
                "* " + safe(l.nick()) + " left"
                        + (l.reason() == null
                                        || l.reason().isBlank()
                                        || l.reason().equals("left")
                                ? ""
                                : " (" + safe(l.reason()) + ")");
            case RoomEvent.Renamed r -> "* " + safe(r.oldNick()) + " is now " + safe(r.newNick());
            case RoomEvent.TopicSet x ->
                "* " + safe(x.by()) + (x.text().isEmpty() ? " cleared the topic" : " set the topic: " + safe(x.text()));
            case RoomEvent.Moderated x -> "* " + safe(Moderation.describe(x, true));
        };
        return (showSeq ? "#" + e.seq() + " " : "") + stamp(e.time()) + " " + body;
    }

    /**
     * A message's text, or for a file message what it shares: {@code shared report.pdf (1.2 MB) ·
     * /get 3} ({@code shared the folder site (34 MB) · /get 4}), then its caption after a colon (when it is more than the file's name).
     */
    private String text(ChatMessage m) {
        FileRef f = m.file();
        if (f == null) {
            return safe(m.text());
        }
        String caption = m.text().equals(f.fileName()) || m.text().equals(f.name()) ? "" : ": " + safe(m.text());
        // a folder's size is its files' (its message's own is its list's); an older host does not tell it
        String size = f.contentSize() < 0 ? "" : " (" + FileRef.humanSize(f.contentSize()) + ")";
        String what = (f.folder() ? "the folder " : "") + safe(f.name()) + size;
        return "shared " + what + (handles == null ? "" : " · /get " + handles.applyAsInt(f)) + caption;
    }

    public String humanWelcome(Joined w, String address) {
        String members = w.complete()
                ? String.join(
                        ", ",
                        w.members().stream()
                                .map(m -> safe(m)
                                        + (w.roles().containsKey(m)
                                                ? " (" + w.roles().get(m) + ")"
                                                : ""))
                                .toList())
                : String.format("%,d", w.memberCount()) + " (/who lists them)";
        return "* Joined \"" + safe(w.room()) + "\" at " + address + " as " + safe(w.you()) + ". Members: "
                + members
                + "." + (w.topic().isEmpty() ? "" : " Topic: " + safe(w.topic()) + ".")
                + " Type a line to send it; /help lists the commands, /quit leaves.";
    }

    public String humanError(String code, String text, Instant now) {
        return stamp(now) + " ! " + safe(text) + " (" + code + ")";
    }

    public String humanDisconnected(Disconnect why, Instant now) {
        return stamp(now) + " * " + safe(why.text());
    }

    private String stamp(Instant t) {
        return "[" + CLOCK.format(t.atZone(zone)) + "]";
    }

    /** Peer text made safe for a terminal: newlines indent, control characters become visible. */
    static String safe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                continue;
            }
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                b.append(CONTINUATION);
            } else if (c == '\t') {
                b.append(c);
            } else if (c < 0x20) {
                b.append('^').append((char) (c + 64));
            } else if (c == 0x7f) {
                b.append("^?");
            } else if (c >= 0x80 && c < 0xa0) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- JSON

    /**
     * One room event as a JSON line. Fields: type, seq, id, time (ISO-8601 UTC), and per type:
     * message: from, text (replyTo: the seq it answers, if it is a reply; to: the member a direct
     * message is for; file: the file it shares, {id, name, size, sha256, mime, chunk, handle}, handle
     * being the number {@code /get} takes); joined: nick; left:
     * nick, reason; renamed: from, to (and nick = to); edited: target, from, text; deleted:
     * target, by; reaction: target, from, emoji, on; topic: from, text; moderation: by, action,
     * nick, reason (until: a mute's end).
     * Events replayed from the welcome's history carry {@code "history": true}.
     */
    public String json(RoomEvent e, boolean history) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", e.kind()).put("seq", e.seq()).put("id", e.id());
        switch (e) {
            case RoomEvent.Posted p -> {
                o.put("from", p.message().sender()).put("text", p.message().text());
                if (p.message().replyTo() > 0) {
                    o.put("replyTo", p.message().replyTo());
                }
                if (p.message().direct()) {
                    o.put("to", p.message().to());
                }
                FileRef f = p.message().file();
                if (f != null) {
                    ObjectNode file = o.putObject("file")
                            .put("id", f.id())
                            .put("name", f.name())
                            .put("size", f.size())
                            .put("sha256", f.sha256())
                            .put("mime", f.mime())
                            .put("chunk", f.chunkSize());
                    if (f.folder() && f.total() >= 0) {
                        file.put("total", f.total());
                    }
                    if (handles != null) {
                        file.put("handle", handles.applyAsInt(f));
                    }
                }
            }
            case RoomEvent.Edited x ->
                o.put("target", x.target()).put("from", x.by()).put("text", x.text());
            case RoomEvent.Deleted x -> o.put("target", x.target()).put("by", x.by());
            case RoomEvent.Reacted x ->
                o.put("target", x.target())
                        .put("from", x.by())
                        .put("emoji", x.emoji())
                        .put("on", x.added());
            case RoomEvent.Joined j -> o.put("nick", j.nick());
            case RoomEvent.Left l -> o.put("nick", l.nick()).put("reason", l.reason());
            case RoomEvent.Renamed r ->
                o.put("from", r.oldNick()).put("to", r.newNick()).put("nick", r.newNick());
            case RoomEvent.TopicSet x -> o.put("from", x.by()).put("text", x.text());
            case RoomEvent.Moderated x -> {
                o.put("by", x.by())
                        .put("action", x.action())
                        .put("nick", x.nick())
                        .put("reason", x.reason());
                if (x.until() != null) {
                    o.put("until", x.until().toString());
                }
            }
        }
        o.put("time", e.time().toString());
        if (history) {
            o.put("history", true);
        }
        return write(o);
    }

    /** Names for a person to read, comma-separated, each made safe for the terminal. */
    public String names(List<String> nicks) {
        return String.join(", ", nicks.stream().map(EventFormat::safe).toList());
    }

    /** A big room's member list, loaded: a JSON {@code members} line (every member, as of event {@code asOf}). */
    public String jsonMembers(List<String> members, long asOf, Instant now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "members");
        members.forEach(o.putArray("members")::add);
        o.put("asOf", asOf).put("time", now.truncatedTo(ChronoUnit.MILLIS).toString());
        return write(o);
    }

    /** The welcome as a JSON line: room, you, members, lastSeq, server, address. */
    public String jsonWelcome(Joined w, String address, Instant now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "welcome").put("room", w.room()).put("you", w.you());
        w.members().forEach(o.putArray("members")::add);
        o.put("memberCount", w.memberCount());
        if (!w.roles().isEmpty()) {
            ObjectNode roles = o.putObject("roles");
            w.roles().forEach(roles::put);
        }
        o.put("topic", w.topic());
        o.put("lastSeq", w.lastSeq())
                .put("server", w.server())
                .put("address", address)
                .put("time", now.truncatedTo(ChronoUnit.MILLIS).toString());
        return write(o);
    }

    /** A JSON line of the given type with the given fields (numbers, booleans, strings) and the time. */
    public String jsonLine(String type, Instant now, Object... fields) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", type);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            String k = (String) fields[i];
            switch (fields[i + 1]) {
                case Long l -> o.put(k, l);
                case Integer n -> o.put(k, n);
                case Boolean b -> o.put(k, b);
                case null -> o.putNull(k);
                default -> o.put(k, String.valueOf(fields[i + 1]));
            }
        }
        o.put("time", now.truncatedTo(ChronoUnit.MILLIS).toString());
        return write(o);
    }

    public String humanNote(String text, Instant now) {
        return stamp(now) + " * " + safe(text);
    }

    public String jsonError(String code, String text, Instant now) {
        return jsonLine("error", now, "code", code, "text", text);
    }

    /** reason is one of "left", "room-closed", "dropped", "lost", "removed" (a moderator removed or banned us). */
    public String jsonDisconnected(Disconnect why, Instant now) {
        return jsonLine("disconnected", now, "reason", reason(why.kind()), "text", why.text());
    }

    static String reason(Disconnect.Kind kind) {
        return switch (kind) {
            case LEFT -> "left";
            case ROOM_CLOSED -> "room-closed";
            case DROPPED -> "dropped";
            case LOST -> "lost";
            case REMOVED -> "removed";
        };
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
