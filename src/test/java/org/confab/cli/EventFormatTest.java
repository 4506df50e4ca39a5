package org.confab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.net.Disconnect;
import org.confab.net.Joined;
import org.confab.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

class EventFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2025-03-04T14:02:11.123Z");
    private final EventFormat format = new EventFormat(ZoneId.of("UTC"));

    private static JsonNode parse(String line) throws Exception {
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        return JSON.readTree(line);
    }

    @Test
    void messageAsJson() throws Exception {
        var e = new RoomEvent.Posted(new ChatMessage(7, "id-7", "alice", "héllo \"wörld\"\nline 2 \u0007", T));
        JsonNode o = parse(format.json(e, false));
        assertThat(o.get("type").asText()).isEqualTo("message");
        assertThat(o.get("seq").asLong()).isEqualTo(7);
        assertThat(o.get("id").asText()).isEqualTo("id-7");
        assertThat(o.get("from").asText()).isEqualTo("alice");
        assertThat(o.get("text").asText()).isEqualTo("héllo \"wörld\"\nline 2 \u0007");
        assertThat(o.get("time").asText()).isEqualTo("2025-03-04T14:02:11.123Z");
        assertThat(Instant.parse(o.get("time").asText())).isEqualTo(T);
        assertThat(o.has("history")).isFalse();
    }

    @Test
    void membershipEventsAsJson() throws Exception {
        JsonNode j = parse(format.json(new RoomEvent.Joined(1, "a", T, "bob"), true));
        assertThat(j.get("type").asText()).isEqualTo("joined");
        assertThat(j.get("nick").asText()).isEqualTo("bob");
        assertThat(j.get("seq").asLong()).isEqualTo(1);
        assertThat(j.get("history").asBoolean()).isTrue();

        JsonNode l = parse(format.json(new RoomEvent.Left(2, "b", T, "bob", "connection lost"), false));
        assertThat(l.get("type").asText()).isEqualTo("left");
        assertThat(l.get("nick").asText()).isEqualTo("bob");
        assertThat(l.get("reason").asText()).isEqualTo("connection lost");
        assertThat(l.get("id").asText()).isEqualTo("b");

        JsonNode r = parse(format.json(new RoomEvent.Renamed(3, "c", T, "alice", "alicia"), false));
        assertThat(r.get("type").asText()).isEqualTo("renamed");
        assertThat(r.get("from").asText()).isEqualTo("alice");
        assertThat(r.get("to").asText()).isEqualTo("alicia");
        assertThat(r.get("nick").asText()).isEqualTo("alicia");
        assertThat(r.get("time").asText()).isEqualTo("2025-03-04T14:02:11.123Z");
    }

    @Test
    void welcomeErrorAndDisconnectAsJson() throws Exception {
        var w = new Joined("Room", "alice", List.of("bob", "alice"), 9, "Confab 0.1.0", null, Joined.Resume.NONE);
        JsonNode o = parse(format.jsonWelcome(w, "127.0.0.1:4747", T));
        assertThat(o.get("type").asText()).isEqualTo("welcome");
        assertThat(o.get("room").asText()).isEqualTo("Room");
        assertThat(o.get("you").asText()).isEqualTo("alice");
        assertThat(o.get("members")).extracting(JsonNode::asText).containsExactly("bob", "alice");
        assertThat(o.get("lastSeq").asLong()).isEqualTo(9);
        assertThat(o.get("time").asText()).isEqualTo("2025-03-04T14:02:11.123Z");

        JsonNode e = parse(format.jsonError(ErrorCode.MESSAGE_INVALID.wire(), "Message too long", T));
        assertThat(e.get("type").asText()).isEqualTo("error");
        assertThat(e.get("code").asText()).isEqualTo("message-invalid");
        assertThat(e.get("text").asText()).isEqualTo("Message too long");

        for (var kind : Disconnect.Kind.values()) {
            JsonNode d = parse(format.jsonDisconnected(new Disconnect(kind, "why"), T));
            assertThat(d.get("type").asText()).isEqualTo("disconnected");
            assertThat(d.get("text").asText()).isEqualTo("why");
            assertThat(d.get("reason").asText()).isIn("left", "room-closed", "dropped", "lost", "removed");
        }
        assertThat(EventFormat.reason(Disconnect.Kind.ROOM_CLOSED)).isEqualTo("room-closed");

        var roles = new Joined(
                "Room",
                "alice",
                List.of("bob", "alice"),
                9,
                "Confab",
                null,
                Joined.Resume.NONE,
                "Release",
                Map.of("bob", "moderator"));
        JsonNode r = parse(format.jsonWelcome(roles, "127.0.0.1:4747", T));
        assertThat(r.get("topic").asText()).isEqualTo("Release");
        assertThat(r.get("roles").get("bob").asText()).isEqualTo("moderator");
        assertThat(format.humanWelcome(roles, "127.0.0.1:4747"))
                .contains("Members: bob (moderator), alice.")
                .contains("Topic: Release.");
    }

    @Test
    void topicModerationAndActionsReadAsLines() throws Exception {
        var topic = new RoomEvent.TopicSet(5, "t", T, "bob", "Release \u001b[31mplanning");
        assertThat(format.human(topic)).endsWith("* bob set the topic: Release ^[[31mplanning");
        JsonNode t = parse(format.json(topic, false));
        assertThat(t.get("type").asText()).isEqualTo("topic");
        assertThat(t.get("from").asText()).isEqualTo("bob");
        var kick = new RoomEvent.Moderated(6, "k", T, "bob", "kick", "carol", "spam", null);
        assertThat(format.human(kick)).endsWith("* bob removed carol from the room: spam");
        JsonNode k = parse(format.json(kick, false));
        assertThat(k.get("type").asText()).isEqualTo("moderation");
        assertThat(k.get("action").asText()).isEqualTo("kick");
        assertThat(k.get("nick").asText()).isEqualTo("carol");
        assertThat(k.get("reason").asText()).isEqualTo("spam");
        var mute = new RoomEvent.Moderated(7, "m", T, "bob", "mute", "carol", "", T.plusSeconds(600));
        assertThat(parse(format.json(mute, false)).get("until").asText())
                .isEqualTo(T.plusSeconds(600).toString());
        var me = new RoomEvent.Posted(new ChatMessage(8, "x", "alice", "/me waves", T));
        assertThat(format.human(me)).endsWith("* alice waves");
    }

    @Test
    void humanLines() {
        assertThat(format.human(new RoomEvent.Posted(new ChatMessage(1, "x", "alice", "hello", T))))
                .isEqualTo("[14:02:11] <alice> hello");
        assertThat(format.human(new RoomEvent.Joined(2, "x", T, "bob"))).isEqualTo("[14:02:11] * bob joined");
        assertThat(format.human(new RoomEvent.Left(3, "x", T, "bob", "connection lost")))
                .isEqualTo("[14:02:11] * bob left (connection lost)");
        assertThat(format.human(new RoomEvent.Left(3, "x", T, "bob", "left"))).isEqualTo("[14:02:11] * bob left");
        assertThat(format.human(new RoomEvent.Renamed(4, "x", T, "alice", "alicia")))
                .isEqualTo("[14:02:11] * alice is now alicia");
        assertThat(new EventFormat(ZoneId.of("Europe/Paris")).human(new RoomEvent.Joined(2, "x", T, "bob")))
                .isEqualTo("[15:02:11] * bob joined");
    }

    @Test
    void humanLinesCannotDriveTheTerminal() {
        String evil = "hi\u001b[2J\u001b]0;pwned\u0007\r\nsecond\u009b";
        String line = format.human(new RoomEvent.Posted(new ChatMessage(1, "x", "mallory\u001b[31m", evil, T)));
        assertThat(line)
                .doesNotContain("\u001b")
                .doesNotContain("\u0007")
                .doesNotContain("\r")
                .doesNotContain("\u009b");
        assertThat(line).isEqualTo("[14:02:11] <mallory^[[31m> hi^[[2J^[]0;pwned^G\n           second\\u009b");
    }

    @Test
    void humanErrorAndDisconnect() {
        assertThat(format.humanError(
                        ErrorCode.NICK_TAKEN.wire(), "The nickname \"bob\" is already taken in this room.", T))
                .isEqualTo("[14:02:11] ! The nickname \"bob\" is already taken in this room. (nick-taken)");
        assertThat(format.humanDisconnected(
                        new Disconnect(Disconnect.Kind.ROOM_CLOSED, "The host closed the room."), T))
                .isEqualTo("[14:02:11] * The host closed the room.");
    }

    @Test
    void emojiArePrintedAsTheOriginalCharacters() throws Exception {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        String text = "hi \uD83D\uDC4B\uD83C\uDFFD " + family + " \uD83C\uDDEB\uD83C\uDDF7 1\uFE0F\u20E3";
        var e = new RoomEvent.Posted(new ChatMessage(8, "id-8", "zoe \uD83D\uDC4B", text, T));
        assertThat(format.human(e)).contains("zoe \uD83D\uDC4B", text);
        JsonNode o = parse(format.json(e, false));
        assertThat(o.get("text").asText()).isEqualTo(text);
        assertThat(o.get("from").asText()).isEqualTo("zoe \uD83D\uDC4B");
    }

    @Test
    void aFileMessageShowsNameSizeNumberAndCaption_aHostileNameCannotDriveTheTerminal() throws Exception {
        var ref = new FileRef(
                "Jm3Kx5dQeVtYq0bZ8w1gLA",
                "evil\u001b[2J\nname.pdf",
                1_234_567,
                "A".repeat(43),
                "application/pdf",
                FileRef.DEFAULT_CHUNK);
        var withCaption = new RoomEvent.Posted(new ChatMessage(9, "id-9", "mallory", "the numbers", T, 0, null, ref));
        var bare = new RoomEvent.Posted(new ChatMessage(10, "id-10", "mallory", ref.fileName(), T, 0, "bob", ref));
        var numbered = new EventFormat(ZoneId.of("UTC"), false, f -> 3);
        assertThat(numbered.human(withCaption))
                .isEqualTo("[14:02:11] <mallory> shared evil^[[2J"
                        + "\n           name.pdf (1.2 MB) · /get 3: the numbers");
        assertThat(format.human(bare))
                .as("without numbers (the host's log), and without a caption that is only the name")
                .isEqualTo("[14:02:11] <mallory → bob (direct)> shared evil^[[2J\n           name.pdf (1.2 MB)");
        JsonNode o = parse(numbered.json(withCaption, false));
        assertThat(o.get("text").asText()).isEqualTo("the numbers");
        JsonNode f = o.get("file");
        assertThat(f.get("id").asText()).isEqualTo(ref.id());
        assertThat(f.get("name").asText()).isEqualTo(ref.name());
        assertThat(f.get("size").asLong()).isEqualTo(1_234_567);
        assertThat(f.get("sha256").asText()).isEqualTo(ref.sha256());
        assertThat(f.get("mime").asText()).isEqualTo("application/pdf");
        assertThat(f.get("chunk").asInt()).isEqualTo(FileRef.DEFAULT_CHUNK);
        assertThat(f.get("handle").asInt()).isEqualTo(3);
        assertThat(parse(format.json(bare, false)).get("file").has("handle")).isFalse();
    }

    @Test
    void conversationChangesAsJson() throws Exception {
        JsonNode edited = parse(format.json(new RoomEvent.Edited(4, "e", T, 2, "alice", "hello again"), false));
        assertThat(edited.get("type").asText()).isEqualTo("edited");
        assertThat(edited.get("seq").asLong()).isEqualTo(4);
        assertThat(edited.get("target").asLong()).isEqualTo(2);
        assertThat(edited.get("from").asText()).isEqualTo("alice");
        assertThat(edited.get("text").asText()).isEqualTo("hello again");
        assertThat(edited.get("time").asText()).isEqualTo("2025-03-04T14:02:11.123Z");

        JsonNode deleted = parse(format.json(new RoomEvent.Deleted(6, "d", T, 2, "alice"), true));
        assertThat(deleted.get("type").asText()).isEqualTo("deleted");
        assertThat(deleted.get("target").asLong()).isEqualTo(2);
        assertThat(deleted.get("by").asText()).isEqualTo("alice");
        assertThat(deleted.has("text")).isFalse();
        assertThat(deleted.get("history").asBoolean()).isTrue();

        for (boolean on : new boolean[] {true, false}) {
            JsonNode r = parse(format.json(new RoomEvent.Reacted(5, "r", T, 2, "bob", "\uD83D\uDC4D", on), false));
            assertThat(r.get("type").asText()).isEqualTo("reaction");
            assertThat(r.get("target").asLong()).isEqualTo(2);
            assertThat(r.get("from").asText()).isEqualTo("bob");
            assertThat(r.get("emoji").asText()).isEqualTo("\uD83D\uDC4D");
            assertThat(r.get("on").isBoolean()).isTrue();
            assertThat(r.get("on").asBoolean()).isEqualTo(on);
        }

        JsonNode reply = parse(format.json(new RoomEvent.Posted(new ChatMessage(7, "m", "bob", "yes", T, 2)), false));
        assertThat(reply.get("type").asText()).isEqualTo("message");
        assertThat(reply.get("replyTo").asLong()).isEqualTo(2);
        assertThat(reply.get("replyTo").isIntegralNumber()).isTrue();
        JsonNode plain = parse(format.json(new RoomEvent.Posted(new ChatMessage(8, "n", "bob", "no", T)), false));
        assertThat(plain.has("replyTo"))
                .as("a message that answers nothing has no replyTo")
                .isFalse();
        assertThat(plain.has("to")).isFalse();
    }

    /** The lines TerminalChat prints with --json for a member's status and a read receipt. */
    @Test
    void presenceAndReadAsJson() throws Exception {
        var lines = new Lines();
        var out = new PrintWriter(lines, true);
        var chat = new TerminalChat(out, out, true, ZoneId.of("UTC"), Clock.fixed(T, ZoneId.of("UTC")));
        chat.presence("bob", "away", "lunch");
        chat.presence("bob", "online", "");
        chat.read("alice", 41, false);
        chat.read("bob", 57, true);
        List<String> all = lines.all();
        assertThat(all).hasSize(4);

        JsonNode away = parse(all.get(0));
        assertThat(away.get("type").asText()).isEqualTo("presence");
        assertThat(away.get("nick").asText()).isEqualTo("bob");
        assertThat(away.get("state").asText()).isEqualTo("away");
        assertThat(away.get("text").asText()).isEqualTo("lunch");
        assertThat(away.get("time").asText()).isEqualTo("2025-03-04T14:02:11.123Z");
        JsonNode back = parse(all.get(1));
        assertThat(back.get("state").asText()).isEqualTo("online");
        assertThat(back.get("text").asText()).isEmpty();

        JsonNode read = parse(all.get(2));
        assertThat(read.get("type").asText()).isEqualTo("read");
        assertThat(read.get("nick").asText()).isEqualTo("alice");
        assertThat(read.get("seq").asLong()).isEqualTo(41);
        assertThat(read.get("seq").isIntegralNumber()).isTrue();
        assertThat(read.get("direct").asBoolean()).isFalse();
        JsonNode direct = parse(all.get(3));
        assertThat(direct.get("seq").asLong()).isEqualTo(57);
        assertThat(direct.get("direct").isBoolean()).isTrue();
        assertThat(direct.get("direct").asBoolean()).isTrue();
    }
}
