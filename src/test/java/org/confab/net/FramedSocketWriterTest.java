package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
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
