package org.confab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.confab.core.RoomEvent;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The byte dumps in docs/protocol.md are what the codec writes: each {@code hexdump -C} block is
 * read back into bytes (its offsets, hex and text columns must agree), must be exactly one frame
 * of the length its caption says, must decode, and must encode again to the same bytes. So the
 * document cannot drift from {@link JsonCodec}.
 */
class ProtocolDocDumpsTest {
    private static final Path DOC = Path.of("docs", "protocol.md");
    private static final Pattern DATA_LINE =
            Pattern.compile("([0-9a-f]{8})  ((?:[0-9a-f]{2} ){1,8})(?: ((?:[0-9a-f]{2} ){0,8}))? *\\|(.*)\\|");
    private static final Pattern END_LINE = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern CAPTION_LENGTH = Pattern.compile("payload (?:0x([0-9a-f]+) = )?(\\d+) bytes");

    /** One dump: the line of the document it starts on, the sentence before it, its bytes. */
    record Dump(int line, String caption, byte[] bytes) {
        @Override
        public String toString() {
            return "docs/protocol.md:" + line + " (" + caption + ")";
        }
    }

    /** Every {@code hexdump -C} block of the document, checked for being a well-formed dump as it is read. */
    static List<Dump> dumps() throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        var dumps = new ArrayList<Dump>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```")
                    || i + 1 >= lines.size()
                    || !lines.get(i + 1).startsWith("00000000  ")) {
                continue;
            }
            int start = i + 1;
            String caption = "";
            for (int k = i - 1; k >= 0 && caption.isEmpty(); k--) {
                caption = lines.get(k).strip();
            }
            var bytes = new ByteArrayOutputStream();
            int j = start;
            for (; !lines.get(j).equals("```"); j++) {
                String l = lines.get(j);
                String where = "docs/protocol.md:" + (j + 1);
                Matcher m = DATA_LINE.matcher(l);
                if (m.matches()) {
                    assertThat(Integer.parseInt(m.group(1), 16))
                            .as(where + ": offset")
                            .isEqualTo(bytes.size());
                    String hex = (m.group(2) + (m.group(3) == null ? "" : m.group(3))).replace(" ", "");
                    byte[] row = HexFormat.of().parseHex(hex);
                    assertThat(m.group(4)).as(where + ": text column").isEqualTo(ascii(row));
                    bytes.writeBytes(row);
                } else {
                    assertThat(l).as(where + ": a hexdump -C line").matches(END_LINE);
                    assertThat(Integer.parseInt(l, 16))
                            .as(where + ": the last offset is the length")
                            .isEqualTo(bytes.size());
                    assertThat(lines.get(j + 1)).as(where + ": the dump ends").isEqualTo("```");
                }
            }
            dumps.add(new Dump(start, caption, bytes.toByteArray()));
            i = j;
        }
        return dumps;
    }

    /** The text column of hexdump -C: printable ASCII as itself, every other byte as a dot. */
    private static String ascii(byte[] row) {
        var b = new StringBuilder();
        for (byte x : row) {
            b.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        return b.toString();
    }

    @TestFactory
    Stream<DynamicTest> eachDumpIsOneFrameThatTheCodecWritesTheSame() throws IOException {
        return dumps().stream()
                .map(d -> DynamicTest.dynamicTest(d.toString(), () -> {
                    var frames = new FrameDecoder().feed(d.bytes());
                    assertThat(frames).as("exactly one whole frame").hasSize(1);
                    Frame frame = frames.getFirst();
                    assertThat(Frame.HEADER_BYTES + frame.payload().length).isEqualTo(d.bytes().length);
                    Matcher said = CAPTION_LENGTH.matcher(d.caption());
                    if (said.find()) {
                        assertThat(frame.payload().length)
                                .as("the payload length the caption gives")
                                .isEqualTo(Integer.parseInt(said.group(2)));
                        if (said.group(1) != null) {
                            assertThat(frame.payload().length).isEqualTo(Integer.parseInt(said.group(1), 16));
                        }
                    }
                    if (frame.kind() == Frame.Kind.JSON) {
                        Message m = JsonCodec.decode(frame);
                        assertThat(JsonCodec.encodeFrame(m))
                                .as("encoded again: " + m)
                                .isEqualTo(d.bytes());
                    } else {
                        FileChunk c = FileChunk.decode(frame.payload());
                        assertThat(c.encodeFrame()).isEqualTo(d.bytes());
                    }
                }));
    }

    /** The frames of §14 to §17 each have a dump (issue 14): taking one out fails here. */
    @Test
    void theConversationTopicDirectAndPresenceFramesAreAllShown() throws Exception {
        var messages = new ArrayList<Message>();
        for (Dump d : dumps()) {
            Frame f = new FrameDecoder().feed(d.bytes()).getFirst();
            if (f.kind() == Frame.Kind.JSON) {
                messages.add(JsonCodec.decode(f));
            }
        }
        assertThat(messages)
                .as("delete")
                .anyMatch(m -> m instanceof Message.Delete)
                .as("edit")
                .anyMatch(m -> m instanceof Message.Edit)
                .as("react")
                .anyMatch(m -> m instanceof Message.React)
                .as("edited")
                .anyMatch(m -> event(m) instanceof RoomEvent.Edited)
                .as("deleted")
                .anyMatch(m -> event(m) instanceof RoomEvent.Deleted)
                .as("reaction")
                .anyMatch(m -> event(m) instanceof RoomEvent.Reacted)
                .as("typing C→H")
                .anyMatch(m -> m instanceof Message.Typing t && t.nick() == null)
                .as("typing H→C")
                .anyMatch(m -> m instanceof Message.Typing t && t.nick() != null)
                .as("topic event")
                .anyMatch(m -> event(m) instanceof RoomEvent.TopicSet)
                .as("send with replyTo")
                .anyMatch(m -> m instanceof Message.Send s && s.replyTo() > 0)
                .as("message with replyTo")
                .anyMatch(m ->
                        event(m) instanceof RoomEvent.Posted p && p.message().replyTo() > 0)
                .as("send with to")
                .anyMatch(m -> m instanceof Message.Send s && s.to() != null)
                .as("read with with, C→H")
                .anyMatch(m -> m instanceof Message.Read r && r.with() != null && r.nick() == null)
                .as("read with with, H→C")
                .anyMatch(m -> m instanceof Message.Read r && r.with() != null && r.nick() != null)
                .as("hello with caps, key and owner")
                .anyMatch(m ->
                        m instanceof Message.Hello h && !h.caps().isEmpty() && h.key() != null && h.owner() != null)
                .as("welcome with caps, topic, roles, presence and reads")
                .anyMatch(m -> m instanceof Message.Welcome w
                        && !w.caps().isEmpty()
                        && !w.topic().isEmpty()
                        && !w.roles().isEmpty()
                        && !w.presence().isEmpty()
                        && !w.reads().isEmpty());
    }

    private static RoomEvent event(Message m) {
        return m instanceof Message.Event e ? e.event() : null;
    }
}
