package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;

/**
 * The writer's batching: frames queued before the writer starts are all taken in one wake-up and
 * go out through the pooled batch buffer, in order, split where the buffer is full, with a frame
 * larger than the buffer written as it is; an orderly close after them still sends them all.
 */
class FramedSocketWriterTest {

    @Test
    void aQueuedBatchLargerThanTheBufferArrivesWholeAndInOrder() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                var peer = server.accept()) {
            var connection = new FramedSocket(client, 2 * 1024 * 1024, 10_000, 8 * 1024, "writer-test");
            List<String> sent = new ArrayList<>();
            var expected = new ByteArrayOutputStream();
            for (int i = 0; i < 3000; i++) {
                // mostly small frames, a few of 20 KiB, and one bigger than the whole batch buffer
                String text = i == 1500
                        ? "x".repeat(FramedSocket.MAX_BATCH * 2)
                        : i % 500 == 7 ? "y".repeat(20 * 1024) : "message " + i;
                byte[] frame = JsonCodec.encodeFrame(new Message.Send(text, "c" + i));
                assertThat(connection.offer(frame)).isTrue();
                expected.write(frame);
                sent.add(text);
            }
            Thread writer = connection.startWriter();
            writer.start();
            connection.closeAfter(new Message.Leave("done"), 10_000);
            expected.write(JsonCodec.encodeFrame(new Message.Leave("done")));

            byte[] received = peer.getInputStream().readAllBytes(); // until the writer closed the socket
            assertThat(received).isEqualTo(expected.toByteArray());
            var frames = new FrameDecoder(2 * 1024 * 1024).feed(received, 0, received.length);
            assertThat(frames).hasSize(3001);
            for (int i = 0; i < 3000; i++) {
                assertThat(((Message.Send) JsonCodec.decode(frames.get(i))).text())
                        .isEqualTo(sent.get(i));
            }
        }
    }

    @Test
    void bulkFramesGoOnlyWhenNothingElseWaits_inTheirOwnOrder() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                var peer = server.accept()) {
            var connection = new FramedSocket(client, 2 * 1024 * 1024, 1000, 8 * 1024, "bulk-test");
            for (int i = 0; i < 20; i++) {
                byte[] payload = new byte[256 * 1024];
                payload[0] = (byte) i;
                assertThat(connection.offerBulk(new Frame(Frame.Kind.BINARY, payload).encode()))
                        .isTrue();
            }
            byte[] chat = JsonCodec.encodeFrame(new Message.Send("hi while a file goes", "c1"));
            assertThat(connection.offer(chat)).isTrue();
            connection.startWriter().start();

            var reader = new FramedSocket(peer, 2 * 1024 * 1024, 10, 64 * 1024, "bulk-reader");
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                frames.add(reader.readFrame());
            }
            // the chat line queued after 20 chunks went first; the chunks kept their order
            assertThat(frames.get(0).kind()).isEqualTo(Frame.Kind.JSON);
            assertThat(((Message.Send) JsonCodec.decode(frames.get(0))).text()).isEqualTo("hi while a file goes");
            assertThat(frames.subList(1, 21))
                    .extracting(f -> (int) f.payload()[0])
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
            connection.closeNow();
        }
    }

    @Test
    void anOrderlyCloseSendsTheQueuedEvents_andItsLastMessageLast_chunksNeverAfterIt() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                var peer = server.accept()) {
            var connection = new FramedSocket(client, 2 * 1024 * 1024, 100, 8 * 1024, "bulk-close");
            for (int i = 0; i < 5; i++) {
                assertThat(connection.offerBulk(new Frame(Frame.Kind.BINARY, new byte[] {(byte) i}).encode()))
                        .isTrue();
            }
            assertThat(connection.offer(JsonCodec.encodeFrame(new Message.Send("last words", "c"))))
                    .isTrue();
            connection.startWriter().start();
            connection.closeAfter(new Message.Leave("done"), 10_000);
            byte[] received = peer.getInputStream().readAllBytes();
            var got = new FrameDecoder(1024).feed(received, 0, received.length);
            // the events all arrive and the leave is the last frame: chunks still queued when the close
            // came are dropped (a transfer resumes from its last acknowledged chunk), never sent after it
            List<Message> events = new ArrayList<>();
            for (Frame f : got) {
                if (f.kind() == Frame.Kind.JSON) {
                    events.add(JsonCodec.decode(f));
                }
            }
            assertThat(events).hasSize(2).first().isEqualTo(new Message.Send("last words", "c"));
            assertThat(JsonCodec.decode(got.getLast())).isInstanceOf(Message.Leave.class);
        }
    }

    @Test
    void aFullQueueRefusesABulkFrame_andKeepsTheOthersInOrder() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                var peer = server.accept()) {
            var connection = new FramedSocket(client, 2 * 1024 * 1024, 3, 8 * 1024, "bulk-full");
            byte[][] frames = new byte[4][];
            for (int i = 0; i < 4; i++) {
                frames[i] = new Frame(Frame.Kind.BINARY, new byte[] {(byte) i}).encode();
            }
            assertThat(connection.offerBulk(frames[0])).isTrue();
            assertThat(connection.offerBulk(frames[1])).isTrue();
            assertThat(connection.offer(JsonCodec.encodeFrame(new Message.Send("x", "c"))))
                    .isTrue();
            assertThat(connection.offerBulk(frames[2])).as("the queue holds 3").isFalse();
            connection.startWriter().start();
            var reader = new FramedSocket(peer, 1024, 10, 8 * 1024, "bulk-full-reader");
            List<Frame> got = List.of(reader.readFrame(), reader.readFrame(), reader.readFrame());
            // the chat line first, then the two chunks that fitted, in order; the refused one was never kept
            assertThat(got)
                    .extracting(Frame::kind)
                    .containsExactly(Frame.Kind.JSON, Frame.Kind.BINARY, Frame.Kind.BINARY);
            assertThat(got.subList(1, 3)).extracting(f -> (int) f.payload()[0]).containsExactly(0, 1);
            assertThat(connection.offerBulk(frames[3]))
                    .as("room again once written")
                    .isTrue();
            assertThat(reader.readFrame().payload()[0]).isEqualTo((byte) 3);
            connection.closeNow();
        }
    }

    @Test
    void thePoolOfBatchBuffersIsBounded() {
        assertThat(FramedSocket.BatchBuffers.take()).hasSize(FramedSocket.MAX_BATCH);
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < FramedSocket.BatchBuffers.KEPT + 10; i++) {
            many.add(FramedSocket.BatchBuffers.take());
        }
        many.forEach(FramedSocket.BatchBuffers::give);
        assertThat(FramedSocket.BatchBuffers.pooled()).isLessThanOrEqualTo(FramedSocket.BatchBuffers.KEPT);
    }
}
