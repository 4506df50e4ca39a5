package org.confab.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.confab.core.MemberIdentity;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * One connection on the host: its framed socket, its read loop (a virtual thread) and the
 * handler of its current phase, first a {@link Handshake}, then, once admitted, a {@link Member}:
 * each frame goes to the handler, which answers with the handler for the next one. A protocol
 * error or timeout ends this connection only; the host and the other members go on.
 */
final class Peer {
    private final RoomHost host;
    private final FramedSocket socket;
    private final String remote;
    private final InetAddress address;
    private volatile String nick;
    /** What the member's hello said it speaks ({@link Message#CAPS}); empty for an older client. */
    private volatile Set<String> caps = Set.of();
    /** The member key its hello gave (§15.1), or null. */
    private volatile String memberKey;
    /** Its hello carried this host's owner token: the person hosting. */
    private volatile boolean owner;
    /** Its availability (§17.1) and how far it has read (§17.2): the room's lock guards them. */
    private Message.Status status = Message.Status.ONLINE;

    private long readSeq;

    private volatile boolean joined;
    private volatile String cutReason;
    /** Until the hello is answered; the handshake deadline and the admission race for it. */
    private final AtomicBoolean handshakeOpen = new AtomicBoolean(true);

    private volatile boolean timedOut;
    /** Receives fan-out (false while a resuming member is still being sent what it missed). */
    private volatile boolean live;

    private volatile long catchUpFrom;
    /** The first seq fan-out brings this member (the welcome or the catch-up had those before); the room's lock guards it. */
    private long fanOutFrom;
    /**
     * The lazily loaded member list (§20): whether this member watches it and from which seq on
     * (written under the room's lock; read by its catch-up too), and the member count it was told
     * last (under the room's lock).
     */
    private volatile boolean watching;

    private volatile long watchFrom;
    private volatile long joinSeq;
    private int toldCount = -1;
    /** Why the handler ended the connection in order (set with the null it returns). */
    private String endReason;

    /** What one frame means in a phase; returns the handler for the next frame, or null to end (after {@link #end}). */
    interface Handler {
        Handler handle(Message m) throws IOException, ProtocolException;

        /**
         * A binary frame (§18: a file chunk). Where binary frames mean nothing (before joining, or a
         * member that does not speak files) the peer is told so, non-fatally, and the frame is dropped.
         */
        /** The phase is over (the next handler took over, or the connection ended): what it holds open is closed. */
        default void ended() {}

        default Handler binary(Peer peer, byte[] payload) throws IOException, ProtocolException {
            peer.socket()
                    .send(new Message.Error(
                            ErrorCode.UNSUPPORTED_FRAME,
                            "Binary frames are only file chunks, after a file offer.",
                            false));
            return this;
        }
    }

    /** {@code tcp} is the accepted socket; {@code socket} is {@code tcp} itself or a TLS socket layered over it. */
    Peer(RoomHost host, Socket tcp, Socket socket, String name) throws IOException {
        this.host = host;
        var cfg = host.config();
        this.socket =
                new FramedSocket(socket, tcp, cfg.maxFrame(), cfg.sendQueue(), FramedSocket.HOST_READ_BUFFER, name);
        this.remote = tcp.getRemoteSocketAddress().toString().replaceFirst("^/", "");
        this.address = tcp.getInetAddress();
    }

    RoomHost host() {
        return host;
    }

    FramedSocket socket() {
        return socket;
    }

    String remote() {
        return remote;
    }

    InetAddress address() {
        return address;
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

    boolean isLive() {
        return live;
    }

    /** Called under the room's lock: fan-out reaches this member from now on. */
    void caps(List<String> spoken) {
        caps = Set.copyOf(spoken);
    }

    /** What the hello said of who this is: its member key (kept only if well-formed) and whether it is the host. */
    void identity(String key, boolean isOwner) {
        memberKey = MemberIdentity.looksLikeKey(key) ? key : null;
        owner = isOwner;
    }

    String memberKey() {
        return memberKey;
    }

    /** Under the room's lock. */
    Message.Status status() {
        return status;
    }

    /** Under the room's lock. */
    void status(Message.Status s) {
        status = s;
    }

    /** Under the room's lock. */
    long readSeq() {
        return readSeq;
    }

    /** Under the room's lock. */
    void readSeq(long seq) {
        readSeq = seq;
    }

    boolean owner() {
        return owner;
    }

    /** The address a ban keeps out: null for loopback (every local app shares it). */
    String banAddress() {
        return address == null || address.isLoopbackAddress() || address.isAnyLocalAddress()
                ? null
                : address.getHostAddress();
    }

    /**
     * Called under the room's lock: a moderator removed this member; it is told why ({@code
     * code}: removed or banned, fatal) and its connection closes after that frame (bounded).
     */
    void remove(ErrorCode code, String text) {
        if (cutReason == null) {
            cutReason = Reasons.REMOVED;
            // the closing waits for this member's writer: never under the room's lock
            Thread.ofVirtual()
                    .name(socket.name() + "-removed")
                    .start(() -> socket.closeAfter(new Message.Error(code, text, true), 1000));
        }
    }

    /** True if this member named capability {@code cap} in its hello. */
    boolean speaks(String cap) {
        return caps.contains(cap);
    }

    /** Called under the room's lock: fan-out reaches this member from now on, from event {@code fromSeq} on. */
    void live(long fromSeq) {
        fanOutFrom = fromSeq;
        live = true;
        catchUpFrom = 0;
    }

    /** True if this member gets other members' {@code joined} and {@code left} events (§20: not lazy, or watching). */
    boolean hearsPresence() {
        return watching || !speaks(Message.CAP_LAZY_MEMBERS);
    }

    /** True if it hears {@code joined} or {@code left} event {@code seq} (its own, or one while it watches). */
    boolean hearsPresence(long seq) {
        return !speaks(Message.CAP_LAZY_MEMBERS) || (watching && seq >= watchFrom);
    }

    /** The seq of its own {@code joined} (set when it is admitted). */
    long joinSeq() {
        return joinSeq;
    }

    /** Under the room's lock, when admitted. */
    void joinSeq(long seq) {
        joinSeq = seq;
    }

    /** Under the room's lock, while it catches up and watches: others' presence before {@code seq} is not sent (§20). */
    void skipPresenceBefore(long seq) {
        watchFrom = seq;
    }

    /**
     * The first seq of another's {@code joined} or {@code left} it is sent when it catches up:
     * 0 if it hears every one, its watch start while it watches a lazy list, none ({@link
     * Long#MAX_VALUE}) while it gets counts.
     */
    long presenceFloor() {
        if (!speaks(Message.CAP_LAZY_MEMBERS)) {
            return 0;
        }
        return watching ? watchFrom : Long.MAX_VALUE;
    }

    /** True if it speaks the lazy member list and does not watch it now: it gets {@code count} frames. */
    boolean countsOnly() {
        return !watching && speaks(Message.CAP_LAZY_MEMBERS);
    }

    /** Under the room's lock: watches the member list from event {@code fromSeq} on, or ({@code false}) stops. */
    void watch(boolean on, long fromSeq) {
        watchFrom = fromSeq;
        watching = on;
        toldCount = -1;
    }

    /** Under the room's lock: the member count this member was told last (-1: none since it stopped watching). */
    int toldCount() {
        return toldCount;
    }

    /** Under the room's lock. */
    void toldCount(int n) {
        toldCount = n;
    }

    /** Under the room's lock: the first seq of a {@code joined} or {@code left} that fan-out brings this member. */
    long presenceFrom() {
        return watching ? Math.max(fanOutFrom, watchFrom) : fanOutFrom;
    }

    /** Under the room's lock: the first seq fan-out brings this member. */
    long fanOutFrom() {
        return fanOutFrom;
    }

    /** A resuming member, just admitted: sends it what it missed (from the history file), then makes it live. */
    void catchUp() {
        if (!live) {
            host.room().catchUp(this, catchUpFrom);
        }
    }

    /** Called under the room's lock: this member resumes and must first be sent events from {@code seq} on. */
    void catchUpFrom(long seq) {
        live = false;
        catchUpFrom = seq;
    }

    void start() {
        Thread writer = socket.startWriter(host::untrack);
        host.track(writer);
        writer.start();
        Thread reader = Thread.ofVirtual().name(socket.name() + "-reader").unstarted(this::run);
        host.track(reader);
        reader.start();
    }

    /**
     * Queues an encoded frame for this member without waiting. A full queue means the member
     * stopped reading: it is cut, never waited for. A connection that is already closing (it
     * ended, and its leave is on the way) just misses the frame.
     */
    void deliver(byte[] frame) {
        if (!socket.offer(frame) && !socket.isClosed()) {
            cutSlowConsumer();
        }
    }

    /** Called under the room's lock when this member's queue is full: cut it, never wait for it. */
    void cutSlowConsumer() {
        if (cutReason == null) {
            cutReason = Reasons.SLOW_CONSUMER;
            host.listener()
                    .peerError(
                            remote, ErrorCode.SLOW_CONSUMER.wire(), "cut off: stopped reading (outbound queue full)");
            socket.closeNow();
        }
    }

    /**
     * The handshake is over for {@code nick}: true if the deadline had not passed (then it never
     * will), false if it had (the connection is being closed; do not admit).
     */
    boolean claimHandshake(String nick) {
        if (!handshakeOpen.compareAndSet(true, false)) {
            return false;
        }
        this.nick = nick;
        return true;
    }

    /** Admitted: from now on the connection is a member's, under the idle timeout. */
    void admitted() throws IOException {
        joined = true;
        socket.socket().setSoTimeout((int) host.config().idleTimeout().toMillis());
        host.listener().joined(nick, remote);
    }

    /** A handler ends the connection in order, with one of the {@link Reasons}; returns the null it then returns. */
    Handler end(String reason) {
        endReason = reason;
        return null;
    }

    /** Sends a reject and closes (after it is written, bounded). */
    void reject(ErrorCode code, String reason) {
        socket.closeAfter(new Message.Reject(code, reason), 1000);
    }

    /**
     * The read loop's thread. The reason given to {@link RoomHost#ended} (and so to every member in
     * the {@code left} event) is always one of the host's own texts ({@link Reasons}, listed in
     * docs/protocol.md §5.6), never anything the peer sent. The member is gone for the room first,
     * then its connection is closed (after the last frame for it, bounded).
     */
    private void run() {
        String reason = Reasons.LOST;
        Message last = null;
        try {
            socket.socket().setSoTimeout((int) host.config().handshakeTimeout().toMillis());
            reason = loop(new Handshake(this));
        } catch (SocketTimeoutException e) {
            reason = joined ? Reasons.TIMED_OUT : Reasons.NO_HELLO;
            last = failure(
                    joined ? ErrorCode.IDLE_TIMEOUT : ErrorCode.HANDSHAKE_TIMEOUT,
                    joined
                            ? "Nothing heard from you within "
                                    + host.config().idleTimeout().toSeconds() + " s."
                            : handshakeTimeoutText());
        } catch (ProtocolException e) {
            reason = Reasons.protocolError(e.code());
            last = failure(e.code(), e.getMessage());
        } catch (SSLException e) {
            reason = joined ? Reasons.LOST : Reasons.TLS_FAILED;
            if (!joined && !timedOut) {
                host.listener()
                        .peerError(
                                remote,
                                "tls",
                                "TLS handshake failed (" + e.getMessage()
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
                socket.closeAfter(last, 1000);
            } else {
                // the host's close tells and closes the members it still had; one that ended just before
                // (no longer among them) is closed here, or its writer would wait for a frame forever
                socket.closeNow();
            }
            host.untrack(Thread.currentThread());
        }
    }

    /** Reads frames and hands each to the current handler; returns the reason when the connection ends in order. */
    private String loop(Handler first) throws IOException, ProtocolException {
        Handler handler = first;
        try {
            while (true) {
                Frame frame = socket.readFrame();
                if (frame == null) {
                    return joined ? Reasons.CLOSED : Reasons.CLOSED_BEFORE_JOINING;
                }
                Handler next = frame.kind() == Frame.Kind.BINARY
                        ? handler.binary(this, frame.payload())
                        : handler.handle(JsonCodec.decode(frame));
                if (next != handler) {
                    handler.ended();
                }
                handler = next;
                if (handler == null) {
                    return endReason;
                }
            }
        } finally {
            if (handler != null) {
                handler.ended();
            }
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
        if (socket.socket() instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
            socket.closeNow(); // still inside the TLS handshake: no frame can be sent yet
        } else {
            socket.closeAfter(new Message.Error(ErrorCode.HANDSHAKE_TIMEOUT, handshakeTimeoutText(), true), 1000);
        }
    }

    private Message.Error failure(ErrorCode code, String text) {
        host.listener().peerError(remote, code.wire(), text);
        return new Message.Error(code, text, true);
    }

    /** The reasons a connection ends with (the {@code left} event's reason): the host's own words, documented in §5.6. */
    static final class Reasons {
        static final String LEFT = "left";
        static final String CLOSED = "connection closed";
        static final String LOST = "connection lost";
        static final String TIMED_OUT = "timed out";
        static final String SLOW_CONSUMER = "stopped reading";
        static final String INTERNAL = "internal error";
        static final String ROOM_CLOSED = "room closed";
        /** A moderator removed the member (the moderation event says who and why). */
        static final String REMOVED = "removed";
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

        private Reasons() {}
    }
}
