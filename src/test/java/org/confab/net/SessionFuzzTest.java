package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.confab.net.auth.Scram;
import org.confab.net.auth.Throttle;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Frame;
import org.confab.protocol.FrameDecoder;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the host's session state machine through a real {@link Session} on a real
 * {@link RoomHost}: each input is one connection carrying a fuzzer-chosen sequence of frames,
 * to one of two hosts the input picks:
 * <ul>
 * <li>an <b>open</b> room (plain TCP, no password) that has history from the start, so a hello
 * with a resume object (the room's real id or another, a last seq just below, far below, above
 * or at the room's last seq) reaches the complete, gap and new answers and the catch-up;</li>
 * <li>a <b>locked</b> room (TLS, with a room password): the password exchange (auth-start,
 * challenge, auth-finish) with well-formed and mangled client-first messages, proofs computed
 * correctly from the host's challenge (the harness plays an honest SCRAM client when the input
 * says so), wrong proofs, wrong channel bindings, out-of-order steps, and a throttle the input
 * can put into lock-out before it connects.</li>
 * </ul>
 * Besides that every message type with fuzzed fields (hello with odd versions, nicknames and
 * resumes, sends, renames, pings, leaves, host-only types), raw JSON and raw bytes. Then the
 * client half-closes and reads until the host closes.
 *
 * <p>Deterministic per input as far as the host allows: the throttle runs on a fixed clock and is
 * reset before each input, the password's salt is fixed; only nonces, sequence numbers and the
 * open room's growing history differ between runs.
 *
 * <p>Invariants: the host never fails internally (no {@code internal} peer error, which is what
 * a RuntimeException in a session becomes), keeps running, answers an honest password exchange
 * with auth-ok, every auth-ok carries the host's valid proof, and every 200 inputs a real client
 * can still join each room (the locked one with the password).
 */
class SessionFuzzTest {
    private static final String PASSWORD = "fuzz password";
    private static final byte[] SALT = "confab-fuzz-salt".getBytes(StandardCharsets.US_ASCII);
    private static final int ITERATIONS = 4096;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final boolean TRACE = Boolean.getBoolean("confab.fuzz.trace");

    private static RoomHost open;
    private static RoomHost locked;
    private static Throttle throttle;
    private static SSLContext trustAll;
    private static byte[] saltedPassword;
    private static final List<String> internalErrors = new CopyOnWriteArrayList<>();
    private static int runs;
    private static final int CANARY_EVERY = Integer.getInteger("confab.fuzz.canaryEvery", 200);

    /** Events the hosts keep for resumes: the open room starts with more, so resumes can find a gap. */
    private static final int KEEP_EVENTS = 100;

    private static HostConfig config(String name) {
        return HostConfig.defaults(name, 0)
                .withBindAddress(LOOPBACK)
                // handshake 10 s: the deadline counts from the accept, and the first (cold) connections
                // on a loaded machine took over 2 s; inputs half-close, so none waits for it
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withLimits(64 * 1024, 50, 64, 1024)
                .withKeepEvents(KEEP_EVENTS);
    }

    private static HostListener listener() {
        return new HostListener() {
            @Override
            public void peerError(String remote, String code, String text) {
                if (code.equals("internal")) {
                    internalErrors.add(remote + ": " + text);
                }
            }
        };
    }

    private static synchronized void start() throws Exception {
        if (locked != null) {
            return;
        }
        var context = SSLContext.getInstance("TLSv1.3");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        trustAll = context;
        // plain TCP: the open room targets the state machine, which TLS only wraps
        if (open == null) {
            open = new RoomHost(config("Fuzz"), HostSecurity.insecure(), listener());
            open.start();
            for (int i = 0; i < 5; i++) {
                seedHistory(open, "seeder" + i, 35); // 35 at once stays within the send burst (40)
            }
        }

        // passwords need TLS; the credentials are made here from a fixed salt so that the harness
        // can compute proofs without 4096 PBKDF2 rounds per input
        saltedPassword = pbkdf2(PASSWORD, SALT, ITERATIONS);
        byte[] clientKey = hmac(saltedPassword, "Client Key");
        var credentials =
                new Scram.Credentials(SALT, ITERATIONS, sha256(clientKey), hmac(saltedPassword, "Server Key"));
        throttle = new Throttle(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        var security = new HostSecurity(HostSecurity.ephemeral().identity(), credentials, throttle);
        var lockedHost = new RoomHost(config("Locked"), security, listener());
        lockedHost.start();
        locked = lockedHost;
    }

    /** A member who says a few things and leaves, so that resumes have history to resume. */
    private static void seedHistory(RoomHost h, String nick, int messages) throws Exception {
        try (var socket = new Socket(LOOPBACK, h.port())) {
            socket.setSoTimeout(10_000);
            var out = new ByteArrayOutputStream();
            out.write(JsonCodec.encode(new Message.Hello(Message.VERSION, nick, "fuzz", null))
                    .encode());
            for (int i = 0; i < messages; i++) {
                out.write(JsonCodec.encode(new Message.Send("history " + i, nick + "-" + i))
                        .encode());
            }
            out.write(JsonCodec.encode(new Message.Leave("done")).encode());
            socket.getOutputStream().write(out.toByteArray());
            socket.shutdownOutput();
            drain(socket.getInputStream());
        }
        assertThat(h.lastSeq()).isGreaterThanOrEqualTo(messages + 1);
    }

    @AfterAll
    static void stop() {
        for (RoomHost h : new RoomHost[] {open, locked}) {
            if (h != null) {
                h.close();
            }
        }
        open = null;
        locked = null;
    }

    @FuzzTest(maxDuration = "5m")
    void sessionStateMachine(FuzzedDataProvider data) throws Exception {
        // the harness itself connects to its hosts: loopback only, no SSRF finding for that
        BugDetectors.allowNetworkConnections((h, port) -> "localhost".equals(h) || "127.0.0.1".equals(h));
        start();
        boolean toLocked = data.consumeBoolean();
        RoomHost h = toLocked ? locked : open;
        if (toLocked) {
            throttle.succeeded(LOOPBACK);
            int failures = data.consumeInt(0, 7); // 0-3 are free, from 4 on the address is locked out
            for (int i = 0; i < failures; i++) {
                throttle.failed(LOOPBACK);
            }
        }
        try (Socket socket = toLocked ? tls(h) : new Socket(LOOPBACK, h.port())) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            new Exchange(socket, h, data).run();
        }
        assertThat(internalErrors).as("internal errors on the host").isEmpty();
        assertThat(open.isRunning()).isTrue();
        assertThat(locked.isRunning()).isTrue();
        if (++runs % CANARY_EVERY == 0) {
            try (var canary = RoomLink.connect(
                    "127.0.0.1",
                    open.port(),
                    "canary" + runs,
                    JoinOptions.insecureTcp(),
                    new RecordingLinkListener())) {
                assertThat(canary.isConnected()).isTrue();
            }
            throttle.succeeded(LOOPBACK);
            try (var canary = RoomLink.connect(
                    "127.0.0.1",
                    locked.port(),
                    "canary" + runs,
                    JoinOptions.pinned(locked.fingerprint()).withPassword(PASSWORD),
                    new RecordingLinkListener())) {
                assertThat(canary.isConnected()).isTrue();
            }
        }
    }

    private static Socket tls(RoomHost h) throws IOException {
        var raw = new Socket(LOOPBACK, h.port());
        raw.setSoTimeout(10_000);
        var ssl = (SSLSocket) trustAll.getSocketFactory().createSocket(raw, "127.0.0.1", h.port(), true);
        ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
        ssl.startHandshake();
        return ssl;
    }

    /** One connection: writes the input's frames, playing the client side of SCRAM when asked. */
    private static final class Exchange {
        private final Socket socket;
        private final RoomHost host;
        private final FuzzedDataProvider data;
        private final OutputStream out;
        private final InputStream in;
        private final FrameDecoder decoder = new FrameDecoder(Frame.DEFAULT_MAX_PAYLOAD);
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean hostClosed;
        /** The client-first-bare of the last well-formed auth-start, and the host's answer to it. */
        private String clientFirstBare;

        private String clientNonce;
        private String serverFirst;
        private String expectedServerSignature;
        /** The input so far is exactly a clean exchange (auth-start, honest auth-finish), unthrottled. */
        private boolean clean;

        private int step;

        Exchange(Socket socket, RoomHost host, FuzzedDataProvider data) throws IOException {
            this.socket = socket;
            this.host = host;
            this.data = data;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
            this.clean = host == locked
                    && host.security().throttle().waitFor(LOOPBACK).isZero();
        }

        void run() throws IOException {
            int frames = data.consumeInt(0, 12);
            try {
                for (step = 0; step < frames && data.remainingBytes() > 0 && !hostClosed; step++) {
                    nextFrame();
                }
                flush();
                socket.shutdownOutput(); // over TLS: close_notify, the host sees the end of the stream
                while (!hostClosed) {
                    readOne();
                }
            } catch (IOException e) {
                // the host may close first (fatal error, reset): that is an allowed outcome
                trace("io: " + e);
            }
        }

        private void nextFrame() throws IOException {
            int kind = data.consumeInt(0, 16);
            Message m = switch (kind) {
                case 0 -> hello();
                case 1 ->
                    new Message.Send(
                            data.consumeBoolean() ? "message " + data.consumeInt(0, 1000) : data.consumeString(200),
                            data.consumeBoolean()
                                    ? null
                                    : data.consumeBoolean() ? "c" + data.consumeInt(0, 1000) : data.consumeString(80));
                case 2 -> new Message.Rename(nick());
                case 3 -> new Message.Ping(data.consumeLong());
                case 4 -> new Message.Pong(data.consumeLong());
                case 5 -> new Message.Leave(data.consumeBoolean() ? null : data.consumeString(20));
                case 6 ->
                    new Message.Error(
                            ErrorCode.values()[data.consumeInt(0, ErrorCode.values().length - 1)],
                            data.consumeString(20),
                            data.consumeBoolean());
                case 7 -> new Message.Closing(data.consumeString(20));
                case 8 -> new Message.Ack(data.consumeString(10), data.consumeLong());
                case 9 -> authStart();
                case 10 -> authFinish();
                case 11 ->
                    data.consumeBoolean()
                            ? new Message.Challenge(data.consumeString(60))
                            : new Message.AuthOk(data.consumeString(60));
                default -> null;
            };
            if (kind != 9 && kind != 10) {
                clean = false;
            }
            if (m != null) {
                write(JsonCodec.encode(m).encode());
                if (m instanceof Message.AuthFinish && expectedServerSignature != null) {
                    awaitAuthOk();
                }
                return;
            }
            clean = false;
            if (kind <= 14) {
                // JSON-ish text, framed correctly
                byte[] json = data.consumeString(300).getBytes(StandardCharsets.UTF_8);
                if (json.length > 0) {
                    write(new Frame(Frame.Kind.JSON, json).encode());
                }
            } else if (kind == 15) {
                byte[] payload = data.consumeBytes(200);
                if (payload.length > 0) {
                    write(new Frame(Frame.Kind.BINARY, payload).encode());
                }
            } else {
                write(data.consumeBytes(data.consumeInt(0, 64))); // raw bytes, any header
            }
        }

        private Message.Hello hello() {
            int version = data.consumeBoolean() ? Message.VERSION : data.consumeInt();
            String nick = nick();
            String client = data.consumeBoolean() ? "fuzz" : data.consumeString(20);
            Message.Resume resume = null;
            if (data.consumeBoolean()) {
                String room = switch (data.consumeInt(0, 2)) {
                    case 0 -> host.roomId();
                    case 1 -> null;
                    default -> data.consumeString(40);
                };
                long last = host.lastSeq();
                long seq = switch (data.consumeInt(0, 4)) {
                    case 0 -> last - data.consumeInt(0, 40); // just behind: complete
                    case 1 -> last - data.consumeInt(0, 5000); // behind what is kept: gap
                    case 2 -> last + data.consumeInt(1, 3); // ahead of the host: new
                    case 3 -> 0;
                    default -> data.consumeLong();
                };
                resume = new Message.Resume(room, seq);
            }
            return new Message.Hello(version, nick, client, resume);
        }

        private String nick() {
            return data.consumeBoolean() ? "n" + data.consumeInt(0, 50) : data.consumeString(40);
        }

        private Message authStart() {
            String mechanism = data.consumeBoolean() ? Scram.MECHANISM : data.consumeString(30);
            String clientFirst;
            switch (data.consumeInt(0, 3)) {
                case 0, 1 -> {
                    clientNonce = data.consumeBoolean() ? "fuzz" + step : data.consumeString(300);
                    clientFirstBare = "n=room,r=" + clientNonce;
                    clientFirst = (data.consumeBoolean() ? "p=tls-server-end-point,," : "n,,") + clientFirstBare;
                }
                case 2 -> {
                    clientFirstBare = null;
                    clientFirst = "p=tls-server-end-point,," + data.consumeString(80);
                }
                default -> {
                    clientFirstBare = null;
                    clientFirst = data.consumeString(120);
                }
            }
            if (step != 0
                    || !Scram.MECHANISM.equals(mechanism)
                    || !clientFirst.startsWith("p=tls-server-end-point,,n=room,r=")
                    || clientNonce == null
                    || clientNonce.isEmpty()
                    || clientNonce.contains(",")
                    || clientNonce.length() > 256) {
                clean = false;
            }
            serverFirst = null;
            return new Message.AuthStart(mechanism, clientFirst);
        }

        private Message authFinish() throws IOException {
            int how = data.consumeInt(0, 4);
            expectedServerSignature = null;
            if (how <= 2 && clientFirstBare != null) {
                // an honest client needs the host's challenge first
                flush();
                while (serverFirst == null && !hostClosed) {
                    readOne();
                }
                if (serverFirst != null) {
                    boolean rightBinding = how != 2;
                    byte[] binding = rightBinding ? host.fingerprint().bytes() : new byte[32];
                    String nonce = nonceOf(serverFirst);
                    String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind(binding)) + ",r=" + nonce;
                    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                    byte[] clientKey = hmac(saltedPassword, "Client Key");
                    byte[] proof = xor(clientKey, hmac(sha256(clientKey), authMessage));
                    if (how == 1) {
                        proof[data.consumeInt(0, proof.length - 1)] ^= (byte) data.consumeInt(1, 255); // wrong password
                    }
                    if (how == 0) {
                        expectedServerSignature = "v="
                                + Base64.getEncoder()
                                        .encodeToString(hmac(hmac(saltedPassword, "Server Key"), authMessage));
                    } else {
                        clean = false;
                    }
                    return new Message.AuthFinish(
                            withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
                }
            }
            clean = false;
            return new Message.AuthFinish(
                    how == 3
                            ? "c=biws,r=" + data.consumeString(60) + ",p=" + data.consumeString(60)
                            : data.consumeString(200));
        }

        /** After an honest auth-finish: the host must answer auth-ok with its proof (or have refused earlier). */
        private void awaitAuthOk() throws IOException {
            String expected = expectedServerSignature;
            boolean wasClean = clean && step == 1;
            flush();
            Message answer = null;
            while (!hostClosed && !(answer instanceof Message.AuthOk) && !(answer instanceof Message.Reject)) {
                answer = readOne();
            }
            if (answer instanceof Message.AuthOk ok) {
                assertThat(ok.serverFinal()).as("the host's proof").isEqualTo(expected);
            } else if (wasClean) {
                throw new AssertionError("an honest password exchange was not answered with auth-ok: " + answer);
            }
            expectedServerSignature = null;
        }

        private void write(byte[] bytes) {
            pending.writeBytes(bytes);
        }

        private void flush() throws IOException {
            if (pending.size() > 0) {
                out.write(pending.toByteArray());
                out.flush();
                pending.reset();
            }
        }

        /** Reads until one frame from the host is decoded (returned, null if not JSON) or the host closes. */
        private Message readOne() throws IOException {
            byte[] buf = new byte[8192];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the host neither answered nor closed within 10 s", e);
                }
                if (n < 0) {
                    hostClosed = true;
                    return null;
                }
                List<Frame> frames;
                try {
                    frames = decoder.feed(buf, 0, n);
                } catch (ProtocolException e) {
                    throw new AssertionError("the host sent a bad frame: " + e.getMessage(), e);
                }
                Message last = null;
                for (Frame f : frames) {
                    try {
                        last = JsonCodec.decode(f);
                    } catch (ProtocolException e) {
                        throw new AssertionError(
                                "the host sent a message its own codec does not read: " + e.getMessage(), e);
                    }
                    trace("host: " + last);
                    if (last instanceof Message.Challenge c && clientFirstBare != null) {
                        serverFirst = c.serverFirst();
                    } else if (last instanceof Message.AuthOk || last instanceof Message.Reject) {
                        // keep it as the answer below
                        return last;
                    }
                }
                if (last != null) {
                    return last;
                }
            }
        }
    }

    private static String nonceOf(String serverFirst) {
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                return part.substring(2);
            }
        }
        return "";
    }

    private static byte[] cbind(byte[] binding) {
        byte[] header = "p=tls-server-end-point,,".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + binding.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(binding, 0, out, header.length, binding.length);
        return out;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(spec)
                .getEncoded();
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static void trace(String s) {
        if (TRACE) {
            System.err.println("[session-fuzz] " + s);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the host neither answered nor closed within 10 s", e);
        }
    }
}
