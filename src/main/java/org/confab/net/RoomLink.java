package org.confab.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink.Candidate;
import org.confab.core.RoomEvent;
import org.confab.net.auth.Scram;
import org.confab.net.tls.CapturingTrustManager;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * A member's connection to a room. {@link #connect} does the handshake and returns only once
 * welcomed (or throws a {@link JoinException} that says why not); then a reader thread delivers
 * every room event to the {@link LinkListener}, in order. Sending never blocks the caller.
 */
final class RoomLink implements AutoCloseable {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(8);

    private static final int SEND_QUEUE = 4096;
    private static final Duration LEAVE_DRAIN = Duration.ofSeconds(3);

    private final FramedSocket connection;
    private final Message.Welcome welcome;
    private final LinkListener listener;
    private final String address;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Duration idleTimeout;
    private volatile String nick;
    private volatile boolean leaving;
    private Thread reader;
    private Thread heartbeat;

    /** The pages of a member list so far (§20), on the reader thread. */
    private final List<String> listPages = new ArrayList<>();

    private final Fingerprint fingerprint;
    private final Candidate via;

    private RoomLink(
            FramedSocket connection,
            Message.Welcome welcome,
            LinkListener listener,
            String address,
            Duration idleTimeout,
            Fingerprint fingerprint,
            Candidate via) {
        this.fingerprint = fingerprint;
        this.via = via;
        this.connection = connection;
        this.welcome = welcome;
        this.listener = listener;
        this.address = address;
        this.nick = welcome.you();
        this.idleTimeout = idleTimeout;
    }

    /** Connects with the default timeouts and {@link JoinOptions#secure()}. */
    public static RoomLink connect(String host, int port, String nick, LinkListener listener) throws JoinException {
        return connect(host, port, nick, JoinOptions.secure(), listener);
    }

    /** Connects with the default timeouts. */
    public static RoomLink connect(String host, int port, String nick, JoinOptions options, LinkListener listener)
            throws JoinException {
        return connect(host, port, nick, options, DEFAULT_CONNECT_TIMEOUT, HostConfig.DEFAULT_IDLE_TIMEOUT, listener);
    }

    /**
     * Connects, checks the room's key (unless insecure), authenticates with the room password if
     * one is given, says hello and waits for the welcome. On return the reader runs and the
     * listener hears every event after the welcome's history. Nothing of ours (not even the
     * nickname) is sent before the room's key has been accepted.
     */
    public static RoomLink connect(
            String host,
            int port,
            String nick,
            JoinOptions options,
            Duration timeout,
            Duration idleTimeout,
            LinkListener listener)
            throws JoinException {
        return connect(host, port, nick, options, timeout, idleTimeout, null, listener);
    }

    /**
     * As {@link #connect(String, int, String, JoinOptions, Duration, Duration, LinkListener)}, with a
     * resume (the reliability extension, docs/protocol.md §13): the welcome then answers it and, if
     * it applies, the listener first hears every event the client missed. {@code resume} null = a
     * plain version 1 join.
     */
    public static RoomLink connect(
            String host,
            int port,
            String nick,
            JoinOptions options,
            Duration timeout,
            Duration idleTimeout,
            Message.Resume resume,
            LinkListener listener)
            throws JoinException {
        if (port < 1 || port > 65535) {
            throw new JoinException(JoinException.Reason.UNREACHABLE, "Port must be between 1 and 65535.");
        }
        return connect(List.of(new Candidate(host, port)), nick, options, timeout, idleTimeout, resume, listener);
    }

    /**
     * Joins the room at the first of {@code candidates} (its addresses, in the order to try) that
     * opens a connection and shows the room's key: they are tried in parallel, a little apart
     * ({@link HappyEyeballs}, RFC 8305); a candidate that shows another key is never used. Then, on
     * that connection only, the password, hello and welcome. One candidate: exactly the single
     * address join (its failure as it is); several that all fail: one error that says what each did.
     */
    public static RoomLink connect(
            List<Candidate> candidates,
            String nick,
            JoinOptions options,
            Duration timeout,
            Duration idleTimeout,
            Message.Resume resume,
            LinkListener listener)
            throws JoinException {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(options, "options");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no address to join");
        }
        Fingerprint known = null;
        if (!options.insecure() && options.pinned() == null && options.knownRooms() != null) {
            for (Candidate c : candidates) { // the room's key as remembered under any of its addresses
                known = options.knownRooms().lookup(c.host(), c.port()).orElse(null);
                if (known != null) {
                    break;
                }
            }
        }
        Fingerprint expected = options.pinned() != null ? options.pinned() : known;
        Secured secured = HappyEyeballs.race(
                candidates, HappyEyeballs.ATTEMPT_DELAY, (c, raw) -> secure(c, raw, options, expected, timeout));
        Candidate via = secured.candidate();
        String address = via.address();
        SniffingSocket raw = secured.raw();
        CapturingTrustManager trust = secured.trust();
        FramedSocket connection = null;
        Phase phase = Phase.TLS;
        try {
            if (trust != null) {
                Fingerprint presented = trust.presented();
                if (expected == null && !options.trustNew()) {
                    throw new JoinException(
                                    JoinException.Reason.UNKNOWN_KEY,
                                    "First visit to the room at " + address
                                            + ". Check its safety code with the host before you trust it: "
                                            + presented.safetyCode())
                            .withKeys(presented, null);
                }
                if (options.knownRooms() != null
                        && !presented.equals(options.knownRooms()
                                .lookup(via.host(), via.port())
                                .orElse(null))) {
                    try {
                        options.knownRooms().trust(via.host(), via.port(), presented);
                    } catch (IOException e) {
                        // could not remember: the join itself is still safe
                    }
                }
            }
            connection = new FramedSocket(
                    secured.socket(),
                    raw,
                    Frame.DEFAULT_MAX_PAYLOAD,
                    SEND_QUEUE,
                    FramedSocket.CLIENT_READ_BUFFER,
                    "confab-client-" + nick);
            connection.startWriter().start();
            if (options.password() != null) {
                phase = Phase.PASSWORD;
                authenticate(connection, options.password(), trust, address);
            }
            phase = Phase.HELLO;
            String memberKey = options.identity() == null
                    ? null
                    : options.identity()
                            .keyFor(
                                    trust != null && trust.presented() != null
                                            ? "key:" + trust.presented().base64url()
                                            : "address:" + address);
            connection.send(new Message.Hello(
                    Message.VERSION,
                    nick,
                    "Confab " + Version.get(),
                    resume,
                    Message.CAPS,
                    memberKey,
                    options.ownerToken()));
            Message.Welcome w = answer(
                    connection,
                    address,
                    phase,
                    Message.Welcome.class,
                    "The program at " + address + " did not answer like a Confab host.");
            if (w.version() != Message.VERSION) {
                throw new JoinException(
                        JoinException.Reason.INCOMPATIBLE_VERSION,
                        "The host speaks protocol version " + w.version() + "; this Confab speaks " + Message.VERSION
                                + ".");
            }
            raw.setSoTimeout((int) idleTimeout.toMillis());
            var client = new RoomLink(
                    connection, w, listener, address, idleTimeout, trust == null ? null : trust.presented(), via);
            client.startThreads();
            return client;
        } catch (JoinException e) {
            close(raw, connection);
            throw e;
        } catch (IOException | ProtocolException e) {
            close(raw, connection);
            throw failure(e, phase, address, timeout, options, trust, expected, raw);
        }
    }

    /** What {@link HappyEyeballs} races: one candidate's TCP connect, TLS and key check, on {@code raw}. */
    static Secured secure(Candidate c, SniffingSocket raw, JoinOptions options, Fingerprint expected, Duration timeout)
            throws JoinException {
        String address = c.address();
        if (c.port() < 1 || c.port() > 65535) {
            throw new JoinException(JoinException.Reason.UNREACHABLE, "Port must be between 1 and 65535.");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(c.host());
        } catch (UnknownHostException e) {
            throw new JoinException(
                    JoinException.Reason.UNKNOWN_HOST,
                    "Unknown host \"" + c.host() + "\". Check the spelling, or type the host's IP address.",
                    e);
        }
        CapturingTrustManager trust = null;
        Phase phase = Phase.CONNECT;
        try {
            raw.connect(new InetSocketAddress(ip, c.port()), (int) timeout.toMillis());
            raw.setSoTimeout((int) timeout.toMillis());
            if (options.insecure()) {
                return new Secured(c, raw, raw, null);
            }
            phase = Phase.TLS;
            trust = new CapturingTrustManager(expected);
            Socket socket = startTls(raw, c.host(), c.port(), trust);
            return new Secured(c, raw, socket, trust);
        } catch (IOException e) {
            FramedSocket.closeQuietly(raw);
            throw failure(e, phase, address, timeout, options, trust, expected, raw);
        }
    }

    /** A connection to one candidate that passed the key check (TLS done), or a plain one (insecure). */
    record Secured(Candidate candidate, SniffingSocket raw, Socket socket, CapturingTrustManager trust) {}

    /** What an I/O or protocol failure in {@code phase} means, for the person. */
    private static JoinException failure(
            Exception e,
            Phase phase,
            String address,
            Duration timeout,
            JoinOptions options,
            CapturingTrustManager trust,
            Fingerprint expected,
            SniffingSocket raw) {
        String noAnswer = "No answer from " + address + " within " + timeout.toSeconds()
                + " s. Is the host on this network, and is a firewall blocking the port?";
        return switch (e) {
            case SSLException ssl -> tlsFailure(ssl, phase, address, options, trust, expected, raw);
            case ConnectException c ->
                String.valueOf(c.getMessage()).contains("timed out")
                        ? new JoinException(JoinException.Reason.TIMEOUT, noAnswer, e)
                        : new JoinException(
                                JoinException.Reason.REFUSED,
                                "Nobody is hosting at " + address
                                        + " (connection refused). Check the port, and that the room is still open.",
                                e);
            case NoRouteToHostException _ ->
                new JoinException(
                        JoinException.Reason.UNREACHABLE,
                        "No route to " + address + ". Are you on the same network?",
                        e);
            case SocketTimeoutException _ ->
                new JoinException(
                        JoinException.Reason.TIMEOUT,
                        phase == Phase.CONNECT
                                ? noAnswer
                                : "The host at " + address + " stopped answering " + phase.during + " (nothing for "
                                        + timeout.toSeconds() + " s).",
                        e);
            case ProtocolException _ ->
                new JoinException(
                        JoinException.Reason.PROTOCOL,
                        "The program at " + address + " did not answer like a Confab host (" + e.getMessage() + ")."
                                + (options.insecure() ? " If the room is encrypted, join without --insecure." : ""),
                        e);
            default -> cut(address, phase, e);
        };
    }

    /** How far a join got: says where a connection was cut. */
    private enum Phase {
        CONNECT("while connecting"),
        TLS("during the secure handshake"),
        PASSWORD("during the password exchange"),
        HELLO("while joining");

        final String during;

        Phase(String during) {
            this.during = during;
        }
    }

    /** A lost connection in some phase of the join: always worth another attempt. */
    private static JoinException cut(String address, Phase phase, Throwable cause) {
        return new JoinException(
                JoinException.Reason.LOST, "The connection to " + address + " was cut " + phase.during + ".", cause);
    }

    /**
     * What a TLS failure means. Only a host that answered with bytes that are not TLS is "not
     * encrypted"; a key that differs from the one expected is a refusal for the person to decide;
     * a TLS alert from the host is a refusal; anything else (end of stream, reset, a record cut
     * short) is a lost connection, retried like any other.
     */
    private static JoinException tlsFailure(
            SSLException e,
            Phase phase,
            String address,
            JoinOptions options,
            CapturingTrustManager trust,
            Fingerprint expected,
            SniffingSocket raw) {
        Fingerprint presented = trust == null ? null : trust.presented();
        if (presented != null && expected != null && !presented.equals(expected)) {
            if (options.pinSource() == JoinOptions.PinSource.LINK) {
                return new JoinException(
                                JoinException.Reason.KEY_MISMATCH,
                                "The room at " + address
                                        + " did not show the key your invite link names. Someone may be intercepting the connection,"
                                        + " or the link is for another room. Not joined.",
                                e)
                        .withKeys(presented, expected);
            }
            if (options.pinSource() == JoinOptions.PinSource.GIVEN) {
                return new JoinException(
                                JoinException.Reason.KEY_MISMATCH,
                                "The room at " + address
                                        + " did not show the key you gave (--fp). Someone may be intercepting the connection,"
                                        + " or the key is for another room. Not joined.",
                                e)
                        .withKeys(presented, expected);
            }
            return new JoinException(
                            JoinException.Reason.KEY_CHANGED,
                            "WARNING: the room at " + address
                                    + " shows a different key than last time. Someone on the network may be impersonating it;"
                                    + " or the host reinstalled Confab or lost its key. Ask the host for the room's safety code"
                                    + " before you trust the new key. Not joined.",
                            e)
                    .withKeys(presented, expected);
        }
        if (trust != null && trust.rejection() != null) {
            return new JoinException(
                    JoinException.Reason.PROTOCOL,
                    "The room at " + address + " presented a certificate this Confab cannot accept: "
                            + trust.rejection() + ". Not joined.",
                    e);
        }
        if (raw.answeredWithoutTls()) {
            return new JoinException(
                    JoinException.Reason.NOT_ENCRYPTED,
                    "The host at " + address
                            + " did not answer with encryption (TLS). If it runs with --insecure, you can join with --insecure,"
                            + " but anyone on the network can then read and change the chat.",
                    e);
        }
        String alert = receivedAlert(e);
        if (alert != null) {
            return new JoinException(
                    JoinException.Reason.PROTOCOL,
                    "The host at " + address + " refused the secure connection (TLS alert: " + alert + ").",
                    e);
        }
        return cut(address, phase == Phase.CONNECT ? Phase.TLS : phase, e);
    }

    /** The alert the host sent, if the failure is one ("Received fatal alert: handshake_failure"); else null. */
    private static String receivedAlert(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.startsWith("Received fatal alert: ")) {
                return m.substring("Received fatal alert: ".length());
            }
        }
        return null;
    }

    /**
     * The TCP socket under TLS. It keeps the first bytes the host sent, so a failed handshake can
     * tell a host that answered in plain text (a Confab frame, an HTTP reply) from a connection
     * that was cut: TLS records start with a content type 20..24 and the major version 3.
     */
    static final class SniffingSocket extends Socket {
        private final byte[] first = new byte[2];
        private volatile int seen;
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0 && seen < first.length) {
                            first[seen] = (byte) b;
                            seen++;
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        for (int i = 0; i < n && seen < first.length; i++) {
                            first[seen] = b[off + i];
                            seen++;
                        }
                        return n;
                    }
                };
            }
            return in;
        }

        /** True if the host sent something, and it does not start like a TLS record. */
        boolean answeredWithoutTls() {
            int n = seen;
            if (n == 0) {
                return false;
            }
            boolean record = first[0] >= 20 && first[0] <= 24;
            return !record || n > 1 && first[1] != 3;
        }
    }

    private static Socket startTls(Socket raw, String host, int port, CapturingTrustManager trust) throws IOException {
        try {
            var ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(null, new TrustManager[] {trust}, new SecureRandom());
            var ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true);
            ssl.setUseClientMode(true);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
            ssl.startHandshake();
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is not available in this Java runtime", e);
        }
    }

    /** The SCRAM exchange: auth-start, challenge, auth-finish, auth-ok (which proves the host knows it too). */
    private static void authenticate(
            FramedSocket connection, String password, CapturingTrustManager trust, String address)
            throws IOException, ProtocolException, JoinException {
        if (trust == null) {
            throw new JoinException(
                    JoinException.Reason.NOT_ENCRYPTED,
                    "A room password is only sent over an encrypted connection; join without --insecure.");
        }
        var scram = new Scram.Client(password, trust.presented().bytes());
        connection.send(new Message.AuthStart(Scram.MECHANISM, scram.first()));
        String odd = "The host answered the password oddly.";
        try {
            var challenge = answer(connection, address, Phase.PASSWORD, Message.Challenge.class, odd);
            connection.send(new Message.AuthFinish(scram.finalMessage(challenge.serverFirst())));
            var ok = answer(connection, address, Phase.PASSWORD, Message.AuthOk.class, odd);
            scram.verifyServerFinal(ok.serverFinal());
        } catch (Scram.AuthFailed e) {
            throw new JoinException(JoinException.Reason.BAD_PASSWORD, e.getMessage());
        }
    }

    /**
     * The host's next message during the join, if it is the {@code expected} one. A reject or a
     * fatal error (e.g. the host's handshake deadline passed) is thrown as what it says, anything
     * else with the text {@code odd}.
     */
    private static <T extends Message> T answer(
            FramedSocket connection, String address, Phase phase, Class<T> expected, String odd)
            throws IOException, ProtocolException, JoinException {
        Frame frame = connection.readFrame();
        if (frame == null) {
            throw new JoinException(
                    JoinException.Reason.LOST,
                    "The host at " + address + " closed the connection " + phase.during + ".");
        }
        Message m = JsonCodec.decode(frame);
        if (expected.isInstance(m)) {
            return expected.cast(m);
        }
        throw switch (m) {
            case Message.Reject r -> rejected(r);
            case Message.Error e -> joinError(e, address);
            default -> new JoinException(JoinException.Reason.PROTOCOL, odd);
        };
    }

    /** A fatal error instead of the welcome: our own slowness (a timeout) or a host fault is worth a retry. */
    private static JoinException joinError(Message.Error e, String address) {
        return switch (e.code()) {
            case HANDSHAKE_TIMEOUT ->
                new JoinException(
                        JoinException.Reason.TIMEOUT,
                        "The host at " + address + " gave up waiting for this client to join (" + e.text() + ").");
            case INTERNAL ->
                new JoinException(
                        JoinException.Reason.LOST,
                        "The host at " + address + " failed while letting this client in (" + e.text() + ").");
            default -> new JoinException(JoinException.Reason.PROTOCOL, "The host refused: " + e.text());
        };
    }

    private static JoinException rejected(Message.Reject r) {
        return new JoinException(
                switch (r.code()) {
                    case NICK_TAKEN -> JoinException.Reason.NICK_TAKEN;
                    case NICK_INVALID -> JoinException.Reason.NICK_INVALID;
                    case ROOM_FULL -> JoinException.Reason.ROOM_FULL;
                    case UNSUPPORTED_VERSION -> JoinException.Reason.INCOMPATIBLE_VERSION;
                    case PASSWORD_REQUIRED -> JoinException.Reason.PASSWORD_REQUIRED;
                    case BAD_PASSWORD -> JoinException.Reason.BAD_PASSWORD;
                    case AUTH_THROTTLED -> JoinException.Reason.THROTTLED;
                    case ROOM_CLOSED -> JoinException.Reason.ROOM_CLOSED;
                    case BANNED -> JoinException.Reason.BANNED;
                    default -> JoinException.Reason.PROTOCOL;
                },
                r.reason());
    }

    private static void close(Socket socket, FramedSocket connection) {
        if (connection != null) {
            connection.closeNow();
        }
        FramedSocket.closeQuietly(socket); // failing anyway
    }

    /** The address this link reached the room at (one of the candidates it was given). */
    public Candidate via() {
        return via;
    }

    /** The room's key as presented in TLS; null for an insecure (plain TCP) connection. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    public boolean encrypted() {
        return fingerprint != null;
    }

    public Message.Welcome welcome() {
        return welcome;
    }

    /** The nickname the room knows us by (changes after a successful rename). */
    public String nick() {
        return nick;
    }

    public boolean isConnected() {
        return !ended.get() && !connection.isClosed();
    }

    /** Queues a message; false if disconnected or the outbound queue is full. */
    public boolean send(String text) {
        return send(text, null);
    }

    /** Queues a message with a client-chosen id (may be null). */
    public boolean send(String text, String cid) {
        return send(text, cid, 0);
    }

    /** Queues a message answering message {@code replyTo} (0: none). */
    public boolean send(String text, String cid, long replyTo) {
        return send(text, cid, replyTo, null);
    }

    /** Queues a message, a direct one to member {@code to} (null: the room). */
    public boolean send(String text, String cid, long replyTo, String to) {
        return isConnected() && connection.send(new Message.Send(text, cid, replyTo, to));
    }

    /** Queues a file message (§18: an offer, a get, an ack, a cancel, a message that shares a file). */
    boolean sendMessage(Message m) {
        return isConnected() && connection.send(m);
    }

    /** Queues a chunk in the connection's bulk lane ({@link FramedSocket#offerBulk}). */
    boolean sendBulk(byte[] frame) {
        return isConnected() && connection.offerBulk(frame);
    }

    /**
     * Queues a change to the room (an edit, a deletion, a reaction, the topic, a moderator's act):
     * false if disconnected or the outbound queue is full. The host answers with the event, or a
     * {@code not-allowed} error.
     */
    public boolean change(Message change) {
        if (!(change instanceof Message.Edit
                || change instanceof Message.Delete
                || change instanceof Message.React
                || change instanceof Message.SetTopic
                || change instanceof Message.Moderate)) {
            throw new IllegalArgumentException("not a change to a message: " + JsonCodec.wireType(change));
        }
        return isConnected() && connection.send(change);
    }

    public boolean rename(String newNick) {
        return isConnected() && connection.send(new Message.Rename(newNick));
    }

    /** "I am typing" (the caller throttles); false if disconnected. */
    public boolean typing() {
        return isConnected() && connection.send(new Message.Typing(null));
    }

    /**
     * Starts ({@code on}) or stops watching the member list (§20) if the welcome was lazy; false
     * if not sent (a welcome that named everyone: the list is live anyway).
     */
    public boolean watchMembers(boolean on) {
        return isConnected() && welcome.lazy() && connection.send(new Message.WatchMembers(on));
    }

    /** Tells the room my availability (if the host speaks it); false if not sent. */
    public boolean presence(String state, String text) {
        return isConnected()
                && welcome.caps().contains(Message.CAP_PRESENCE)
                && connection.send(new Message.Presence(null, new Message.Status(state, text)));
    }

    /** Tells the room I have read up to {@code seq} (if the host speaks it); false if not sent. */
    public boolean read(long seq) {
        return read(seq, null);
    }

    /** As {@link #read(long)}, for the direct conversation with {@code with} (null: the room). */
    public boolean read(long seq, String with) {
        return isConnected()
                && welcome.caps().contains(Message.CAP_RECEIPTS)
                && connection.send(new Message.Read(null, seq, with));
    }

    /**
     * Leaves in order: tells the host and keeps reading until the host has flushed what it had
     * queued for us and closed (bounded wait), so no event already sent is lost. The listener
     * hears LEFT.
     */
    public void leave() {
        if (leaving) {
            joinThreads();
            return;
        }
        leaving = true;
        if (!connection.isClosed()
                && connection.send(new Message.Leave("left"))
                && reader != null
                && reader != Thread.currentThread()) {
            try {
                reader.join(LEAVE_DRAIN); // the host closes once it has flushed; if it does not, we do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        connection.closeNow();
        joinThreads();
    }

    @Override
    public void close() {
        leave();
    }

    /** Drops the connection at once, without a leave; the listener hears LOST (as on a network failure). */
    void abort() {
        connection.closeNow();
    }

    private void joinThreads() {
        try {
            if (reader != null && reader != Thread.currentThread()) {
                reader.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (heartbeat != null) {
            heartbeat.interrupt();
        }
    }

    private void startThreads() {
        reader = Thread.ofVirtual().name("confab-client-reader").start(this::readLoop);
        heartbeat = Thread.ofVirtual().name("confab-client-heartbeat").start(this::heartbeatLoop);
    }

    private void heartbeatLoop() {
        long nonce = 0;
        Duration every = idleTimeout.dividedBy(3);
        try {
            while (isConnected()) {
                Thread.sleep(every);
                connection.send(new Message.Ping(++nonce));
            }
        } catch (InterruptedException e) {
            // done
        }
    }

    /** One room event, from its own frame or from a batch (§19): the same either way. */
    private void event(Message.Event e) {
        if (e.event() instanceof RoomEvent.Renamed r && r.oldNick().equals(nick)) {
            nick = r.newNick();
        }
        listener.event(e.event(), e.cid());
    }

    private void readLoop() {
        Disconnect why = new Disconnect(Disconnect.Kind.LOST, "Connection to " + address + " lost.");
        try {
            while (true) {
                Frame frame = connection.readFrame();
                if (frame == null) {
                    break;
                }
                if (frame.kind() == Frame.Kind.BINARY) {
                    try {
                        listener.chunk(FileChunk.decode(frame.payload()));
                    } catch (ProtocolException e) {
                        // not a chunk this client can read: skipped (§2)
                    }
                    continue;
                }
                Message m = JsonCodec.decode(frame);
                switch (m) {
                    case Message.FileAccepted _, Message.FileAck _ -> listener.file(m);
                    case Message.Event e -> event(e);
                    case Message.Events batch -> batch.events().forEach(this::event);
                    case Message.MemberList x -> {
                        listPages.addAll(x.members()); // §20: pages come one after the other
                        if (!x.more()) {
                            listener.memberList(x.seq(), List.copyOf(listPages));
                            listPages.clear();
                        }
                    }
                    case Message.MemberCount x -> listener.memberCount(x.members());
                    case Message.Ack a -> listener.ack(a.cid(), a.seq());
                    case Message.Typing t -> {
                        if (t.nick() != null && !t.nick().isBlank()) {
                            listener.typing(t.nick());
                        }
                    }
                    case Message.Presence x -> {
                        if (x.nick() != null) {
                            listener.presence(
                                    x.nick(), x.status().state(), x.status().text());
                        }
                    }
                    case Message.Read x -> {
                        if (x.nick() != null) {
                            listener.read(x.nick(), x.seq(), x.with() != null);
                        }
                    }
                    case Message.Ping p -> connection.send(new Message.Pong(p.nonce()));
                    case Message.Pong _ -> {}
                    case Message.Closing c -> {
                        why = new Disconnect(Disconnect.Kind.ROOM_CLOSED, c.reason());
                        return;
                    }
                    case Message.Error e -> {
                        if (e.fatal() && (e.code() == ErrorCode.REMOVED || e.code() == ErrorCode.BANNED)) {
                            why = new Disconnect(Disconnect.Kind.REMOVED, e.text());
                            return;
                        }
                        if (e.fatal()) {
                            why = new Disconnect(Disconnect.Kind.DROPPED, "The host disconnected you: " + e.text());
                            return;
                        }
                        listener.error(e.code(), e.text(), e.cid(), e.retryAfterMillis());
                    }
                    default -> {}
                }
            }
        } catch (SocketTimeoutException e) {
            why = new Disconnect(
                    Disconnect.Kind.LOST,
                    "No sign of the host at " + address + " for " + idleTimeout.toSeconds() + " s; connection lost.");
        } catch (ProtocolException e) {
            why = new Disconnect(
                    Disconnect.Kind.DROPPED,
                    "The host sent something this Confab cannot read (" + e.getMessage() + ").");
        } catch (IOException e) {
            // lost, unless we are leaving
        } finally {
            if (leaving) {
                why = new Disconnect(Disconnect.Kind.LEFT, "You left the room.");
            }
            connection.closeNow();
            if (heartbeat != null) {
                heartbeat.interrupt();
            }
            if (ended.compareAndSet(false, true)) {
                listener.disconnected(why);
            }
        }
    }
}
