package org.confab.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;

/**
 * Maps {@link Message}s to JSON frames and back. Decoding is strict: invalid UTF-8, anything but
 * a JSON object, unknown types, missing or mistyped fields all end in a {@link ProtocolException}
 * that names the problem. Unknown extra fields are ignored (forward compatibility).
 */
public final class JsonCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .build());

    private JsonCodec() { }

    // ---------------------------------------------------------------- encode

    public static Frame encode(Message m) {
        try {
            return new Frame(Frame.Kind.JSON, MAPPER.writeValueAsBytes(toJson(m)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + m.getClass().getSimpleName(), e);
        }
    }

    static ObjectNode toJson(Message m) {
        ObjectNode o = MAPPER.createObjectNode();
        switch (m) {
            case Message.Hello h -> {
                o.put("type", "hello").put("version", h.version()).put("nick", h.nick()).put("client", h.client());
                if (h.resume() != null) {
                    ObjectNode r = o.putObject("resume");
                    if (h.resume().room() != null) {
                        r.put("room", h.resume().room());
                    }
                    r.put("lastSeq", h.resume().lastSeq());
                }
            }
            case Message.Welcome w -> {
                o.put("type", "welcome").put("version", w.version()).put("room", w.room()).put("you", w.you());
                ArrayNode members = o.putArray("members");
                w.members().forEach(members::add);
                ArrayNode history = o.putArray("history");
                w.history().forEach(e -> history.add(eventJson(e)));
                o.put("lastSeq", w.lastSeq()).put("server", w.server());
                if (w.roomId() != null) {
                    o.put("roomId", w.roomId());
                }
                if (w.resume() != null) {
                    o.putObject("resume").put("status", w.resume().status().wire()).put("from", w.resume().from())
                            .put("missed", w.resume().missed());
                }
                if (w.limits() != null) {
                    var l = w.limits();
                    o.putObject("limits").put("maxFrame", l.maxFrame()).put("maxText", l.maxText()).put("maxNick", l.maxNick())
                            .put("ratePerSecond", l.ratePerSecond()).put("burst", l.burst()).put("maxMembers", l.maxMembers());
                }
            }
            case Message.Reject r -> o.put("type", "reject").put("code", r.code().wire()).put("reason", r.reason());
            case Message.Send s -> {
                o.put("type", "send").put("text", s.text());
                if (s.cid() != null) {
                    o.put("cid", s.cid());
                }
            }
            case Message.Rename r -> o.put("type", "rename").put("nick", r.nick());
            case Message.Event e -> {
                o.setAll(eventJson(e.event()));
                if (e.cid() != null) {
                    o.put("cid", e.cid());
                }
            }
            case Message.Ack a -> o.put("type", "ack").put("cid", a.cid()).put("seq", a.seq());
            case Message.Ping p -> o.put("type", "ping").put("nonce", p.nonce());
            case Message.Pong p -> o.put("type", "pong").put("nonce", p.nonce());
            case Message.Leave l -> {
                o.put("type", "leave");
                if (l.reason() != null) {
                    o.put("reason", l.reason());
                }
            }
            case Message.Closing c -> o.put("type", "closing").put("reason", c.reason());
            case Message.Error e -> {
                o.put("type", "error").put("code", e.code().wire()).put("text", e.text()).put("fatal", e.fatal());
                if (e.cid() != null) {
                    o.put("cid", e.cid());
                }
                if (e.retryAfterMillis() > 0) {
                    o.put("retryAfter", e.retryAfterMillis());
                }
            }
        }
        return o;
    }

    static ObjectNode eventJson(RoomEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        switch (e) {
            case RoomEvent.Posted p -> o.put("type", "message").put("seq", p.seq()).put("id", p.id())
                    .put("from", p.message().sender()).put("text", p.message().text());
            case RoomEvent.Joined j -> o.put("type", "joined").put("seq", j.seq()).put("id", j.id()).put("nick", j.nick());
            case RoomEvent.Left l -> o.put("type", "left").put("seq", l.seq()).put("id", l.id()).put("nick", l.nick())
                    .put("reason", l.reason());
            case RoomEvent.Renamed r -> o.put("type", "renamed").put("seq", r.seq()).put("id", r.id())
                    .put("from", r.oldNick()).put("to", r.newNick());
        }
        o.put("time", e.time().toEpochMilli());
        return o;
    }

    // ---------------------------------------------------------------- decode

    public static Message decode(Frame frame) throws ProtocolException {
        if (frame.kind() != Frame.Kind.JSON) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_FRAME,
                    "Binary frames are not used in protocol version " + Message.VERSION + ".");
        }
        return decode(frame.payload());
    }

    public static Message decode(byte[] payload) throws ProtocolException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.BAD_UTF8, "Frame payload is not valid UTF-8.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "Frame payload is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "Frame payload must be a JSON object.");
        }
        String type = str(node, "type");
        return switch (type) {
            case "hello" -> new Message.Hello(integer(node, "version"), str(node, "nick"), optStr(node, "client"), resume(node));
            case "welcome" -> new Message.Welcome(integer(node, "version"), str(node, "room"), str(node, "you"),
                    strings(node, "members"), events(node, "history"), lng(node, "lastSeq"), optStr(node, "server"),
                    optStr(node, "roomId"), resumeResult(node), limits(node));
            case "reject" -> new Message.Reject(ErrorCode.fromWire(str(node, "code")), str(node, "reason"));
            case "send" -> new Message.Send(str(node, "text"), optStr(node, "cid"));
            case "rename" -> new Message.Rename(str(node, "nick"));
            case "message", "joined", "left", "renamed" -> new Message.Event(event(node), optStr(node, "cid"));
            case "ack" -> new Message.Ack(str(node, "cid"), lng(node, "seq"));
            case "ping" -> new Message.Ping(lng(node, "nonce"));
            case "pong" -> new Message.Pong(lng(node, "nonce"));
            case "leave" -> new Message.Leave(optStr(node, "reason"));
            case "closing" -> new Message.Closing(str(node, "reason"));
            case "error" -> new Message.Error(ErrorCode.fromWire(str(node, "code")), str(node, "text"),
                    node.path("fatal").asBoolean(false), optStr(node, "cid"), optLng(node, "retryAfter", 0));
            default -> throw new ProtocolException(ErrorCode.BAD_MESSAGE, "Unknown message type \"" + clip(type) + "\".");
        };
    }

    static RoomEvent event(JsonNode node) throws ProtocolException {
        String type = str(node, "type");
        long seq = lng(node, "seq");
        String id = str(node, "id");
        Instant time = Instant.ofEpochMilli(lng(node, "time"));
        return switch (type) {
            case "message" -> new RoomEvent.Posted(new ChatMessage(seq, id, str(node, "from"), str(node, "text"), time));
            case "joined" -> new RoomEvent.Joined(seq, id, time, str(node, "nick"));
            case "left" -> new RoomEvent.Left(seq, id, time, str(node, "nick"), optStr(node, "reason"));
            case "renamed" -> new RoomEvent.Renamed(seq, id, time, str(node, "from"), str(node, "to"));
            default -> throw new ProtocolException(ErrorCode.BAD_MESSAGE, "Unknown event type \"" + clip(type) + "\".");
        };
    }

    private static Message.Resume resume(JsonNode node) throws ProtocolException {
        JsonNode r = optObject(node, "resume");
        return r == null ? null : new Message.Resume(optStr(r, "room"), optLng(r, "lastSeq", 0));
    }

    private static Message.ResumeResult resumeResult(JsonNode node) throws ProtocolException {
        JsonNode r = optObject(node, "resume");
        return r == null ? null : new Message.ResumeResult(Message.ResumeResult.Status.fromWire(str(r, "status")),
                optLng(r, "from", 0), optLng(r, "missed", 0));
    }

    private static Message.Limits limits(JsonNode node) throws ProtocolException {
        JsonNode l = optObject(node, "limits");
        if (l == null) {
            return null;
        }
        return new Message.Limits(optInt(l, "maxFrame"), optInt(l, "maxText"), optInt(l, "maxNick"),
                optInt(l, "ratePerSecond"), optInt(l, "burst"), optInt(l, "maxMembers"));
    }

    private static JsonNode optObject(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw missing(field, "an object");
        }
        return v;
    }

    private static long optLng(JsonNode node, String field, long absent) throws ProtocolException {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? absent : lng(node, field);
    }

    private static int optInt(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? 0 : integer(node, field);
    }

    private static List<RoomEvent> events(JsonNode node, String field) throws ProtocolException {
        JsonNode arr = node.get(field);
        if (arr == null || !arr.isArray()) {
            throw missing(field, "an array");
        }
        List<RoomEvent> out = new ArrayList<>(arr.size());
        for (JsonNode e : arr) {
            if (!e.isObject()) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, "\"" + field + "\" must hold objects.");
            }
            out.add(event(e));
        }
        return out;
    }

    private static List<String> strings(JsonNode node, String field) throws ProtocolException {
        JsonNode arr = node.get(field);
        if (arr == null || !arr.isArray()) {
            throw missing(field, "an array");
        }
        List<String> out = new ArrayList<>(arr.size());
        for (JsonNode e : arr) {
            if (!e.isTextual()) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, "\"" + field + "\" must hold strings.");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static String str(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || v.getNodeType() != JsonNodeType.STRING) {
            throw missing(field, "a string");
        }
        return v.asText();
    }

    private static String optStr(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw missing(field, "a string");
        }
        return v.asText();
    }

    private static long lng(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw missing(field, "an integer");
        }
        return v.asLong();
    }

    private static int integer(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw missing(field, "an integer");
        }
        return v.asInt();
    }

    private static ProtocolException missing(String field, String what) {
        return new ProtocolException(ErrorCode.BAD_MESSAGE, "Field \"" + field + "\" must be " + what + ".");
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
