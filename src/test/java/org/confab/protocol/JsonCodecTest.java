package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonCodecTest {
    private static final Instant T = Instant.ofEpochMilli(1_790_000_000_123L);

    static Stream<Message> everyMessage() {
        var posted = new RoomEvent.Posted(new ChatMessage(7, "id-7", "alice", "line one\nline two <b>not bold</b> 🙂", T));
        return Stream.of(
                new Message.Hello(1, "alice", "Confab 0.1.0"),
                new Message.Welcome(1, "Room", "bob", List.of("alice", "bob"),
                        List.of(posted, new RoomEvent.Joined(8, "id-8", T, "bob")), 8, "Confab 0.1.0"),
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
                new Message.Error(ErrorCode.FRAME_TOO_LARGE, "too big", true));
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
                .isEqualTo("{\"type\":\"message\",\"seq\":42,\"id\":\"i\",\"from\":\"alice\",\"text\":\"hi\",\"time\":1790000000123}");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        var m = JsonCodec.decode("{\"type\":\"send\",\"text\":\"x\",\"future\":{\"a\":[1]}}".getBytes(StandardCharsets.UTF_8));
        assertThat(m).isEqualTo(new Message.Send("x", null));
    }

    static Stream<Arguments> badPayloads() {
        return Stream.of(
                Arguments.of(new byte[] {'{', '"', 't', (byte) 0xC3, '"', '}'}, ErrorCode.BAD_UTF8),
                Arguments.of(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, ErrorCode.BAD_UTF8), // UTF-16 surrogate in UTF-8
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
                Arguments.of(bytes("{\"type\":\"welcome\",\"version\":1,\"room\":\"r\",\"you\":\"a\",\"members\":[1],\"history\":[],\"lastSeq\":0}"), ErrorCode.BAD_MESSAGE),
                Arguments.of(bytes("{\"type\":\"welcome\",\"version\":1,\"room\":\"r\",\"you\":\"a\",\"members\":[],\"history\":[{\"type\":\"nope\",\"seq\":1,\"id\":\"x\",\"time\":0}],\"lastSeq\":0}"), ErrorCode.BAD_MESSAGE));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("badPayloads")
    void malformedPayloadsAreClearProtocolErrors(byte[] payload, ErrorCode expected) {
        assertThatThrownBy(() -> JsonCodec.decode(payload))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(expected);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void binaryFramesAreUnsupportedInVersionOne() {
        assertThatThrownBy(() -> JsonCodec.decode(new Frame(Frame.Kind.BINARY, new byte[] {1})))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FRAME));
    }
}
