package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.confab.core.FileRef;
import org.confab.core.MemberIdentity;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11: docs/examples/confab_client.py, run as a real python3 process against a real host
 * (in this JVM, TLS, loopback), must survive any text a member can send, whatever its stdout can
 * encode: it has to keep running and print the next normal message. A raw member posts an emoji,
 * control characters (terminal escapes included), line breaks, an RTL override and a 4,000-character
 * text; a second raw member sends a frame whose JSON has the escape {@code "\udc00"} (a lone surrogate
 * after json.loads), which the host may relay or refuse: both are accepted. The client's own stdin
 * gets odd input too (bytes that are not UTF-8, control characters, a line longer than a frame).
 * Skipped only when python3 is not installed.
 */
class PythonExampleClientTest {
    private static final long T = 30;
    private static final Path SCRIPT =
            Path.of("docs", "examples", "confab_client.py").toAbsolutePath();
    private static final String LONG = "long:" + "x".repeat(3_991) + ":end"; // 4,000 characters

    private RoomHost host;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Process python;

    @BeforeAll
    static void needsPython() throws InterruptedException {
        boolean present;
        try {
            Process p = new ProcessBuilder("python3", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(T, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "python3 is not installed");
    }

    @AfterEach
    void stop() throws Exception {
        if (python != null && python.isAlive()) {
            python.destroyForcibly();
            python.waitFor(T, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (host != null) {
            host.close();
        }
    }

    /** A process's output stream, kept as bytes; waits are on a monitor, never a fixed sleep. */
    static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean ended;

        Output(InputStream in, String name) {
            Thread.ofPlatform().daemon(true).name("pump-" + name).start(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (this) {
                            bytes.write(buf, 0, n);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            });
        }

        synchronized byte[] raw() {
            return bytes.toByteArray();
        }

        synchronized List<String> lines() {
            return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n", -1));
        }

        /** The first complete line matching, waiting up to T seconds; null if none came. */
        synchronized String await(Predicate<String> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
            while (true) {
                List<String> all = lines();
                for (String l : all.subList(0, all.size() - 1)) {
                    if (p.test(l)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return null;
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }

        @Override
        public synchronized String toString() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private RawPeer member(String nick) throws Exception {
        var peer = new RawPeer(host.port());
        toClose.add(peer);
        peer.send(new Message.Hello(Message.VERSION, nick, "PythonExampleClientTest", null));
        assertThat(peer.read()).isInstanceOf(Message.Welcome.class);
        return peer;
    }

    /** Reads until {@code peer}'s own message arrives (true), or an error or the end (false). */
    private static boolean echoed(RawPeer peer, String nick) throws Exception {
        while (true) {
            Message m;
            try {
                m = peer.read();
            } catch (IOException e) {
                return false; // the host dropped it
            }
            if (m == null || m instanceof Message.Error || m instanceof Message.Closing) {
                return false;
            }
            if (m instanceof Message.Event e
                    && e.event() instanceof RoomEvent.Posted p
                    && p.message().sender().equals(nick)) {
                return true;
            }
        }
    }

    private static void post(RawPeer peer, String nick, String text) throws Exception {
        peer.send(new Message.Send(text, null));
        assertThat(echoed(peer, nick))
                .as("the host relays %s", text.length() > 40 ? text.substring(0, 40) + "…" : text)
                .isTrue();
    }

    @Test
    void speaksRepliesEditsReactionsAndDeletions() throws Exception {
        host = new RoomHost(
                HostConfig.defaults("Changes", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        int port = host.start().getPort();
        var pb = new ProcessBuilder(
                "python3", SCRIPT.toString(), "--fp=" + host.fingerprint().base64url(), "127.0.0.1:" + port, "py");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        python = pb.start();
        var out = new Output(python.getInputStream(), "py-out");
        var err = new Output(python.getErrorStream(), "py-err");
        OutputStream stdin = python.getOutputStream();
        assertThat(out.await(l -> l.startsWith("* Joined \"Changes\" as py.")))
                .as("stderr: %s", err)
                .isNotNull();
        var seen = new LinkedBlockingQueue<RoomEvent>();
        var java = TestMember.join(port, "java", host.fingerprint(), (e, cid) -> seen.add(e));
        toClose.add(java);
        java.send("ship it?");
        String line = out.await(l -> l.contains("<java> ship it?"));
        assertThat(line).isNotNull();
        long seq = Long.parseLong(line.substring(line.indexOf('#') + 1, line.indexOf(" <")));
        for (String cmd : new String[] {"/react " + seq + " 🚀", "/reply " + seq + " yes", "/react nope 🚀"}) {
            stdin.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
        }
        stdin.flush();
        assertThat(out.await(l -> l.contains("* py reacted 🚀 on #" + seq)))
                .as("stderr: %s", err)
                .isNotNull();
        assertThat(out.await(l -> l.contains("<py> (reply to #" + seq + ") yes")))
                .isNotNull();
        assertThat(err.await(l -> l.contains("Usage: /react SEQ TEXT"))).isNotNull();
        RoomEvent reply = null;
        for (RoomEvent e = seen.poll(T, TimeUnit.SECONDS); e != null; e = seen.poll(T, TimeUnit.SECONDS)) {
            if (e instanceof RoomEvent.Posted p && p.message().sender().equals("py")) {
                reply = e;
                break;
            }
        }
        assertThat(reply).isNotNull();
        long mine = reply.seq();
        assertThat(((RoomEvent.Posted) reply).message().replyTo()).isEqualTo(seq);
        stdin.write(("/edit " + mine + " yes, today\n/delete " + seq + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(out.await(l -> l.contains("* py edited #" + mine + ": yes, today")))
                .isNotNull();
        assertThat(out.await(l -> l.contains("You can only delete your own messages") && l.endsWith("(not-allowed)")))
                .isNotNull();
        java.edit(seq, "ship it today?");
        assertThat(out.await(l -> l.contains("* java edited #" + seq + ": ship it today?")))
                .isNotNull();
    }

    @Test
    void downloadsASharedFileChunkByChunk_checksIt_neverOverwrites_andSaysWhenItIsGone(@TempDir Path dir)
            throws Exception {
        host = new RoomHost(
                HostConfig.defaults("Files", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        int port = host.start().getPort();
        Path downloads = dir.resolve("py downloads");
        var pb = new ProcessBuilder(
                "python3",
                SCRIPT.toString(),
                "--fp=" + host.fingerprint().base64url(),
                "--download-dir",
                downloads.toString(),
                "127.0.0.1:" + port,
                "py");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        python = pb.start();
        var out = new Output(python.getInputStream(), "py-out");
        var err = new Output(python.getErrorStream(), "py-err");
        OutputStream stdin = python.getOutputStream();
        assertThat(out.await(l -> l.startsWith("* Joined \"Files\" as py.")))
                .as("stderr: %s", err)
                .isNotNull();
        var java = TestMember.join(port, "java", host.fingerprint(), (e, cid) -> {});
        toClose.add(java);

        byte[] data = new byte[2 * FileRef.DEFAULT_CHUNK + 100_123]; // three chunks, the last one short
        new Random(5).nextBytes(data);
        var shared = new CompletableFuture<FileRef>();
        java.files().upload(Files.write(dir.resolve("data.bin"), data), null, "the data", new FileTransfers.Listener() {
            @Override
            public void finished(String key, FileRef file, Path saved) {
                shared.complete(file);
            }

            @Override
            public void failed(String key, String why) {
                shared.completeExceptionally(new IllegalStateException(why));
            }
        });
        shared.get(T, TimeUnit.SECONDS);
        String size = FileRef.humanSize(data.length);
        String line = out.await(l -> l.contains("<java> shared data.bin (" + size + ") · /get "));
        assertThat(line).as("out: %s err: %s", out, err).isNotNull();
        long seq = Long.parseLong(line.substring(line.indexOf('#') + 1, line.indexOf(" <")));
        assertThat(line).endsWith("/get " + seq + ": the data");

        stdin.write(("/get " + seq + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(out.await(l -> l.equals(
                        "* Saved data.bin (" + size + ", SHA-256 checked) as " + downloads.resolve("data.bin"))))
                .as("out: %s err: %s", out, err)
                .isNotNull();
        assertThat(downloads.resolve("data.bin")).hasBinaryContent(data);
        stdin.write(("/get " + seq + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(out.await(l -> l.endsWith("as " + downloads.resolve("data (1).bin"))))
                .as("a second download never overwrites the first; out: %s", out)
                .isNotNull();
        assertThat(downloads.resolve("data (1).bin")).hasBinaryContent(data);

        // deleting the message deletes the file on the host: asking for it again is refused, and nothing is left behind
        assertThat(java.delete(seq)).isTrue();
        assertThat(out.await(l -> l.endsWith("* java deleted message #" + seq))).isNotNull();
        stdin.write(("/get " + seq + "\n/get 999\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(out.await(l -> l.equals(
                        "! Could not download data.bin: This file is no longer shared: its message was deleted.")))
                .as("out: %s err: %s", out, err)
                .isNotNull();
        assertThat(err.await(l -> l.equals("! No file in message #999."))).isNotNull();
        try (var left = Files.list(downloads)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data.bin", "data (1).bin");
        }
        assertThat(err.toString()).doesNotContain("Traceback");
    }

    @Test
    void speaksDirectMessagesStatusesTypingAndReceipts() throws Exception {
        host = new RoomHost(
                HostConfig.defaults("Quiet", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        int port = host.start().getPort();
        var pb = new ProcessBuilder(
                "python3", SCRIPT.toString(), "--fp=" + host.fingerprint().base64url(), "127.0.0.1:" + port, "py");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        python = pb.start();
        var out = new Output(python.getInputStream(), "py-out");
        var err = new Output(python.getErrorStream(), "py-err");
        assertThat(out.await(l -> l.startsWith("* Joined \"Quiet\" as py.")))
                .as("stderr: %s", err)
                .isNotNull();
        var seen = new LinkedBlockingQueue<RoomEvent>();
        var java = TestMember.join(port, "java", host.fingerprint(), (e, cid) -> seen.add(e));
        toClose.add(java);
        assertThat(out.await(l -> l.contains("* java joined"))).isNotNull();
        OutputStream stdin = python.getOutputStream();
        stdin.write("/msg java between us\n/away back soon\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        RoomEvent.Posted dm = null;
        for (RoomEvent e = seen.poll(T, TimeUnit.SECONDS); e != null; e = seen.poll(T, TimeUnit.SECONDS)) {
            if (e instanceof RoomEvent.Posted p && p.message().direct()) {
                dm = p;
                break;
            }
        }
        assertThat(dm).isNotNull();
        assertThat(dm.message().sender()).isEqualTo("py");
        assertThat(dm.message().to()).isEqualTo("java");
        assertThat(out.await(l -> l.contains("<py → java (direct)> between us")))
                .isNotNull();
        java.sendDirect("py", "agreed");
        assertThat(out.await(l -> l.contains("<java → py (direct)> agreed"))).isNotNull();
        java.presence("dnd", "in a call");
        assertThat(out.await(l -> l.equals("* java does not want to be disturbed: in a call")))
                .isNotNull();
        long dmSeq = dm.seq();
        java.typing();
        assertThat(out.await(l -> l.equals("* java is typing…")))
                .as("stderr: %s", err)
                .isNotNull();
        java.readDirect("py", dmSeq);
        assertThat(out.await(l -> l.equals("* java has read your direct messages up to #" + dmSeq)))
                .as("stderr: %s", err)
                .isNotNull();
        java.read(dmSeq - 1);
        assertThat(out.await(l -> l.equals("* java has read the room up to #" + (dmSeq - 1))))
                .as("stderr: %s", err)
                .isNotNull();
        assertThat(err.toString()).as("no sequence complaints").doesNotContain("sequence");
    }

    @Test
    void showsTheTopicRolesAndModeration() throws Exception {
        host = new RoomHost(
                HostConfig.defaults("Mods", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        int port = host.start().getPort();
        var h = new RecordingLinkListener();
        var owner = RoomLink.connect(
                "127.0.0.1",
                port,
                "henry",
                JoinOptions.pinned(host.fingerprint())
                        .withIdentity(new MemberIdentity(new byte[32]))
                        .withOwnerToken(host.ownerToken()),
                h);
        toClose.add(owner);
        owner.change(new Message.SetTopic("Lunch at noon"));
        assertThat(h.await(ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.TopicSet), T))
                .isTrue();
        var pb = new ProcessBuilder(
                "python3", SCRIPT.toString(), "--fp=" + host.fingerprint().base64url(), "127.0.0.1:" + port, "py");
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        python = pb.start();
        var out = new Output(python.getInputStream(), "py-out");
        var err = new Output(python.getErrorStream(), "py-err");
        assertThat(out.await(l -> l.equals("* Joined \"Mods\" as py. Members: henry (host), py. Topic: Lunch at noon")))
                .as("stderr: %s", err)
                .isNotNull();
        OutputStream stdin = python.getOutputStream();
        stdin.write("/topic mine now\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(out.await(l -> l.contains("Only the host and moderators can change the topic.")))
                .as("stderr: %s", err)
                .isNotNull();
        owner.change(new Message.Moderate("kick", "py", "enough", 0));
        assertThat(out.await(l -> l.contains("* henry removed py: enough")))
                .as("out: %s stderr: %s", out, err)
                .isNotNull();
        assertThat(python.waitFor(T, TimeUnit.SECONDS))
                .as("the client ends when removed")
                .isTrue();
        assertThat(out + err.toString()).contains("You were removed from this room by the host (henry): enough");
    }

    /**
     * @param encoding the client's stdout: PYTHONIOENCODING=utf-8, =ascii, =latin-1, or "C" for
     *                 LANG=LC_ALL=C with no PYTHONIOENCODING
     */
    @ParameterizedTest(name = "stdout {0}")
    @ValueSource(strings = {"ascii", "utf-8", "latin-1", "C"})
    void survivesHostileTextsAndOddInput(String encoding) throws Exception {
        assertThat(SCRIPT).exists();
        host = new RoomHost(
                HostConfig.defaults("Hostile", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null);
        int port = host.start().getPort();

        var pb = new ProcessBuilder(
                // "--fp=KEY": a base64url key may start with "-", which argparse would take for an option
                "python3", SCRIPT.toString(), "--fp=" + host.fingerprint().base64url(), "127.0.0.1:" + port, "reader");
        var env = pb.environment();
        if (encoding.equals("C")) {
            env.remove("PYTHONIOENCODING");
            env.put("LANG", "C");
            env.put("LC_ALL", "C");
        } else {
            env.put("PYTHONIOENCODING", encoding);
        }
        env.remove("PYTHONUTF8");
        python = pb.start();
        var out = new Output(python.getInputStream(), "py-out");
        var err = new Output(python.getErrorStream(), "py-err");
        OutputStream stdin = python.getOutputStream();
        assertThat(out.await(l -> l.startsWith("* Joined \"Hostile\" as reader.")))
                .as("joined; stderr: %s", err)
                .isNotNull();

        RawPeer mallory = member("mallory");
        assertThat(out.await(l -> l.endsWith("* mallory joined")))
                .as(out.toString())
                .isNotNull();
        post(mallory, "mallory", "emoji 😀 👍🏽 👨‍👩‍👧 ✓ é");
        post(
                mallory,
                "mallory",
                "controls NUL\u0000 BEL\u0007 ESC\u001b[2J\u001b]0;pwned\u0007 DEL\u007f C1\u0085\u009b31m tab\tend");
        post(mallory, "mallory", "lines one\ntwo\r\nthree\u2028four");
        post(mallory, "mallory", "rtl \u202Eevil\u202C txt");
        post(mallory, "mallory", LONG);

        // a lone surrogate, as a JSON escape (it cannot be written as UTF-8); the host may relay or refuse it
        RawPeer trudy = member("trudy");
        trudy.sendJson("{\"type\":\"send\",\"text\":\"lone \\udc00 surrogate\"}");
        boolean relayed = echoed(trudy, "trudy");
        System.out.println(
                "PythonExampleClientTest: the host " + (relayed ? "relayed" : "refused") + " the lone surrogate");
        assertThat(out.await(l -> l.endsWith(LONG)))
                .as("the 4,000-character text on one line; out: %s err: %s", out, err)
                .isNotNull();
        if (relayed) {
            assertThat(out.await(l -> l.contains("<trudy> lone \\udc00 surrogate")))
                    .as("out: %s err: %s", out, err)
                    .isNotNull();
        }
        assertThat(python.isAlive())
                .as("the client survived the hostile texts; stderr: %s", err)
                .isTrue();

        // the client's own stdin: not UTF-8, control characters, a line longer than one frame, an empty line
        stdin.write(new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '\n'});
        stdin.write("ctl \u0001\u001b[31m\u0000 x\n\n".getBytes(StandardCharsets.UTF_8));
        stdin.write(("huge " + "y".repeat(1024 * 1024 + 10) + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.write("reader is still here\n".getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
        assertThat(out.await(l -> l.endsWith("<reader> reader is still here")))
                .as("own line echoed; out: %s err: %s", out, err)
                .isNotNull();

        post(mallory, "mallory", "final normal message");
        assertThat(out.await(l -> l.endsWith("<mallory> final normal message")))
                .as("out: %s err: %s", out, err)
                .isNotNull();
        assertThat(python.isAlive())
                .as("the client is still running; stderr: %s", err)
                .isTrue();

        // what it printed on the way
        assertThat(out.await(l -> l.contains("<mallory> controls NUL^@ BEL^G ESC^[[2J^[]0;pwned^G DEL^? C1")))
                .as("control characters shown, not sent to the terminal")
                .isNotNull();
        assertThat(out.await(l -> l.contains("<mallory> lines one"))).isNotNull();
        assertThat(out.await(l -> l.equals("           two")))
                .as("line breaks become continuation lines")
                .isNotNull();
        assertThat(out.await(l -> l.contains("! Not sent: the line is longer than 1048576 bytes.")))
                .isNotNull();
        assertThat(out.await(l -> l.contains("<reader> bad ")))
                .as("undecodable input still sent")
                .isNotNull();
        byte[] raw = out.raw();
        for (byte b : raw) {
            assertThat(b == '\n' || b == '\t' || (b & 0xff) >= 0x20 && b != 0x7f)
                    .as("no raw control byte %02x in the output", b)
                    .isTrue();
            if (encoding.equals("ascii")) {
                assertThat(b).as("ASCII only").isNotNegative();
            }
            if (encoding.equals("latin-1")) {
                assertThat((b & 0xff) < 0x80 || (b & 0xff) >= 0xa0)
                        .as("no raw C1 control byte %02x", b)
                        .isTrue();
            }
        }
        if (encoding.equals("ascii")) {
            assertThat(out.await(l -> l.contains("<mallory> emoji \\U0001f600")))
                    .as(out.toString())
                    .isNotNull();
        }
        assertThat(err.toString()).doesNotContain("Traceback").doesNotContain("Error");

        // end of input: it leaves in order, exit status 0
        stdin.close();
        assertThat(python.waitFor(T, TimeUnit.SECONDS)).isTrue();
        assertThat(out.await(l -> l.equals("* You left the room.")))
                .as(out.toString())
                .isNotNull();
        assertThat(python.exitValue()).as("stderr: %s", err).isZero();
        assertThat(err.toString()).doesNotContain("Traceback");
    }
}
