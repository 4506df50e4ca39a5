package org.confab.net;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.confab.core.FileRef;
import org.confab.core.Room;
import org.confab.core.TokenBucket;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.FileChunk;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * A connection's second phase: a member of the room. Posts (under the sender's rate limit),
 * renames, pings and the orderly leave; a second hello is answered, a host-only type is a
 * protocol error.
 */
final class Member implements Peer.Handler {
    /** Longest client id accepted in a send. */
    static final int MAX_CID_LENGTH = 64;

    private final Peer peer;
    /** The client sent a resume: it speaks the reliability extension (acks, resends after a refusal). */
    private final boolean extended;
    /** The files this member is downloading now. */
    private final Downloads downloads;

    private final TokenBucket sendRate;
    /** Typing signals relayed at most this often per member (the rest are dropped). */
    static final long TYPING_EVERY_NANOS = 2_000_000_000L;
    /** When this member's last typing signal was relayed (nanoTime; far in the past at first). */
    private long lastTyping = System.nanoTime() - TYPING_EVERY_NANOS;
    /** The first send refused for rate (extension clients): later sends are refused until it is retried. */
    private String blockedCid;
    /** With a {@link HostConfig#maxUploadRate}: when the bytes received so far are within the rate (nanoTime). */
    private long uploadClock;

    Member(Peer peer, boolean extended) {
        this.peer = peer;
        this.downloads = new Downloads(peer);
        this.extended = extended;
        var cfg = peer.host().config();
        this.sendRate = new TokenBucket(cfg.ratePerSecond(), cfg.burst());
    }

    @Override
    public Peer.Handler handle(Message m) throws ProtocolException {
        var socket = peer.socket();
        switch (m) {
            case Message.Send send ->
                post(send.text(), send.cid(), send.replyTo(), send.to(), send.file(), send.thumb());
            case Message.FileOffer x -> offer(x);
            case Message.FileGet x -> downloads.get(x);
            case Message.FileAck x -> downloads.acked(x);
            case Message.FileCancel x -> {
                downloads.cancel(x.file());
                files().cancelUpload(uploader(), x.file()); // an upload this member gave up: its part is dropped
            }
            case Message.Edit x -> change(m, x.seq());
            case Message.Delete x -> change(m, x.seq());
            case Message.React x -> change(m, x.seq());
            case Message.SetTopic x -> act(() -> peer.host().room().setTopic(peer, x.text()));
            case Message.Presence x -> {
                if (sendRate.tryTake(System.nanoTime())) { // a flood of status changes is dropped, not an error
                    String problem = peer.host().room().presence(peer, x.status());
                    if (problem != null) {
                        socket.send(new Message.Error(ErrorCode.MESSAGE_INVALID, problem, false));
                    }
                }
            }
            case Message.Read x -> {
                if (x.with() == null) {
                    peer.host().room().read(peer, x.seq());
                } else {
                    peer.host().room().readDirect(peer, x.with(), x.seq());
                }
            }
            case Message.Moderate x -> act(() -> peer.host().room().moderate(peer, x));
            case Message.WatchMembers x -> {
                if (x.watch() && !sendRate.tryTake(System.nanoTime())) { // each answer is the whole list
                    socket.send(new Message.Error(
                            ErrorCode.RATE_LIMITED,
                            "You are asking for the member list too often; try again in a moment.",
                            false,
                            null,
                            sendRate.millisUntilNext(System.nanoTime())));
                } else {
                    peer.host().room().watchMembers(peer, x.watch());
                }
            }
            case Message.Typing _ -> {
                long now = System.nanoTime();
                if (now - lastTyping >= TYPING_EVERY_NANOS) { // at most one relayed per member every 2 s
                    lastTyping = now;
                    peer.host().room().typing(peer);
                }
            }
            case Message.Rename rename -> {
                var result = peer.host().room().rename(peer, rename.nick());
                if (result.event() == null) {
                    var code = result.kind() == Room.JoinRefusal.NICK_TAKEN
                            ? ErrorCode.NICK_TAKEN
                            : ErrorCode.NICK_INVALID;
                    socket.send(new Message.Error(code, result.refusal(), false));
                }
            }
            case Message.Ping ping -> socket.send(new Message.Pong(ping.nonce()));
            case Message.Pong _ -> {}
            case Message.Leave _ -> {
                return peer.end(Peer.Reasons.LEFT);
            }
            case Message.Hello _ -> socket.send(new Message.Error(ErrorCode.UNEXPECTED, "Already joined.", false));
            default ->
                throw new ProtocolException(
                        ErrorCode.UNEXPECTED, "A client may not send \"" + JsonCodec.wireType(m) + "\".");
        }
        return this;
    }

    /**
     * An edit, deletion or reaction: the room's rules decide (its sender, the window, one of each
     * emoji); a refusal is a non-fatal {@code not-allowed} error to this member only. Counts
     * against the sender's rate like a message.
     */
    private void change(Message m, long seq) {
        if (!sendRate.tryTake(System.nanoTime())) {
            peer.socket()
                    .send(new Message.Error(
                            ErrorCode.RATE_LIMITED,
                            "You are changing messages too fast; try again in a moment.",
                            false,
                            null,
                            sendRate.millisUntilNext(System.nanoTime())));
            return;
        }
        String problem = peer.host().room().change(peer, m);
        if (problem != null) {
            peer.socket().send(new Message.Error(ErrorCode.NOT_ALLOWED, problem + " (message " + seq + ")", false));
        }
    }

    /**
     * A topic or a moderator's act: counts against the sender's rate; a refusal is a non-fatal
     * {@code not-allowed} error to this member only.
     */
    private void act(Supplier<String> attempt) {
        if (!sendRate.tryTake(System.nanoTime())) {
            peer.socket()
                    .send(new Message.Error(
                            ErrorCode.RATE_LIMITED,
                            "Too fast; try again in a moment.",
                            false,
                            null,
                            sendRate.millisUntilNext(System.nanoTime())));
            return;
        }
        String problem = attempt.get();
        if (problem != null) {
            peer.socket().send(new Message.Error(ErrorCode.NOT_ALLOWED, problem, false));
        }
    }

    /** An upload offer (§18.1): accepted (with what the host already holds of it) or refused, non-fatally. */
    private void offer(Message.FileOffer o) {
        try {
            peer.socket().send(files().offer(uploader(), peer.nick(), o));
        } catch (HostFiles.Refused r) {
            peer.socket().send(new Message.Error(ErrorCode.FILE_REFUSED, r.getMessage(), false, o.id(), 0));
        }
    }

    /** A chunk of an upload: kept and acknowledged, or refused (the uploader resends or gives up). */
    @Override
    public Peer.Handler binary(Peer p, byte[] payload) throws ProtocolException {
        FileChunk c = FileChunk.decode(payload);
        if (c.op() != FileChunk.UPLOAD) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "A client sends upload chunks (operation 1) only.");
        }
        Message.FileAck ack;
        try {
            ack = new Message.FileAck(c.file(), files().chunk(uploader(), c));
        } catch (HostFiles.Refused r) {
            peer.socket().send(new Message.Error(ErrorCode.FILE_REFUSED, r.getMessage(), false, c.file(), 0));
            return this;
        }
        long rate = peer.host().config().maxUploadRate();
        long now = System.nanoTime();
        long wait = 0;
        if (rate > 0) {
            // the ack leaves when this connection's uploads are within the rate: the sender's window does the rest
            uploadClock = Math.max(uploadClock, now) + (long) (c.data().length * 1e9 / rate);
            wait = uploadClock - now;
        }
        if (wait <= 0) {
            peer.socket().send(ack);
        } else {
            var socket = peer.socket();
            try {
                peer.host().timer().schedule(() -> socket.send(ack), wait, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the host is stopping: no ack is needed any more
            }
        }
        return this;
    }

    @Override
    public void ended() {
        downloads.close();
    }

    private HostFiles files() {
        return peer.host().room().files();
    }

    private String uploader() {
        return HostFiles.identity(peer.memberKey(), peer.nick());
    }

    private void post(String text, String cid, long replyTo, String to, String fileId, String thumb) {
        var socket = peer.socket();
        FileRef file = null;
        if (fileId != null) {
            try {
                file = files().shareable(fileId, uploader(), to);
            } catch (HostFiles.Refused r) {
                socket.send(new Message.Error(ErrorCode.FILE_REFUSED, r.getMessage(), false, cid, 0));
                return;
            }
            if (thumb != null) {
                // the host checks the preview's size and alphabet only: members decode it within their own bounds
                if (!file.image() || !FileRef.validThumb(thumb)) {
                    String why = "A preview goes with an image only, at most " + FileRef.MAX_THUMB / 1024
                            + " KiB of base64url.";
                    socket.send(new Message.Error(ErrorCode.FILE_REFUSED, why, false, cid, 0));
                    return;
                }
                file = file.withThumb(thumb);
            }
            if (text.isBlank()) {
                text = file.fileName();
            }
        }
        if (text.isBlank()) {
            refuse("Empty message not sent.", cid);
            return;
        }
        if (text.length() > Room.MAX_MESSAGE_LENGTH) {
            refuse(
                    "Message too long (" + text.length() + " characters; the limit is " + Room.MAX_MESSAGE_LENGTH
                            + ").",
                    cid);
            return;
        }
        if (cid != null && cid.length() > MAX_CID_LENGTH) {
            refuse("Client id longer than " + MAX_CID_LENGTH + " characters; message not sent.", null);
            return;
        }
        // one lock and one look-up of the cid: a retry of something posted is acked and costs no token
        var result = peer.host()
                .room()
                .post(
                        peer,
                        text,
                        cid,
                        replyTo,
                        to,
                        file,
                        extended,
                        () -> (blockedCid == null || blockedCid.equals(cid)) && sendRate.tryTake(System.nanoTime()));
        switch (result) {
            case POSTED, NOT_SAVED -> blockedCid = null;
            case REFUSED -> {
                if (blockedCid == null && extended && cid != null) {
                    // keep this member's order: nothing after the refused message is taken until it comes again
                    blockedCid = cid;
                }
                var cfg = peer.host().config();
                socket.send(new Message.Error(
                        ErrorCode.RATE_LIMITED,
                        "You are sending too fast (at most "
                                + cfg.ratePerSecond() + " messages per second, " + cfg.burst()
                                + " at once). This message was not posted"
                                + (extended ? "; it will be sent again shortly." : "; send it again in a moment."),
                        false,
                        cid,
                        sendRate.millisUntilNext(System.nanoTime())));
            }
            case ALREADY_POSTED, NOT_A_MEMBER, NOT_ALLOWED -> {}
        }
    }

    /** A message refused for good (message-invalid): the sender is told, with its client id. */
    private void refuse(String text, String cid) {
        peer.socket().send(new Message.Error(ErrorCode.MESSAGE_INVALID, text, false, cid, 0));
    }
}
