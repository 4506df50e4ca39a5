package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonCodecTest {
    private static final Instant T = Instant.ofEpochMilli(1_790_000_000_123L);

    static Stream<Message> everyMessage() {
        var posted =
                new RoomEvent.Posted(new ChatMessage(7, "id-7", "alice", "line one\nline two <b>not bold</b> 🙂", T));
        return Stream.of(
                new Message.Hello(1, "alice", "Confab 0.1.0"),
                new Message.Welcome(
                        1,
                        "Room",
                        "bob",
                        List.of("alice", "bob"),
                        List.of(posted, new RoomEvent.Joined(8, "id-8", T, "bob")),
                        8,
                        "Confab 0.1.0"),
                new Message.Reject(ErrorCode.NICK_TAKEN, "taken"),
                new Message.Send("hi", null),
                new Message.Send("hi", "client-id-1"),
                new Message.Rename("alicia"),
                new Message.Event(posted),
                new Message.Event(new RoomEvent.Joined(1, "a", T, "x")),
                new Message.Event(new RoomEvent.Left(2, "b", T, "x", "connection lost")),
                new Message.Event(new RoomEvent.Renamed(3, "c", T, "x", "y")),
                new Message.Ping(Long.MAX_VALUE),
                new Message.Pong(3),
                new Message.Leave("bye"),
                new Message.Leave(null),
                new Message.Closing("The host closed the room."),
                new Message.Error(ErrorCode.FRAME_TOO_LARGE, "too big", true),
                // §15-§17: who is who, topic, moderation, direct messages, presence, receipts
                new Message.Hello(1, "alice", "Confab", null, Message.CAPS, "k".repeat(32), "owner-token"),
                new Message.Welcome(
                        1,
                        "Room",
                        "bob",
                        List.of("alice", "bob"),
                        List.of(),
                        8,
                        "Confab",
                        "rid",
                        null,
                        null,
                        Message.CAPS,
                        "Release week",
                        Map.of("alice", "host"),
                        Map.of("bob", new Message.Status("dnd", "focus")),
                        Map.of("alice", 7L)),
                new Message.SetTopic("Release week"),
                new Message.Moderate("mute", "bob", "calm down", 10),
                new Message.Moderate("kick", "bob", "", 0),
                new Message.Event(new RoomEvent.TopicSet(9, "t", T, "alice", "Release week")),
                new Message.Event(
                        new RoomEvent.Moderated(10, "m", T, "alice", "mute", "bob", "calm", T.plusSeconds(600))),
                new Message.Event(new RoomEvent.Moderated(11, "k", T, "alice", "kick", "bob", "", null)),
                new Message.Send("psst", "c9", 0, "bob"),
                new Message.Event(new RoomEvent.Posted(new ChatMessage(12, "d", "alice", "psst", T, 0, "bob")), "c9"),
                new Message.Event(new RoomEvent.Edited(13, "e", T, 12, "alice", "psst!", "bob")),
                new Message.Event(new RoomEvent.Reacted(14, "r", T, 12, "bob", "👍", true, "alice")),
                new Message.Event(new RoomEvent.Deleted(15, "x", T, 12, "alice", "bob")),
                new Message.Presence(null, new Message.Status("away", "lunch")),
                new Message.Presence("bob", new Message.Status("online", "")),
                new Message.Read(null, 41),
                new Message.Read("alice", 41, "bob"),
                // §18: files
                new Message.FileOffer("u1", "photos/beach.jpg", 1_234_567, "A".repeat(43), 262_144, "image/jpeg", null),
                new Message.FileOffer("u2", "notes.txt", 0, "B".repeat(43), 262_144, null, "bob"),
                new Message.FileAccepted("u1", "f1", 3),
                new Message.FileAck("f1", 5),
                new Message.FileGet("f1", 2),
                new Message.FileCancel("f1", "paused"),
                new Message.FileCancel("f1", ""),
                new Message.Send("the beach", "c10", 0, null, "f1"),
                new Message.Send("the beach", "c11", 0, "bob", "f2", "iVBORw0KGgo"),
                new Message.Event(
                        new RoomEvent.Posted(new ChatMessage(
                                16,
                                "p",
                                "alice",
                                "the beach",
                                T,
                                0,
                                null,
                                new FileRef("f1", "beach.jpg", 1_234_567, "A".repeat(43), "image/jpeg", 262_144))),
                        "c10"),
                new Message.Event(
                        new RoomEvent.Posted(new ChatMessage(
                                17,
                                "q",
                                "alice",
                                "",
                                T,
                                0,
                                null,
                                new FileRef("f2", "a.png", 10, "B".repeat(43), "image/png", 262_144, "iVBORw0KGgo"))),
                        null),
                new Message.Event(
                        new RoomEvent.Posted(new ChatMessage(
                                18,
                                "r",
                                "alice",
                                "the project",
                                T,
                                0,
                                null,
                                new FileRef(
                                        "f3",
                                        "project",
                                        321,
                                        "C".repeat(43),
                                        FileRef.FOLDER_MIME,
                                        262_144,
                                        null,
                                        34_000_000))),
                        null),
                // §19: joins and leaves batched
                new Message.Events(List.of(
                        new Message.Event(new RoomEvent.Joined(41, "j", T, "c40")),
                        new Message.Event(new RoomEvent.Left(42, "l", T, "c17", "connection lost")))),
                // §20: the lazily loaded member list
                new Message.Welcome(
                        1,
                        "Big",
                        "zoë",
                        List.of("zoë"),
                        List.of(),
                        10_400,
                        "Confab",
                        "r1",
                        null,
                        null,
                        List.of(Message.CAP_LAZY_MEMBERS),
                        "",
                        Map.of("host", "host"),
                        Map.of("amy", new Message.Status("away", "lunch")),
                        Map.of("bob", 12L, "amy", 9L),
                        10_000),
                new Message.WatchMembers(true),
                new Message.WatchMembers(false),
                new Message.MemberList(77, List.of("amy", "bob", "zoë")),
                new Message.MemberList(77, List.of("amy"), true),
                new Message.MemberCount(10_000));
    }

    @Test
    void aLazyWelcomeIsTheDocumentedJson() throws Exception {
        var w = new Message.Welcome(
                1,
                "Big",
                "zoë",
                List.of("zoë"),
                List.of(),
                10_400,
                "Confab",
                null,
                null,
                null,
                List.of(),
                "",
                Map.of(),
                Map.of(),
                Map.of("bob", 12L, "amy", 9L),
                10_000);
        // the maps name members the list does not: in name order, none dropped
        assertThat(new String(JsonCodec.encode(w).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"welcome\",\"version\":1,\"room\":\"Big\",\"you\":\"zoë\","
                        + "\"members\":[\"zoë\"],\"memberCount\":10000,\"history\":[],\"lastSeq\":10400,"
                        + "\"server\":\"Confab\",\"reads\":{\"amy\":9,\"bob\":12}}");
        assertThat(((Message.Welcome) JsonCodec.decode(JsonCodec.encode(w).payload())).size())
                .isEqualTo(10_000);
        assertThat(new String(JsonCodec.encode(new Message.WatchMembers(true)).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"watch-members\",\"watch\":true}");
        assertThat(new String(JsonCodec.encode(new Message.MemberCount(3)).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"count\",\"members\":3}");
    }

    @Test
    void aCountBelowZeroOrALazyWelcomeWithoutYouIsRefused() {
        assertThatThrownBy(() -> JsonCodec.decode(bytes("{\"type\":\"count\",\"members\":-1}")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("members");
        assertThatThrownBy(() -> JsonCodec.decode(bytes("{\"type\":\"welcome\",\"version\":1,\"room\":\"r\","
                        + "\"you\":\"a\",\"members\":[\"a\"],\"memberCount\":0,\"history\":[],\"lastSeq\":0}")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("memberCount");
        assertThatThrownBy(() -> JsonCodec.decode(bytes("{\"type\":\"watch-members\"}")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("watch");
    }

    @Test
    void aWelcomeWithItsMembersEncodedAheadIsTheSameBytes() {
        var members = new EncodedMembers();
        List<String> names = List.of("alice", "bob \"the\" builder", "zoë", "🙂 smile", "back\\slash");
        members.reset(names.subList(0, 2));
        names.subList(2, names.size()).forEach(members::add); // joins append
        var w = new Message.Welcome(1, "Room", "zoë", names, List.of(), 9, "Confab");
        assertThat(JsonCodec.encodeFrame(w, members)).isEqualTo(JsonCodec.encodeFrame(w));
        // a big list does not fit the generator's first buffer: the other path Jackson takes
        var many = new EncodedMembers();
        List<String> thousands = Stream.iterate(0, i -> i + 1)
                .limit(5000)
                .map(i -> "member-" + i)
                .toList();
        thousands.forEach(many::add);
        var big = new Message.Welcome(1, "Room", "member-4999", thousands, List.of(), 5000, "Confab");
        assertThat(JsonCodec.encodeFrame(big, many)).isEqualTo(JsonCodec.encodeFrame(big));
        assertThatThrownBy(() -> JsonCodec.encodeFrame(big, members)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchOfEventsIsEachEventAsItsOwnFrameWouldCarryIt() throws Exception {
        var joined = new Message.Event(new RoomEvent.Joined(41, "x", Instant.ofEpochMilli(1767225606000L), "c40"));
        String alone = new String(JsonCodec.encode(joined).payload(), StandardCharsets.UTF_8);
        String batch =
                new String(JsonCodec.encode(new Message.Events(List.of(joined))).payload(), StandardCharsets.UTF_8);
        assertThat(batch).isEqualTo("{\"type\":\"events\",\"events\":[" + alone + "]}");
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void everyMessageRoundTrips(Message m) throws Exception {
        Frame frame = JsonCodec.encode(m);
        assertThat(frame.kind()).isEqualTo(Frame.Kind.JSON);
        Message back = JsonCodec.decode(new FrameDecoder().feed(frame.encode()).getFirst());
        assertThat(back).isEqualTo(m);
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void encodeFrameIsHeaderAndPayloadInOne(Message m) {
        assertThat(JsonCodec.encodeFrame(m)).isEqualTo(JsonCodec.encode(m).encode());
    }

    @Test
    void wireFormIsTheDocumentedJson() {
        var m = new Message.Event(new RoomEvent.Posted(new ChatMessage(42, "i", "alice", "hi", T)));
        assertThat(new String(JsonCodec.encode(m).payload(), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"type\":\"message\",\"seq\":42,\"id\":\"i\",\"from\":\"alice\",\"text\":\"hi\",\"time\":1790000000123}");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        var m = JsonCodec.decode(
                "{\"type\":\"send\",\"text\":\"x\",\"future\":{\"a\":[1]}}".getBytes(StandardCharsets.UTF_8));
        assertThat(m).isEqualTo(new Message.Send("x", null));
    }

    static Stream<Arguments> badPayloads() {
        return Stream.of(
                Arguments.of(new byte[] {'{', '"', 't', (byte) 0xC3, '"', '}'}, ErrorCode.BAD_UTF8),
                Arguments.of(
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        ErrorCode.BAD_UTF8), // UTF-16 surrogate in UTF-8
                Arguments.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, ErrorCode.BAD_UTF8), // overlong encoding
                Arguments.of(bytes("not json"), ErrorCode.BAD_JSON),
                Arguments.of(bytes("[1,2,3]"), ErrorCode.BAD_JSON),
                Arguments.of(bytes("\"hello\""), ErrorCode.BAD_JSON),
                Arguments.of(bytes("{\"type\":\"send\""), ErrorCode.BAD_JSON),
                Arguments.of(bytes("[".repeat(5000)), ErrorCode.BAD_JSON),
                Arguments.of(bytes("{}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":42}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":\"launch-missiles\"}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":\"send\"}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":\"send\",\"text\":5}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":\"hello\",\"version\":\"1\",\"nick\":\"a\"}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":\"hello\",\"version\":1.5,\"nick\":\"a\"}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":\"ping\",\"nonce\":99999999999999999999999}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(
                        bytes(
                                "{\"type\":\"welcome\",\"version\":1,\"room\":\"r\",\"you\":\"a\",\"members\":[1],\"history\":[],\"lastSeq\":0}"),
                        ErrorCode.BAD_MESSAGE),
                Arguments.of(
                        bytes(
                                "{\"type\":\"welcome\",\"version\":1,\"room\":\"r\",\"you\":\"a\",\"members\":[],\"history\":[{\"type\":\"nope\",\"seq\":1,\"id\":\"x\",\"time\":0}],\"lastSeq\":0}"),
                        ErrorCode.BAD_MESSAGE));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("badPayloads")
    void malformedPayloadsAreClearProtocolErrors(byte[] payload, ErrorCode expected) {
        assertThatThrownBy(() -> JsonCodec.decode(payload)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(expected);
            assertThat(e.getMessage()).isNotBlank();
        });
    }

    @Test
    void binaryFramesAreUnsupportedInVersionOne() {
        assertThatThrownBy(() -> JsonCodec.decode(new Frame(Frame.Kind.BINARY, new byte[] {1})))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FRAME));
    }

    // ---------------------------------------------------------------- strict input (docs/protocol.md §3)

    static Stream<Arguments> notExactlyOneJsonObject() {
        String ok = "{\"type\":\"send\",\"text\":\"x\"}";
        return Stream.of(
                Arguments.of(ok + " x", ErrorCode.BAD_JSON),
                Arguments.of(ok + ok, ErrorCode.BAD_JSON),
                Arguments.of(ok + "}]", ErrorCode.BAD_JSON),
                Arguments.of(ok + "\u0000", ErrorCode.BAD_JSON),
                Arguments.of(ok + " 1", ErrorCode.BAD_JSON),
                Arguments.of("\uFEFF" + ok, ErrorCode.BAD_JSON),
                Arguments.of("{\"type\":\"send\",\"text\":\"\\udc00\"}", ErrorCode.BAD_UTF8),
                Arguments.of("{\"type\":\"send\",\"text\":\"a\\ud83d\"}", ErrorCode.BAD_UTF8),
                Arguments.of("{\"type\":\"send\",\"text\":\"\\ude00\\ud83d\"}", ErrorCode.BAD_UTF8),
                Arguments.of(
                        "{\"type\":\"hello\",\"version\":1,\"nick\":\"\\udfff\",\"client\":\"c\"}", ErrorCode.BAD_UTF8),
                Arguments.of(
                        "{\"type\":\"welcome\",\"version\":1,\"room\":\"r\",\"you\":\"y\",\"members\":[\"\\ud800\"],"
                                + "\"history\":[],\"lastSeq\":0}",
                        ErrorCode.BAD_UTF8));
    }

    @ParameterizedTest
    @MethodSource("notExactlyOneJsonObject")
    void trailingBytesAByteOrderMarkAndLoneSurrogatesAreRefused(String payload, ErrorCode code) {
        assertThatThrownBy(() -> JsonCodec.decode(payload.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage())
                            .doesNotContain("Source")
                            .doesNotContain("REDACTED")
                            .doesNotContain("com.fasterxml")
                            .doesNotContain("Constraints")
                            .doesNotContain("\n");
                });
    }

    @Test
    void trailingWhitespaceAndEscapedSurrogatePairsAreFine() throws Exception {
        assertThat(JsonCodec.decode("{\"type\":\"send\",\"text\":\"x\"} \r\n\t".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Message.Send("x", null));
        assertThat(JsonCodec.decode("{\"type\":\"send\",\"text\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Message.Send("😀", null));
    }

    @Test
    void charactersOutsideTheBmpAreWrittenAsRawUtf8() {
        byte[] payload = JsonCodec.encode(new Message.Send("wave 👋 family 👨‍👩‍👧 flag 🇩🇪", null))
                .payload();
        String json = new String(payload, StandardCharsets.ISO_8859_1);
        assertThat(json).doesNotContain("\\u").doesNotContain("\\U");
        assertThat(payload).containsSubsequence((byte) 0xF0, (byte) 0x9F, (byte) 0x91, (byte) 0x8B); // U+1F44B in UTF-8
        assertThat(new String(payload, StandardCharsets.UTF_8)).contains("wave 👋 family 👨‍👩‍👧 flag 🇩🇪");
    }

    @Test
    void parserProblemsAreToldInOurWordsNotTheLibrarys() {
        String deep = "{\"type\":\"send\",\"text\":\"x\",\"a\":" + "[".repeat(40) + "]".repeat(40) + "}";
        assertThatThrownBy(() -> JsonCodec.decode(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("Frame payload is nested deeper than 32 levels."));
        assertThatThrownBy(() -> JsonCodec.decode("{\"type\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.getMessage())
                                .startsWith("Frame payload ends before its JSON value is complete"));
        assertThatThrownBy(() -> JsonCodec.decode("{\"type\" \"send\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("Frame payload is not valid JSON (at byte 8)."));
        assertThatThrownBy(() ->
                        JsonCodec.decode("{\"type\":\"evil\\n\\u001b[31mtype\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("Unknown message type \"evil??[31mtype\"."));
    }

    @Test
    void wireTypesAreTheDocumentedNames() {
        assertThat(everyMessage().map(JsonCodec::wireType))
                .containsExactly(
                        "hello",
                        "welcome",
                        "reject",
                        "send",
                        "send",
                        "rename",
                        "message",
                        "joined",
                        "left",
                        "renamed",
                        "ping",
                        "pong",
                        "leave",
                        "leave",
                        "closing",
                        "error",
                        "hello",
                        "welcome",
                        "set-topic",
                        "moderate",
                        "moderate",
                        "topic",
                        "moderation",
                        "moderation",
                        "send",
                        "message",
                        "edited",
                        "reaction",
                        "deleted",
                        "presence",
                        "presence",
                        "read",
                        "read",
                        "file-offer",
                        "file-offer",
                        "file-accepted",
                        "file-ack",
                        "file-get",
                        "file-cancel",
                        "file-cancel",
                        "send",
                        "send",
                        "message",
                        "message",
                        "message",
                        "events",
                        "welcome",
                        "watch-members",
                        "watch-members",
                        "members",
                        "members",
                        "count");
        assertThat(JsonCodec.wireType(new Message.AuthStart("m", "c"))).isEqualTo("auth-start");
        assertThat(JsonCodec.wireType(new Message.AuthOk("s"))).isEqualTo("auth-ok");
    }
}
