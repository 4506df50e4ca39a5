package org.confab.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;

/**
 * Maps {@link Message}s to JSON frames and back. Decoding is strict: invalid UTF-8, anything but
 * a JSON object, unknown types, missing or mistyped fields all end in a {@link ProtocolException}
 * that names the problem. Unknown extra fields are ignored (forward compatibility).
 */
public final class JsonCodec {
    /*
     * The recycler pool is shared, not per thread: Jackson's default keeps its buffers in a
     * ThreadLocal, and with one virtual thread per connection that is ~20 KiB of char[] and byte[]
     * held by every idle member (measured: docs/benchmarks.md).
     */
    private static final int MAX_DEPTH = 32;
    /*
     * Characters outside the BMP are written as raw 4-byte UTF-8 (docs/protocol.md §3), not as a
     * pair of \\u escapes, which is Jackson's default.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool())
            .build();
    /* exactly one JSON value per frame: trailing bytes after the object are an error */
    private static final ObjectMapper MAPPER =
            new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonCodec() {}

    // ---------------------------------------------------------------- encode

    public static Frame encode(Message m) {
        return new Frame(Frame.Kind.JSON, write(m, 0, null));
    }

    /**
     * The whole frame, header and payload, as one array ready to write: the same bytes as
     * {@code encode(m).encode()} with one copy less.
     */
    public static byte[] encodeFrame(Message m) {
        return frame(m, null);
    }

    /**
     * A welcome whose {@code members} array is already encoded (the host keeps it so as members
     * join): the same bytes as {@link #encodeFrame(Message)}, without encoding every member's
     * name again. {@code members} must hold {@code w.members()}.
     */
    public static byte[] encodeFrame(Message.Welcome w, EncodedMembers members) {
        if (members.count() != w.members().size()) {
            throw new IllegalArgumentException("encoded members: " + members.count() + ", welcome: "
                    + w.members().size());
        }
        return frame(w, members);
    }

    private static byte[] frame(Message m, EncodedMembers members) {
        byte[] out = write(m, Frame.HEADER_BYTES, members);
        Frame.writeHeader(out, Frame.Kind.JSON);
        return out;
    }

    /** {@code s} as a JSON string, quotes and escapes included, as a generator of this codec writes it. */
    static byte[] quoted(String s) {
        try (var bytes = new ByteArrayBuilder(s.length() + 8);
                JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeString(s);
            g.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a string", e);
        }
    }

    /**
     * Streams the JSON of {@code m} (no tree in between) after {@code skip} zero bytes. Field order
     * is fixed and documented in docs/protocol.md.
     */
    private static byte[] write(Message m, int skip, EncodedMembers encodedMembers) {
        try (var bytes = new ByteArrayBuilder(256)) {
            for (int i = 0; i < skip; i++) {
                bytes.write(0);
            }
            try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
                g.writeStartObject();
                g.writeStringField("type", wireType(m));
                switch (m) {
                    case Message.Hello h -> {
                        g.writeNumberField("version", h.version());
                        g.writeStringField("nick", h.nick());
                        g.writeStringField("client", h.client());
                        caps(g, h.caps());
                        optString(g, "key", h.key());
                        optString(g, "owner", h.owner());
                        if (h.resume() != null) {
                            g.writeObjectFieldStart("resume");
                            optString(g, "room", h.resume().room());
                            g.writeNumberField("lastSeq", h.resume().lastSeq());
                            g.writeEndObject();
                        }
                    }
                    case Message.Welcome w -> {
                        g.writeNumberField("version", w.version());
                        g.writeStringField("room", w.room());
                        g.writeStringField("you", w.you());
                        if (encodedMembers != null) {
                            g.writeFieldName("members");
                            g.writeRawValue(encodedMembers.raw());
                        } else {
                            g.writeArrayFieldStart("members");
                            for (String member : w.members()) {
                                g.writeString(member);
                            }
                            g.writeEndArray();
                        }
                        if (w.lazy()) {
                            g.writeNumberField("memberCount", w.memberCount());
                        }
                        g.writeArrayFieldStart("history");
                        for (RoomEvent e : w.history()) {
                            g.writeStartObject();
                            g.writeStringField("type", e.kind());
                            eventFields(g, e);
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                        g.writeNumberField("lastSeq", w.lastSeq());
                        g.writeStringField("server", w.server());
                        optString(g, "roomId", w.roomId());
                        if (w.resume() != null) {
                            g.writeObjectFieldStart("resume");
                            g.writeStringField("status", w.resume().status().wire());
                            g.writeNumberField("from", w.resume().from());
                            g.writeNumberField("missed", w.resume().missed());
                            g.writeEndObject();
                        }
                        caps(g, w.caps());
                        if (w.limits() != null) {
                            var l = w.limits();
                            g.writeObjectFieldStart("limits");
                            g.writeNumberField("maxFrame", l.maxFrame());
                            g.writeNumberField("maxText", l.maxText());
                            g.writeNumberField("maxNick", l.maxNick());
                            g.writeNumberField("ratePerSecond", l.ratePerSecond());
                            g.writeNumberField("burst", l.burst());
                            g.writeNumberField("maxMembers", l.maxMembers());
                            g.writeEndObject();
                        }
                        if (!w.topic().isEmpty()) {
                            g.writeStringField("topic", w.topic());
                        }
                        if (!w.presence().isEmpty()) {
                            g.writeObjectFieldStart("presence");
                            for (String member : named(w, w.presence())) {
                                Message.Status st = w.presence().get(member);
                                if (st != null) {
                                    g.writeObjectFieldStart(member);
                                    g.writeStringField("state", st.state());
                                    if (!st.text().isEmpty()) {
                                        g.writeStringField("text", st.text());
                                    }
                                    g.writeEndObject();
                                }
                            }
                            g.writeEndObject();
                        }
                        if (!w.reads().isEmpty()) {
                            g.writeObjectFieldStart("reads");
                            for (String member : named(w, w.reads())) {
                                Long seq = w.reads().get(member);
                                if (seq != null) {
                                    g.writeNumberField(member, seq);
                                }
                            }
                            g.writeEndObject();
                        }
                        if (!w.roles().isEmpty()) {
                            g.writeObjectFieldStart("roles");
                            for (String member : named(w, w.roles())) { // in member order, for a stable byte form
                                String role = w.roles().get(member);
                                if (role != null) {
                                    g.writeStringField(member, role);
                                }
                            }
                            g.writeEndObject();
                        }
                    }
                    case Message.AuthStart a -> {
                        g.writeStringField("mechanism", a.mechanism());
                        g.writeStringField("clientFirst", a.clientFirst());
                    }
                    case Message.Challenge c -> g.writeStringField("serverFirst", c.serverFirst());
                    case Message.AuthFinish a -> g.writeStringField("clientFinal", a.clientFinal());
                    case Message.AuthOk a -> g.writeStringField("serverFinal", a.serverFinal());
                    case Message.Reject r -> {
                        g.writeStringField("code", r.code().wire());
                        g.writeStringField("reason", r.reason());
                    }
                    case Message.Send send -> {
                        g.writeStringField("text", send.text());
                        optString(g, "cid", send.cid());
                        if (send.replyTo() > 0) {
                            g.writeNumberField("replyTo", send.replyTo());
                        }
                        optString(g, "to", send.to());
                        optString(g, "file", send.file());
                        optString(g, "thumb", send.thumb());
                    }
                    case Message.FileOffer x -> {
                        g.writeStringField("id", x.id());
                        g.writeStringField("name", x.name());
                        g.writeNumberField("size", x.size());
                        g.writeStringField("sha256", x.sha256());
                        g.writeNumberField("chunk", x.chunk());
                        optString(g, "mime", x.mime());
                        optString(g, "to", x.to());
                    }
                    case Message.FileAccepted x -> {
                        g.writeStringField("id", x.id());
                        g.writeStringField("file", x.file());
                        g.writeNumberField("have", x.have());
                    }
                    case Message.FileAck x -> {
                        g.writeStringField("file", x.file());
                        g.writeNumberField("upto", x.upto());
                    }
                    case Message.FileGet x -> {
                        g.writeStringField("file", x.file());
                        g.writeNumberField("from", x.from());
                    }
                    case Message.FileCancel x -> {
                        g.writeStringField("file", x.file());
                        if (!x.reason().isEmpty()) {
                            g.writeStringField("reason", x.reason());
                        }
                    }
                    case Message.Edit x -> {
                        g.writeNumberField("seq", x.seq());
                        g.writeStringField("text", x.text());
                    }
                    case Message.Delete x -> g.writeNumberField("seq", x.seq());
                    case Message.Typing x -> optString(g, "nick", x.nick());
                    case Message.React x -> {
                        g.writeNumberField("seq", x.seq());
                        g.writeStringField("emoji", x.emoji());
                        g.writeBooleanField("on", x.on());
                    }
                    case Message.Rename r -> g.writeStringField("nick", r.nick());
                    case Message.SetTopic t -> g.writeStringField("text", t.text());
                    case Message.Presence x -> {
                        optString(g, "nick", x.nick());
                        g.writeStringField("state", x.status().state());
                        if (!x.status().text().isEmpty()) {
                            g.writeStringField("text", x.status().text());
                        }
                    }
                    case Message.Read x -> {
                        optString(g, "nick", x.nick());
                        g.writeNumberField("seq", x.seq());
                        optString(g, "with", x.with());
                    }
                    case Message.Moderate x -> {
                        g.writeStringField("action", x.action());
                        g.writeStringField("nick", x.nick());
                        if (!x.reason().isEmpty()) {
                            g.writeStringField("reason", x.reason());
                        }
                        if (x.minutes() > 0) {
                            g.writeNumberField("minutes", x.minutes());
                        }
                    }
                    case Message.Event e -> {
                        eventFields(g, e.event());
                        optString(g, "cid", e.cid());
                    }
                    case Message.WatchMembers x -> g.writeBooleanField("watch", x.watch());
                    case Message.MemberList x -> {
                        g.writeNumberField("seq", x.seq());
                        g.writeArrayFieldStart("members");
                        for (String member : x.members()) {
                            g.writeString(member);
                        }
                        g.writeEndArray();
                        if (x.more()) {
                            g.writeBooleanField("more", true);
                        }
                    }
                    case Message.MemberCount x -> g.writeNumberField("members", x.members());
                    case Message.Events es -> {
                        g.writeArrayFieldStart("events");
                        for (Message.Event e : es.events()) {
                            g.writeStartObject();
                            g.writeStringField("type", e.event().kind());
                            eventFields(g, e.event());
                            optString(g, "cid", e.cid());
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }
                    case Message.Ack a -> {
                        g.writeStringField("cid", a.cid());
                        g.writeNumberField("seq", a.seq());
                    }
                    case Message.Ping p -> g.writeNumberField("nonce", p.nonce());
                    case Message.Pong p -> g.writeNumberField("nonce", p.nonce());
                    case Message.Leave l -> optString(g, "reason", l.reason());
                    case Message.Closing c -> g.writeStringField("reason", c.reason());
                    case Message.Error e -> {
                        g.writeStringField("code", e.code().wire());
                        g.writeStringField("text", e.text());
                        g.writeBooleanField("fatal", e.fatal());
                        optString(g, "cid", e.cid());
                        if (e.retryAfterMillis() > 0) {
                            g.writeNumberField("retryAfter", e.retryAfterMillis());
                        }
                    }
                }
                g.writeEndObject();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + m.getClass().getSimpleName(), e);
        }
    }

    /** {@code "caps":[...]}, left out when empty (what an older peer never sends). */
    private static void caps(JsonGenerator g, List<String> caps) throws IOException {
        if (!caps.isEmpty()) {
            g.writeArrayFieldStart("caps");
            for (String c : caps) {
                g.writeString(c);
            }
            g.writeEndArray();
        }
    }

    private static void optString(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /** An event's fields after its {@code type}. */
    private static void eventFields(JsonGenerator g, RoomEvent e) throws IOException {
        g.writeNumberField("seq", e.seq());
        g.writeStringField("id", e.id());
        switch (e) {
            case RoomEvent.Posted p -> {
                g.writeStringField("from", p.message().sender());
                g.writeStringField("text", p.message().text());
                if (p.message().replyTo() > 0) {
                    g.writeNumberField("replyTo", p.message().replyTo());
                }
                optString(g, "to", p.message().to());
                FileRef f = p.message().file();
                if (f != null) {
                    g.writeObjectFieldStart("file");
                    g.writeStringField("id", f.id());
                    g.writeStringField("name", f.name());
                    g.writeNumberField("size", f.size());
                    g.writeStringField("sha256", f.sha256());
                    g.writeStringField("mime", f.mime());
                    g.writeNumberField("chunk", f.chunkSize());
                    optString(g, "thumb", f.thumb());
                    if (f.folder() && f.total() >= 0) {
                        g.writeNumberField("total", f.total());
                    }
                    g.writeEndObject();
                }
            }
            case RoomEvent.Edited x -> {
                g.writeNumberField("target", x.target());
                g.writeStringField("from", x.by());
                g.writeStringField("text", x.text());
                optString(g, "to", x.to());
            }
            case RoomEvent.Deleted x -> {
                g.writeNumberField("target", x.target());
                g.writeStringField("by", x.by());
                optString(g, "to", x.to());
            }
            case RoomEvent.Reacted x -> {
                g.writeNumberField("target", x.target());
                g.writeStringField("from", x.by());
                g.writeStringField("emoji", x.emoji());
                g.writeBooleanField("on", x.added());
                optString(g, "to", x.to());
            }
            case RoomEvent.TopicSet x -> {
                g.writeStringField("from", x.by());
                g.writeStringField("text", x.text());
            }
            case RoomEvent.Moderated x -> {
                g.writeStringField("by", x.by());
                g.writeStringField("action", x.action());
                g.writeStringField("nick", x.nick());
                if (!x.reason().isEmpty()) {
                    g.writeStringField("reason", x.reason());
                }
                if (x.until() != null) {
                    g.writeNumberField("until", x.until().toEpochMilli());
                }
            }
            case RoomEvent.Joined j -> g.writeStringField("nick", j.nick());
            case RoomEvent.Left l -> {
                g.writeStringField("nick", l.nick());
                g.writeStringField("reason", l.reason());
            }
            case RoomEvent.Renamed r -> {
                g.writeStringField("from", r.oldNick());
                g.writeStringField("to", r.newNick());
            }
        }
        g.writeNumberField("time", e.time().toEpochMilli());
    }

    // ---------------------------------------------------------------- decode

    public static Message decode(Frame frame) throws ProtocolException {
        if (frame.kind() != Frame.Kind.JSON) {
            throw new ProtocolException(
                    ErrorCode.UNSUPPORTED_FRAME,
                    "Binary frames are not used in protocol version " + Message.VERSION + ".");
        }
        return decode(frame.payload());
    }

    public static Message decode(byte[] payload) throws ProtocolException {
        if (payload.length >= 3
                && payload[0] == (byte) 0xEF
                && payload[1] == (byte) 0xBB
                && payload[2] == (byte) 0xBF) {
            throw new ProtocolException(
                    ErrorCode.BAD_JSON, "Frame payload starts with a byte-order mark; send the JSON object alone.");
        }
        if (!isAscii(payload)) {
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(payload));
            } catch (CharacterCodingException e) {
                throw new ProtocolException(ErrorCode.BAD_UTF8, "Frame payload is not valid UTF-8.");
            }
        }
        JsonNode node;
        try {
            // parse the bytes as they are (valid UTF-8, checked above): no String in between
            node = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, jsonProblem(e));
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "Frame payload must be a JSON object.");
        }
        String type = str(node, "type");
        return switch (type) {
            case "hello" ->
                new Message.Hello(
                        integer(node, "version"),
                        str(node, "nick"),
                        optStr(node, "client"),
                        resume(node),
                        optStrings(node, "caps"),
                        optStr(node, "key"),
                        optStr(node, "owner"));
            case "welcome" ->
                new Message.Welcome(
                        integer(node, "version"),
                        str(node, "room"),
                        str(node, "you"),
                        strings(node, "members"),
                        events(node, "history"),
                        lng(node, "lastSeq"),
                        optStr(node, "server"),
                        optStr(node, "roomId"),
                        resumeResult(node),
                        limits(node),
                        optStrings(node, "caps"),
                        optStr(node, "topic"),
                        roles(node),
                        presence(node),
                        reads(node),
                        memberCount(node));
            case "auth-start" -> new Message.AuthStart(str(node, "mechanism"), str(node, "clientFirst"));
            case "challenge" -> new Message.Challenge(str(node, "serverFirst"));
            case "auth-finish" -> new Message.AuthFinish(str(node, "clientFinal"));
            case "auth-ok" -> new Message.AuthOk(str(node, "serverFinal"));
            case "reject" -> new Message.Reject(ErrorCode.fromWire(str(node, "code")), str(node, "reason"));
            case "send" ->
                new Message.Send(
                        str(node, "text"),
                        optStr(node, "cid"),
                        optLng(node, "replyTo", 0),
                        optStr(node, "to"),
                        optStr(node, "file"),
                        optStr(node, "thumb"));
            case "file-offer" ->
                new Message.FileOffer(
                        str(node, "id"),
                        str(node, "name"),
                        lng(node, "size"),
                        str(node, "sha256"),
                        integer(node, "chunk"),
                        optStr(node, "mime"),
                        optStr(node, "to"));
            case "file-accepted" -> new Message.FileAccepted(str(node, "id"), str(node, "file"), lng(node, "have"));
            case "file-ack" -> new Message.FileAck(str(node, "file"), lng(node, "upto"));
            case "file-get" -> new Message.FileGet(str(node, "file"), lng(node, "from"));
            case "file-cancel" -> new Message.FileCancel(str(node, "file"), optStr(node, "reason"));
            case "edit" -> new Message.Edit(lng(node, "seq"), str(node, "text"));
            case "delete" -> new Message.Delete(lng(node, "seq"));
            case "typing" -> new Message.Typing(optStr(node, "nick"));
            case "react" -> new Message.React(lng(node, "seq"), str(node, "emoji"), bool(node, "on"));
            case "rename" -> new Message.Rename(str(node, "nick"));
            case "set-topic" -> new Message.SetTopic(str(node, "text"));
            case "presence" ->
                new Message.Presence(
                        optStr(node, "nick"), new Message.Status(str(node, "state"), optStr(node, "text")));
            case "read" -> new Message.Read(optStr(node, "nick"), lng(node, "seq"), optStr(node, "with"));
            case "moderate" ->
                new Message.Moderate(
                        str(node, "action"), str(node, "nick"), optStr(node, "reason"), optLng(node, "minutes", 0));
            case "message", "joined", "left", "renamed", "edited", "deleted", "reaction", "topic", "moderation" ->
                new Message.Event(event(node), optStr(node, "cid"));
            case "events" -> batch(node);
            case "watch-members" -> new Message.WatchMembers(bool(node, "watch"));
            case "members" ->
                new Message.MemberList(
                        lng(node, "seq"),
                        strings(node, "members"),
                        node.path("more").asBoolean(false));
            case "count" -> new Message.MemberCount(count(node, "members"));
            case "ack" -> new Message.Ack(str(node, "cid"), lng(node, "seq"));
            case "ping" -> new Message.Ping(lng(node, "nonce"));
            case "pong" -> new Message.Pong(lng(node, "nonce"));
            case "leave" -> new Message.Leave(optStr(node, "reason"));
            case "closing" -> new Message.Closing(str(node, "reason"));
            case "error" ->
                new Message.Error(
                        ErrorCode.fromWire(str(node, "code")),
                        str(node, "text"),
                        node.path("fatal").asBoolean(false),
                        optStr(node, "cid"),
                        optLng(node, "retryAfter", 0));
            default ->
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, "Unknown message type \"" + clip(type) + "\".");
        };
    }

    /**
     * What is wrong with a payload the parser refused, in our words: the parser's own messages
     * name its classes and settings, which mean nothing to a peer.
     */
    private static String jsonProblem(IOException e) {
        String where = "";
        if (e instanceof JsonProcessingException p
                && p.getLocation() != null
                && p.getLocation().getByteOffset() >= 0) {
            where = " (at byte " + p.getLocation().getByteOffset() + ")";
        }
        String original = e instanceof JsonProcessingException p ? String.valueOf(p.getOriginalMessage()) : "";
        if (e instanceof StreamConstraintsException) {
            return original.contains("nesting depth")
                    ? "Frame payload is nested deeper than " + MAX_DEPTH + " levels."
                    : "Frame payload has a number or string longer than allowed.";
        }
        if (e instanceof JsonEOFException) {
            return "Frame payload ends before its JSON value is complete" + where + ".";
        }
        if (e instanceof MismatchedInputException && original.contains("Trailing token")
                || original.startsWith("Trailing token")) {
            return "Frame payload has bytes after its JSON object" + where
                    + "; send exactly one JSON object per frame.";
        }
        return "Frame payload is not valid JSON" + where + ".";
    }

    /** Plain ASCII is valid UTF-8; only payloads with other bytes need the strict check. */
    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    static RoomEvent event(JsonNode node) throws ProtocolException {
        String type = str(node, "type");
        long seq = lng(node, "seq");
        String id = str(node, "id");
        Instant time = Instant.ofEpochMilli(lng(node, "time"));
        return switch (type) {
            case "message" ->
                new RoomEvent.Posted(new ChatMessage(
                        seq,
                        id,
                        str(node, "from"),
                        str(node, "text"),
                        time,
                        Math.max(0, optLng(node, "replyTo", 0)),
                        optStr(node, "to"),
                        fileRef(node)));
            case "edited" ->
                new RoomEvent.Edited(
                        seq, id, time, lng(node, "target"), str(node, "from"), str(node, "text"), optStr(node, "to"));
            case "deleted" ->
                new RoomEvent.Deleted(seq, id, time, lng(node, "target"), str(node, "by"), optStr(node, "to"));
            case "reaction" ->
                new RoomEvent.Reacted(
                        seq,
                        id,
                        time,
                        lng(node, "target"),
                        str(node, "from"),
                        str(node, "emoji"),
                        bool(node, "on"),
                        optStr(node, "to"));
            case "topic" -> new RoomEvent.TopicSet(seq, id, time, str(node, "from"), str(node, "text"));
            case "moderation" ->
                new RoomEvent.Moderated(
                        seq,
                        id,
                        time,
                        str(node, "by"),
                        str(node, "action"),
                        str(node, "nick"),
                        Objects.requireNonNullElse(optStr(node, "reason"), ""),
                        absent(node, "until") ? null : Instant.ofEpochMilli(lng(node, "until")));
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
        return r == null
                ? null
                : new Message.ResumeResult(
                        Message.ResumeResult.Status.fromWire(str(r, "status")),
                        optLng(r, "from", 0),
                        optLng(r, "missed", 0));
    }

    private static Message.Limits limits(JsonNode node) throws ProtocolException {
        JsonNode l = optObject(node, "limits");
        if (l == null) {
            return null;
        }
        return new Message.Limits(
                optInt(l, "maxFrame"),
                optInt(l, "maxText"),
                optInt(l, "maxNick"),
                optInt(l, "ratePerSecond"),
                optInt(l, "burst"),
                optInt(l, "maxMembers"));
    }

    /** The welcome's optional {@code roles}: nick → role, strings only, at most 1,024 entries read. */
    private static Map<String, String> roles(JsonNode node) throws ProtocolException {
        JsonNode r = optObject(node, "roles");
        if (r == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        var fields = r.properties().iterator();
        while (fields.hasNext() && out.size() < 1024) {
            var f = fields.next();
            if (!f.getValue().isTextual()) {
                throw missing("roles", "an object of strings");
            }
            out.put(
                    wellFormed("roles", f.getKey()),
                    wellFormed("roles", f.getValue().asText()));
        }
        return out;
    }

    /** The welcome's optional {@code presence}: nick → {state, text}; at most 1,024 entries read. */
    private static Map<String, Message.Status> presence(JsonNode node) throws ProtocolException {
        JsonNode r = optObject(node, "presence");
        if (r == null) {
            return Map.of();
        }
        Map<String, Message.Status> out = new LinkedHashMap<>();
        var fields = r.properties().iterator();
        while (fields.hasNext() && out.size() < 1024) {
            var f = fields.next();
            if (!f.getValue().isObject()) {
                throw missing("presence", "an object of objects");
            }
            out.put(
                    wellFormed("presence", f.getKey()),
                    new Message.Status(str(f.getValue(), "state"), optStr(f.getValue(), "text")));
        }
        return out;
    }

    /** The welcome's optional {@code reads}: nick → seq; at most 1,024 entries read. */
    private static Map<String, Long> reads(JsonNode node) throws ProtocolException {
        JsonNode r = optObject(node, "reads");
        if (r == null) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        var fields = r.properties().iterator();
        while (fields.hasNext() && out.size() < 1024) {
            var f = fields.next();
            if (!f.getValue().isIntegralNumber() || !f.getValue().canConvertToLong()) {
                throw missing("reads", "an object of integers");
            }
            out.put(wellFormed("reads", f.getKey()), f.getValue().asLong());
        }
        return out;
    }

    /** True if an optional {@code field} is not given: missing, or JSON null. */
    private static boolean absent(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull();
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

    /** A message's {@code file} (§18), or null without one; a malformed one is a bad message. */
    private static FileRef fileRef(JsonNode node) throws ProtocolException {
        if (absent(node, "file")) {
            return null;
        }
        JsonNode f = node.get("file");
        if (!f.isObject()) {
            throw missing("file", "an object");
        }
        try {
            return new FileRef(
                    str(f, "id"),
                    str(f, "name"),
                    lng(f, "size"),
                    str(f, "sha256"),
                    optStr(f, "mime"),
                    integer(f, "chunk"),
                    optStr(f, "thumb"),
                    optLng(f, "total", -1));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, "Field \"file\": " + e.getMessage() + ".");
        }
    }

    private static long optLng(JsonNode node, String field, long ifAbsent) throws ProtocolException {
        return absent(node, field) ? ifAbsent : lng(node, field);
    }

    private static int optInt(JsonNode node, String field) throws ProtocolException {
        return absent(node, field) ? 0 : integer(node, field);
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

    /** An {@code events} frame (§19): each element is an event frame's object, cid included. */
    private static Message.Events batch(JsonNode node) throws ProtocolException {
        JsonNode arr = node.get("events");
        if (arr == null || !arr.isArray()) {
            throw missing("events", "an array");
        }
        List<Message.Event> out = new ArrayList<>(arr.size());
        for (JsonNode e : arr) {
            if (!e.isObject()) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, "\"events\" must hold objects.");
            }
            out.add(new Message.Event(event(e), optStr(e, "cid")));
        }
        return new Message.Events(out);
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
            out.add(wellFormed(field, e.asText()));
        }
        return out;
    }

    private static String str(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || v.getNodeType() != JsonNodeType.STRING) {
            throw missing(field, "a string");
        }
        return wellFormed(field, v.asText());
    }

    /**
     * A string that holds a lone surrogate (possible through a JSON escape such as
     * {@code "\\udc00"}, though never in valid UTF-8) is not text: refused like invalid UTF-8.
     */
    static String wellFormed(String field, String s) throws ProtocolException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ProtocolException(
                        ErrorCode.BAD_UTF8,
                        "Field \"" + field + "\" holds a lone surrogate (U+"
                                + Integer.toHexString(c).toUpperCase(Locale.ROOT) + "), which is not a character.");
            }
        }
        return s;
    }

    /** An optional array of strings (absent: empty); at most 32 entries are read. */
    private static List<String> optStrings(JsonNode node, String field) throws ProtocolException {
        if (absent(node, field)) {
            return List.of();
        }
        List<String> all = strings(node, field);
        return all.size() > 32 ? all.subList(0, 32) : all;
    }

    private static boolean bool(JsonNode node, String field) throws ProtocolException {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw missing(field, "a boolean");
        }
        return v.booleanValue();
    }

    private static String optStr(JsonNode node, String field) throws ProtocolException {
        return absent(node, field) ? null : str(node, field);
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

    /** A count: an integer, zero or more. */
    private static int count(JsonNode node, String field) throws ProtocolException {
        int n = integer(node, field);
        if (n < 0) {
            throw missing(field, "zero or more");
        }
        return n;
    }

    /** A welcome's {@code memberCount} (§20): how many members a lazy welcome stands for; absent: the list is whole. */
    private static int memberCount(JsonNode node) throws ProtocolException {
        if (absent(node, "memberCount")) {
            return Message.Welcome.FULL_LIST;
        }
        int n = count(node, "memberCount");
        if (n < 1) {
            throw missing("memberCount", "at least 1 (you are a member)");
        }
        return n;
    }

    /**
     * The members a welcome's map names, in a fixed order: member order when the welcome lists
     * everyone, else (a lazy welcome, §20) the map's own names, sorted.
     */
    private static Iterable<String> named(Message.Welcome w, Map<String, ?> map) {
        return w.lazy() ? new TreeSet<>(map.keySet()) : w.members();
    }

    private static ProtocolException missing(String field, String what) {
        return new ProtocolException(ErrorCode.BAD_MESSAGE, "Field \"" + field + "\" must be " + what + ".");
    }

    /** A peer's word quoted back to that peer: at most 40 characters, control characters as '?'. */
    private static String clip(String s) {
        String cut = s.length() <= 40 ? s : s.substring(0, 40) + "…";
        var b = new StringBuilder(cut.length());
        cut.codePoints()
                .forEach(cp -> b.appendCodePoint(
                        Character.isISOControl(cp)
                                        || Character.getType(cp) == Character.FORMAT
                                        || Character.isSurrogate((char) cp) && cp < 0x10000
                                ? '?'
                                : cp));
        return b.toString();
    }

    /** The wire name of a message's {@code type} (for texts a peer reads: never a class name). */
    public static String wireType(Message m) {
        return switch (m) {
            case Message.Hello _ -> "hello";
            case Message.Welcome _ -> "welcome";
            case Message.AuthStart _ -> "auth-start";
            case Message.Challenge _ -> "challenge";
            case Message.AuthFinish _ -> "auth-finish";
            case Message.AuthOk _ -> "auth-ok";
            case Message.Reject _ -> "reject";
            case Message.Send _ -> "send";
            case Message.Edit _ -> "edit";
            case Message.Delete _ -> "delete";
            case Message.Typing _ -> "typing";
            case Message.React _ -> "react";
            case Message.Rename _ -> "rename";
            case Message.SetTopic _ -> "set-topic";
            case Message.Presence _ -> "presence";
            case Message.Read _ -> "read";
            case Message.Moderate _ -> "moderate";
            case Message.FileOffer _ -> "file-offer";
            case Message.FileAccepted _ -> "file-accepted";
            case Message.FileAck _ -> "file-ack";
            case Message.FileGet _ -> "file-get";
            case Message.FileCancel _ -> "file-cancel";
            case Message.Event e -> e.event().kind();
            case Message.Events _ -> "events";
            case Message.WatchMembers _ -> "watch-members";
            case Message.MemberList _ -> "members";
            case Message.MemberCount _ -> "count";
            case Message.Ack _ -> "ack";
            case Message.Ping _ -> "ping";
            case Message.Pong _ -> "pong";
            case Message.Leave _ -> "leave";
            case Message.Closing _ -> "closing";
            case Message.Error _ -> "error";
        };
    }
}
