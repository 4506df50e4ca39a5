package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the host's handshake and session state machine through a real {@link Session}: each
 * input becomes one TCP connection to a running host carrying a fuzzer-chosen sequence of
 * frames: well-formed messages of every type with fuzzed fields (hello with odd versions,
 * nicknames and resumes, sends, renames, pings, leaves, host-only types), raw JSON and raw
 * bytes. Then the client half-closes and reads until the host closes.
 *
 * <p>Invariants: the host never fails internally (no {@code internal} peer error, which is what
 * a RuntimeException in a session becomes), keeps running, and still admits a new member.
 */
class SessionFuzzTest {
    private static RoomHost host;
    private static final List<String> internalErrors = new CopyOnWriteArrayList<>();
    private static int runs;

    private static synchronized RoomHost host() throws Exception {
        if (host == null) {
            var config = HostConfig.defaults("Fuzz", 0).withBindAddress(InetAddress.getLoopbackAddress())
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5))
                    .withLimits(64 * 1024, 50, 64, 1024).withKeepEvents(2000);
            // plain TCP: the fuzzer drives the session's state machine, which TLS only wraps
            host = new RoomHost(config, HostSecurity.insecure(), new HostListener() {
                @Override
                public void peerError(String remote, String code, String text) {
                    if (code.equals("internal")) {
                        internalErrors.add(remote + ": " + text);
                    }
                }
            });
            host.start();
        }
        return host;
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
            host = null;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void sessionStateMachine(FuzzedDataProvider data) throws Exception {
        RoomHost h = host();
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), h.port())) {
            socket.setSoTimeout(10_000);
            var out = new ByteArrayOutputStream();
            int frames = data.consumeInt(0, 12);
            for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
                out.write(nextFrame(data, i));
            }
            try {
                socket.getOutputStream().write(out.toByteArray());
                socket.shutdownOutput();
                drain(socket.getInputStream());
            } catch (IOException e) {
                // the host may close first (fatal error, reset): that is an allowed outcome
            }
        }
        assertThat(internalErrors).as("internal errors on the host").isEmpty();
        assertThat(h.isRunning()).isTrue();
        if (++runs % 200 == 0) {
            try (var canary = RoomLink.connect("127.0.0.1", h.port(), "canary" + runs, new RecordingLinkListener())) {
                assertThat(canary.isConnected()).isTrue();
            }
        }
    }

    private static byte[] nextFrame(FuzzedDataProvider data, int index) {
        int kind = data.consumeInt(0, 13);
        Message m = switch (kind) {
            case 0 -> new Message.Hello(data.consumeBoolean() ? 1 : data.consumeInt(), nick(data), data.consumeString(20),
                    data.consumeBoolean() ? null : new Message.Resume(data.consumeBoolean() ? null : data.consumeString(40), data.consumeLong()));
            case 1 -> new Message.Send(data.consumeString(200), data.consumeBoolean() ? null : data.consumeString(80));
            case 2 -> new Message.Rename(nick(data));
            case 3 -> new Message.Ping(data.consumeLong());
            case 4 -> new Message.Pong(data.consumeLong());
            case 5 -> new Message.Leave(data.consumeBoolean() ? null : data.consumeString(20));
            case 6 -> new Message.Error(org.confab.protocol.ErrorCode.values()[data.consumeInt(0,
                    org.confab.protocol.ErrorCode.values().length - 1)], data.consumeString(20), data.consumeBoolean());
            case 7 -> new Message.Closing(data.consumeString(20));
            case 8 -> new Message.Ack(data.consumeString(10), data.consumeLong());
            default -> null;
        };
        if (m != null) {
            return JsonCodec.encode(m).encode();
        }
        if (kind <= 11) {
            // JSON-ish text, framed correctly
            byte[] json = data.consumeString(300).getBytes(StandardCharsets.UTF_8);
            return json.length == 0 ? new byte[0] : new Frame(Frame.Kind.JSON, json).encode();
        }
        if (kind == 12) {
            byte[] payload = data.consumeBytes(200);
            return payload.length == 0 ? new byte[0] : new Frame(Frame.Kind.BINARY, payload).encode();
        }
        return data.consumeBytes(data.consumeInt(0, 64)); // raw bytes, any header
    }

    private static String nick(FuzzedDataProvider data) {
        return data.consumeBoolean() ? "n" + data.consumeInt(0, 50) : data.consumeString(40);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                // discard: the invariants are checked on the host
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the host neither answered nor closed within 10 s", e);
        }
    }
}
