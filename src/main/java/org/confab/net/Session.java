package org.confab.net;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.confab.core.Room;
import org.confab.core.TokenBucket;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * One peer on the host: its read loop (a virtual thread) and its handshake state. A protocol
 * error or timeout ends this session only; the host and the other members go on.
 */
final class Session {
    /** Longest client id accepted in a send. */
    static final int MAX_CID_LENGTH = 64;

    private final RoomHost host;
    private final Connection connection;
    private final String remote;
    private volatile String nick;
    private volatile boolean joined;
    private volatile String cutReason;
    /** Until the hello is answered; the handshake deadline and the admission race for it. */
    private final java.util.concurrent.atomic.AtomicBoolean handshakeOpen = new java.util.concurrent.atomic.AtomicBoolean(true);
    private volatile boolean timedOut;
    private final java.net.InetAddress address;
    private org.confab.net.auth.Scram.Server scram;
    private boolean authenticated;
    /** Receives fan-out (false while a resuming member is still being sent what it missed). */
    private volatile boolean live;
    private volatile long catchUpFrom;
    /** The client sent a resume: it speaks the reliability extension (acks). */
    private volatile boolean extended;
    private final TokenBucket sendRate;
    /** The first send refused for rate (extension clients): later sends are refused until it is retried. */
    private String blockedCid;

    /** {@code socket} is {@code raw} itself or a TLS socket layered over it. */
    Session(RoomHost host, Socket raw, Socket socket, String name) throws IOException {
        this.host = host;
        var cfg = host.config();
        this.connection = new Connection(socket, raw, cfg.maxFrame(), cfg.sendQueue(), Connection.HOST_READ_BUFFER, name);
        this.remote = raw.getRemoteSocketAddress().toString().replaceFirst("^/", "");
        this.address = raw.getInetAddress();
        this.sendRate = new TokenBucket(cfg.ratePerSecond(), cfg.burst());
    }

    boolean isLive() {
        return live;
    }

    /** Called under the host lock: fan-out reaches this member from now on. */
    void live() {
        live = true;
        catchUpFrom = 0;
    }

    /** Called under the host lock: this member resumes and must first be sent events from {@code seq} on. */
    void catchUpFrom(long seq) {
        live = false;
        catchUpFrom = seq;
    }

    boolean extended() {
        return extended;
    }

    Connection connection() {
        return connection;
    }

    String nick() {
        return nick;
    }

    void nick(String newNick) {
        this.nick = newNick;
    }

    boolean joined() {
        return joined;
    }

    void start() {
        Thread writer = connection.startWriter(host::untrack);
        host.track(writer);
        writer.start();
        Thread reader = Thread.ofVirtual().name(connection.name() + "-reader").unstarted(this::run);
        host.track(reader);
        reader.start();
    }

    /**
     * Queues an encoded frame for this member without waiting. A full queue means the member
     * stopped reading: it is cut, never waited for. A connection that is already closing (it
     * ended, and its leave is on the way) just misses the frame.
     */
    void deliver(byte[] frame) {
        if (!connection.offer(frame) && !connection.isClosed()) {
            cutSlowConsumer();
        }
    }

    /** Called under the host lock when this member's queue is full: cut it, never wait for it. */
    void cutSlowConsumer() {
        if (cutReason == null) {
            cutReason = Reasons.SLOW_CONSUMER;
            host.listener().peerError(remote, ErrorCode.SLOW_CONSUMER.wire(), "cut off: stopped reading (outbound queue full)");
            connection.closeNow();
        }
    }

    /**
     * The read loop's thread. The reason given to {@link RoomHost#ended} (and so to every member in
     * the {@code left} event) is always one of the host's own texts listed in docs/protocol.md
     * §5.6, never anything the peer sent. The member is gone for the room first, then its
     * connection is closed (after the last frame for it, bounded).
     */
    private void run() {
        String reason = Reasons.LOST;
        Message last = null;
        try {
            connection.socket().setSoTimeout((int) host.config().handshakeTimeout().toMillis());
            reason = loop();
        } catch (SocketTimeoutException e) {
            reason = joined ? Reasons.TIMED_OUT : Reasons.NO_HELLO;
            last = failure(joined ? ErrorCode.IDLE_TIMEOUT : ErrorCode.HANDSHAKE_TIMEOUT, joined
                    ? "Nothing heard from you within " + host.config().idleTimeout().toSeconds() + " s."
                    : handshakeTimeoutText());
        } catch (ProtocolException e) {
            reason = Reasons.protocolError(e.code());
            last = failure(e.code(), e.getMessage());
        } catch (javax.net.ssl.SSLException e) {
            reason = joined ? Reasons.LOST : Reasons.TLS_FAILED;
            if (!joined && !timedOut) {
                host.listener().peerError(remote, "tls", "TLS handshake failed (" + e.getMessage()
                        + "); a client without encryption, or one that refused this room's key.");
            }
        } catch (IOException e) {
            reason = host.stopping() ? Reasons.ROOM_CLOSED : Reasons.LOST;
        } catch (RuntimeException e) {
            reason = Reasons.INTERNAL;
            last = failure(ErrorCode.INTERNAL, "Internal error on the host; you were disconnected.");
        } finally {
            if (timedOut && !joined) {
                reason = Reasons.NO_HELLO;
            }
            if (cutReason != null) {
                reason = cutReason;
            }
            host.ended(this, reason);
            if (!host.stopping()) {
                connection.closeAfter(last, 1000);
            }
            host.untrack(Thread.currentThread());
        }
    }

    private String handshakeTimeoutText() {
        return "No hello within " + host.config().handshakeTimeout().toSeconds() + " s.";
    }

    /**
     * The handshake deadline passed (a total, from the accept: TLS, password and hello together;
     * a peer that trickles bytes gets no more time than a silent one). Called on the host's timer.
     */
    void handshakeDeadline() {
        if (joined || !handshakeOpen.compareAndSet(true, false)) {
            return;
        }
        timedOut = true;
        host.listener().peerError(remote, ErrorCode.HANDSHAKE_TIMEOUT.wire(), handshakeTimeoutText());
        if (connection.socket() instanceof javax.net.ssl.SSLSocket ssl && ssl.getHandshakeSession() != null) {
            connection.closeNow(); // still inside the TLS handshake: no frame can be sent yet
        } else {
            connection.closeAfter(new Message.Error(ErrorCode.HANDSHAKE_TIMEOUT, handshakeTimeoutText(), true), 1000);
        }
    }

    private Message.Error failure(ErrorCode code, String text) {
        host.listener().peerError(remote, code.wire(), text);
        return new Message.Error(code, text, true);
    }

    /** The read loop; returns the leave reason when the peer ends the session in order. */
    private String loop() throws IOException, ProtocolException {
        while (true) {
            Frame frame = connection.readFrame();
            if (frame == null) {
                return joined ? Reasons.CLOSED : Reasons.CLOSED_BEFORE_JOINING;
            }
            Message m;
            try {
                m = JsonCodec.decode(frame);
            } catch (ProtocolException e) {
                if (e.code() == ErrorCode.UNSUPPORTED_FRAME) {
                    connection.send(new Message.Error(e.code(), e.getMessage(), false));
                    continue;
                }
                throw e;
            }
            if (!joined) {
                if (m instanceof Message.AuthStart || m instanceof Message.AuthFinish) {
                    if (!authenticate(m)) {
                        return Reasons.PASSWORD;
                    }
                    continue;
                }
                if (!(m instanceof Message.Hello hello)) {
                    throw new ProtocolException(ErrorCode.UNEXPECTED, "The first message must be a hello.");
                }
                if (host.security().password() != null && !authenticated) {
                    reject(ErrorCode.PASSWORD_REQUIRED, "This room needs a password.");
                    return Reasons.PASSWORD;
                }
                if (!handshake(hello)) {
                    return Reasons.REJECTED;
                }
                if (!live) {
                    host.catchUp(this, catchUpFrom);
                }
                continue;
            }
            switch (m) {
                case Message.Send send -> {
                    String text = send.text();
                    String cid = send.cid();
                    if (text.isBlank()) {
                        connection.send(new Message.Error(ErrorCode.MESSAGE_INVALID, "Empty message not sent.", false, cid, 0));
                    } else if (text.length() > Room.MAX_MESSAGE_LENGTH) {
                        connection.send(new Message.Error(ErrorCode.MESSAGE_INVALID, "Message too long ("
                                + text.length() + " characters; the limit is " + Room.MAX_MESSAGE_LENGTH + ").", false, cid, 0));
                    } else if (cid != null && cid.length() > MAX_CID_LENGTH) {
                        connection.send(new Message.Error(ErrorCode.MESSAGE_INVALID, "Client id longer than "
                                + MAX_CID_LENGTH + " characters; message not sent.", false, null, 0));
                    } else if (cid != null && host.ackIfPosted(this, cid)) {
                        // a retry of something already posted: acknowledged, not posted again, costs no token
                    } else if (blockedCid != null && !blockedCid.equals(cid) || !sendRate.tryTake(System.nanoTime())) {
                        if (blockedCid == null && extended && cid != null) {
                            // keep this member's order: nothing after the refused message is taken until it comes again
                            blockedCid = cid;
                        }
                        var cfg = host.config();
                        connection.send(new Message.Error(ErrorCode.RATE_LIMITED, "You are sending too fast (at most "
                                + cfg.ratePerSecond() + " messages per second, " + cfg.burst() + " at once). This message was not posted"
                                + (extended ? "; it will be sent again shortly." : "; send it again in a moment."),
                                false, cid, sendRate.millisUntilNext(System.nanoTime())));
                    } else {
                        blockedCid = null;
                        host.post(this, text, cid);
                    }
                }
                case Message.Rename rename -> {
                    var result = host.rename(this, rename.nick());
                    if (result.event() == null) {
                        var code = result.kind() == Room.JoinRefusal.NICK_TAKEN ? ErrorCode.NICK_TAKEN : ErrorCode.NICK_INVALID;
                        connection.send(new Message.Error(code, result.refusal(), false));
                    }
                }
                case Message.Ping ping -> connection.send(new Message.Pong(ping.nonce()));
                case Message.Pong ignored -> { }
                case Message.Leave leave -> {
                    return Reasons.LEFT;
                }
                case Message.Hello ignored ->
                        connection.send(new Message.Error(ErrorCode.UNEXPECTED, "Already joined.", false));
                default -> throw new ProtocolException(ErrorCode.UNEXPECTED,
                        "A client may not send \"" + JsonCodec.wireType(m) + "\".");
            }
        }
    }

    /**
     * One step of the SCRAM exchange (auth-start, then auth-finish). Returns false when the
     * session must end (wrong password, throttled, no password set).
     */
    private boolean authenticate(Message m) throws ProtocolException {
        var security = host.security();
        if (security.password() == null || !security.encrypted()) {
            reject(ErrorCode.UNEXPECTED, security.encrypted() ? "This room has no password; join without one."
                    : "Passwords need an encrypted room; this one runs without TLS.");
            return false;
        }
        var wait = security.throttle().waitFor(address);
        if (!wait.isZero()) {
            reject(ErrorCode.AUTH_THROTTLED, "Too many wrong passwords from your address. Try again in "
                    + Math.max(1, wait.toSeconds()) + " s.");
            return false;
        }
        try {
            switch (m) {
                case Message.AuthStart start when scram == null -> {
                    if (!org.confab.net.auth.Scram.MECHANISM.equals(start.mechanism())) {
                        reject(ErrorCode.BAD_PASSWORD, "Unsupported password mechanism " + start.mechanism()
                                + "; this room uses " + org.confab.net.auth.Scram.MECHANISM + ".");
                        return false;
                    }
                    scram = new org.confab.net.auth.Scram.Server(security.password(), security.fingerprint().bytes());
                    connection.send(new Message.Challenge(scram.first(start.clientFirst())));
                    return true;
                }
                case Message.AuthFinish finish when scram != null && !authenticated -> {
                    String serverFinal = scram.verify(finish.clientFinal());
                    authenticated = true;
                    security.throttle().succeeded(address);
                    connection.send(new Message.AuthOk(serverFinal));
                    return true;
                }
                default -> throw new ProtocolException(ErrorCode.UNEXPECTED, "Password exchange out of order.");
            }
        } catch (org.confab.net.auth.Scram.AuthFailed e) {
            security.throttle().failed(address);
            host.listener().peerError(remote, ErrorCode.BAD_PASSWORD.wire(), e.getMessage());
            reject(ErrorCode.BAD_PASSWORD, e.getMessage());
            return false;
        }
    }

    private boolean handshake(Message.Hello hello) throws IOException {
        if (hello.version() != Message.VERSION) {
            reject(ErrorCode.UNSUPPORTED_VERSION, "This room speaks Confab protocol version " + Message.VERSION
                    + "; your client speaks version " + hello.version() + ". Update Confab on the older side.");
            return false;
        }
        if (!handshakeOpen.compareAndSet(true, false)) {
            return false; // the handshake deadline passed meanwhile
        }
        nick = hello.nick();
        extended = hello.resume() != null;
        var result = host.admit(this, hello.nick(), hello.resume());
        if (!result.accepted()) {
            ErrorCode code = result.refusal() == null ? ErrorCode.ROOM_CLOSED : switch (result.refusal()) {
                case NICK_TAKEN -> ErrorCode.NICK_TAKEN;
                case NICK_INVALID -> ErrorCode.NICK_INVALID;
                case ROOM_FULL -> ErrorCode.ROOM_FULL;
            };
            reject(code, result.reason());
            return false;
        }
        joined = true;
        connection.socket().setSoTimeout((int) host.config().idleTimeout().toMillis());
        host.listener().joined(nick, remote);
        return true;
    }

    private void reject(ErrorCode code, String reason) {
        connection.closeAfter(new Message.Reject(code, reason), 1000);
    }

    /** The reasons a session ends with (the {@code left} event's reason): the host's own words, documented in §5.6. */
    static final class Reasons {
        static final String LEFT = "left";
        static final String CLOSED = "connection closed";
        static final String LOST = "connection lost";
        static final String TIMED_OUT = "timed out";
        static final String SLOW_CONSUMER = "stopped reading";
        static final String INTERNAL = "internal error";
        static final String ROOM_CLOSED = "room closed";
        // never a member, so never in a left event: for the host's log only
        static final String CLOSED_BEFORE_JOINING = "closed before joining";
        static final String NO_HELLO = "no hello in time";
        static final String TLS_FAILED = "TLS handshake failed";
        static final String PASSWORD = "no or wrong password";
        static final String REJECTED = "rejected";

        /** "protocol error (bad-json)": the error code the member was sent, nothing of what it sent. */
        static String protocolError(ErrorCode code) {
            return "protocol error (" + code.wire() + ")";
        }

        private Reasons() { }
    }
}
