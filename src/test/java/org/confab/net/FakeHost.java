package org.confab.net;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * A one-connection host on plain TCP that welcomes with the capabilities it is given (an older
 * Confab names fewer) and records every frame the client sends, in order. It answers nothing else
 * unless given a {@link Script}, which sees every frame after the welcome (binary ones too) and
 * writes what a host would answer.
 */
final class FakeHost implements AutoCloseable {
    /** What the fake host answers to a frame the client sent after its hello. */
    interface Script {
        /** {@code m} is null for a binary frame; the answers are written to {@code out}. */
        void answer(Frame frame, Message m, OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final Thread thread;
    private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private volatile Socket accepted;

    private final Script script;

    FakeHost(List<String> caps) throws IOException {
        this(caps, null);
    }

    FakeHost(List<String> caps, Script script) throws IOException {
        this.script = script;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().name("fake-host").start(() -> serve(caps));
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(List<String> caps) {
        try (Socket s = server.accept()) {
            accepted = s;
            var decoder = new FrameDecoder();
            var in = s.getInputStream();
            byte[] buf = new byte[4096];
            boolean welcomed = false;
            for (int n; (n = in.read(buf)) > 0; ) {
                for (var frame : decoder.feed(buf, 0, n)) {
                    if (frame.kind() == Frame.Kind.BINARY) {
                        if (script != null) {
                            script.answer(frame, null, s.getOutputStream());
                        }
                        continue;
                    }
                    Message m = JsonCodec.decode(frame);
                    received.add(m);
                    if (welcomed && script != null) {
                        script.answer(frame, m, s.getOutputStream());
                    }
                    if (!welcomed && m instanceof Message.Hello hello) {
                        welcomed = true;
                        var welcome = new Message.Welcome(
                                1,
                                "Fake",
                                hello.nick(),
                                List.of(hello.nick(), "bob"),
                                List.of(),
                                0,
                                "Confab 0.0.9",
                                "fake-room",
                                null,
                                null,
                                caps);
                        s.getOutputStream().write(JsonCodec.encode(welcome).encode());
                    }
                }
            }
        } catch (Exception e) {
            // closed
        }
    }

    /** The next frame the client sent, or null after the timeout. */
    Message next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /** The frames up to and including the first {@code send} of {@code text}; fails after the timeout. */
    List<Message> until(String text, long seconds) throws InterruptedException {
        var seen = new ArrayList<Message>();
        while (true) {
            Message m = next(seconds);
            if (m == null) {
                throw new AssertionError("The fake host never got a send of \"" + text + "\"; it got " + seen);
            }
            seen.add(m);
            if (m instanceof Message.Send s && s.text().equals(text)) {
                return seen;
            }
        }
    }

    /** A client of this host, on plain TCP. */
    RoomConnection client(String nick, RoomConnectionListener listener) {
        return new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port(), nick).withSecurity(JoinOptions.insecureTcp()),
                null,
                listener);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        Socket s = accepted;
        if (s != null) {
            s.close();
        }
        thread.join();
    }
}
