package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat line is never queued behind a file (§18): with a member's connection at the host full of
 * file chunks (eight downloads, each a full window, {@link HostFiles#WINDOW} chunks, never
 * acknowledged, and the member not reading), a message posted afterwards reaches that member
 * ahead of every chunk still in the host's queue: behind it come only the chunks the kernel's
 * socket buffers already held and the one being written. Asserted by the order of the frames the
 * member reads, not by time. The host is the real one over TLS; the files are shared through
 * {@link RoomConnection#files()}; the downloading member is a raw peer, so that it can stop
 * reading and see every frame in the order it came.
 */
@Timeout(120)
class ChatBesideFilesTest {
    static final int FILES = 8;
    /** Each file has more chunks than a window, so the host stops at the window for every one. */
    static final int CHUNKS_PER_FILE = HostFiles.WINDOW + 4;

    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void aMessagePostedAfterManyQueuedChunksOvertakesThem() throws Exception {
        var security = HostSecurity.ephemeral();
        var host = new RoomHost(
                HostConfig.defaults("Files and chat", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                security,
                null);
        int port = host.start().getPort();
        open.add(host);
        var al = new RecordingConnectionListener();
        var alice = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "alice")
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                al);
        open.add(alice);
        alice.connect();

        // alice shares the files (the app's client path)
        var random = new Random(5);
        List<FileRef> refs = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            byte[] content = new byte[CHUNKS_PER_FILE * FileRef.DEFAULT_CHUNK];
            random.nextBytes(content);
            Path file = Files.write(dir.resolve("file" + i + ".bin"), content);
            var shared = new CompletableFuture<FileRef>();
            alice.files().upload(file, null, "", new FileTransfers.Listener() {
                @Override
                public void finished(String key, FileRef ref, Path saved) {
                    shared.complete(ref);
                }

                @Override
                public void failed(String key, String why) {
                    shared.completeExceptionally(new AssertionError(why));
                }
            });
            refs.add(shared.get(60, TimeUnit.SECONDS));
        }

        // bob asks for all of them and then posts a line; he acknowledges nothing and reads nothing yet
        var bob = new RawPeer(port);
        open.add(bob);
        bob.send(new Message.Hello(1, "bob", "raw", null, Message.CAPS));
        Message m;
        do {
            m = bob.read();
        } while (!(m instanceof Message.Welcome));
        for (FileRef ref : refs) {
            bob.send(new Message.FileGet(ref.id(), 0));
        }
        bob.send(new Message.Send("asked for the files", "b1"));
        // the host handles bob's frames in order, so once his line is posted every window is in his queue
        assertThat(al.await(() -> al.texts().contains("asked for the files"), 30))
                .isTrue();
        alice.send("a line after the files");
        assertThat(al.await(() -> al.texts().contains("a line after the files"), 30))
                .isTrue();

        // now bob reads: every frame, in the order the host's writer sent them
        int total = FILES * HostFiles.WINDOW;
        Map<String, Integer> chunksPerFile = new HashMap<>();
        int chunks = 0;
        int chunksBeforeLine = -1;
        while (chunks < total || chunksBeforeLine < 0) {
            Frame f = bob.readFrame();
            assertThat(f).as("bob's connection ended after %d chunks", chunks).isNotNull();
            if (f.kind() == Frame.Kind.BINARY) {
                FileChunk c = FileChunk.decode(f.payload());
                assertThat(c.op()).isEqualTo(FileChunk.DOWNLOAD);
                assertThat(c.intact()).isTrue();
                chunksPerFile.merge(c.file(), 1, Integer::sum);
                chunks++;
            } else if (JsonCodec.decode(f) instanceof Message.Event e
                    && e.event() instanceof RoomEvent.Posted p
                    && p.message().text().equals("a line after the files")) {
                chunksBeforeLine = chunks;
            }
        }
        int behind = total - chunksBeforeLine;
        // what the kernel may hold between the host's writer and bob: the host's send buffer at its
        // largest (net.ipv4.tcp_wmem) and bob's receive buffer, in chunk frames; plus the one being written
        long buffered = kernelSendMax() + bob.socket.getReceiveBufferSize();
        int kernelChunks = (int) (buffered / FileRef.DEFAULT_CHUNK) + 1;
        System.out.printf(
                "ChatBesideFilesTest: %d chunks queued for bob, the line came after %d of them (%d after it);"
                        + " kernel buffers hold at most %d%n",
                total, chunksBeforeLine, behind, kernelChunks);
        assertThat(chunksPerFile)
                .as("each download stops at its window: nothing acknowledged")
                .hasSize(FILES)
                .allSatisfy((file, n) -> assertThat(n).isEqualTo(HostFiles.WINDOW));
        assertThat(kernelChunks + 1)
                .as("the test queues more chunks than the kernel can hold, so the order shows")
                .isLessThan(total);
        assertThat(chunksBeforeLine)
                .as("chunks ahead of the line: only what the kernel held and the one being written")
                .isLessThanOrEqualTo(kernelChunks + 1);
        assertThat(behind).as("chunks still queued went after the line").isPositive();
    }

    /** The largest send buffer TCP grows a socket to here (the third field of net.ipv4.tcp_wmem), bytes. */
    private static long kernelSendMax() {
        long linuxDefault = 4L * 1024 * 1024;
        try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/tcp_wmem"))) {
            String[] f = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .trim()
                    .split("\\s+");
            return f.length == 3 ? Long.parseLong(f[2]) : linuxDefault;
        } catch (IOException | NumberFormatException e) {
            return linuxDefault; // not Linux: Linux's default
        }
    }
}
