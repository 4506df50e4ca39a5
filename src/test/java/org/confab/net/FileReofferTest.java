package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that acknowledged every chunk of an upload and then refuses the message sharing it (what
 * it held changed in between: a restart, a retention sweep) is offered the upload again, and the
 * rest is sent: the upload ends shared, not failed. A second refusal after that fails it clearly.
 */
@Timeout(60)
class FileReofferTest {
    private static final int CHUNK = FileRef.DEFAULT_CHUNK;

    @TempDir
    Path dir;

    /** A host holding file {@code F1}: answers offers with what it holds, acks chunks, refuses the first {@code refusals} shares. */
    private static final class Host implements FakeHost.Script {
        final int refusals;
        final AtomicInteger offers = new AtomicInteger();
        final AtomicInteger chunks = new AtomicInteger();
        final AtomicInteger sends = new AtomicInteger();
        long have;
        Message.FileOffer offer;

        Host(int refusals) {
            this.refusals = refusals;
        }

        @Override
        public void answer(Frame frame, Message m, OutputStream out) throws Exception {
            if (m == null) {
                FileChunk c = FileChunk.decode(frame.payload());
                chunks.incrementAndGet();
                if (c.index() == have && c.intact()) {
                    have++;
                }
                write(out, new Message.FileAck("F1", have));
            } else if (m instanceof Message.FileOffer o) {
                offers.incrementAndGet();
                offer = o;
                write(out, new Message.FileAccepted(o.id(), "F1", have));
            } else if (m instanceof Message.Send s && s.file() != null) {
                if (sends.incrementAndGet() <= refusals) {
                    have = 0; // the host lost what it had: a share of it is refused
                    write(
                            out,
                            new Message.Error(
                                    ErrorCode.FILE_REFUSED,
                                    "The host holds 0 of the file's 2 chunks: offer it again to send the rest.",
                                    false,
                                    s.cid(),
                                    0));
                } else {
                    var ref = new FileRef("F1", offer.name(), offer.size(), offer.sha256(), offer.mime(), CHUNK);
                    var posted = new RoomEvent.Posted(
                            new ChatMessage(1, "m1", "alice", s.text(), Instant.now(), 0, null, ref));
                    write(out, new Message.Event(posted, s.cid()));
                }
            }
        }

        private static void write(OutputStream out, Message m) throws IOException {
            out.write(JsonCodec.encode(m).encode());
            out.flush();
        }
    }

    private Path file() throws Exception {
        byte[] data = new byte[CHUNK + 1000];
        new Random(7).nextBytes(data);
        return Files.write(dir.resolve("report.bin"), data);
    }

    @Test
    void aShareRefusedAfterEveryChunkWasAcknowledged_isOfferedAgain_andTheRestIsSent() throws Exception {
        var script = new Host(1);
        try (var fake = new FakeHost(Message.CAPS, script);
                var alice = fake.client("alice", new RecordingConnectionListener())) {
            alice.connect();
            var told = new FilesTestBase.Told();
            String key = alice.files().upload(file(), null, "the report", told);
            assertThat(told.ended(key)).isTrue();
            assertThat(told.failed).isEmpty();
            assertThat(told.finished.get(key).id()).isEqualTo("F1");
            assertThat(script.offers.get()).as("offered, then offered again").isEqualTo(2);
            assertThat(script.chunks.get()).as("both chunks, then both again").isEqualTo(4);
            assertThat(script.sends.get()).isEqualTo(2);
        }
    }

    @Test
    void refusedAgainAfterTheOffersAgain_theUploadFailsWithTheHostsReason() throws Exception {
        var script = new Host(Integer.MAX_VALUE);
        try (var fake = new FakeHost(Message.CAPS, script);
                var alice = fake.client("alice", new RecordingConnectionListener())) {
            alice.connect();
            var told = new FilesTestBase.Told();
            String key = alice.files().upload(file(), null, "the report", told);
            assertThat(told.ended(key)).isTrue();
            assertThat(told.failed.get(key)).contains("The host holds 0 of the file's 2 chunks");
            assertThat(script.sends.get())
                    .as("the first share and one per offer again")
                    .isEqualTo(1 + FileTransfers.REOFFERS);
        }
    }
}
