package org.confab.net;

import java.io.IOException;
import org.confab.net.auth.Scram;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * A connection's first phase: the room password (SCRAM: auth-start, then auth-finish) where
 * the room has one, then the hello, answered by a welcome (the {@link Member} phase follows) or a
 * reject. Anything else is a protocol error.
 */
final class Handshake implements Peer.Handler {
    private final Peer peer;
    private Scram.Server scram;
    private boolean authenticated;

    Handshake(Peer peer) {
        this.peer = peer;
    }

    @Override
    public Peer.Handler handle(Message m) throws IOException, ProtocolException {
        return switch (m) {
            case Message.AuthStart _, Message.AuthFinish _ -> authenticate(m) ? this : peer.end(Peer.Reasons.PASSWORD);
            case Message.Hello hello -> hello(hello);
            default -> throw new ProtocolException(ErrorCode.UNEXPECTED, "The first message must be a hello.");
        };
    }

    private Peer.Handler hello(Message.Hello hello) throws IOException {
        var host = peer.host();
        if (host.security().password() != null && !authenticated) {
            peer.reject(ErrorCode.PASSWORD_REQUIRED, "This room needs a password.");
            return peer.end(Peer.Reasons.PASSWORD);
        }
        if (hello.version() != Message.VERSION) {
            peer.reject(
                    ErrorCode.UNSUPPORTED_VERSION,
                    "This room speaks Confab protocol version " + Message.VERSION + "; your client speaks version "
                            + hello.version() + ". Update Confab on the older side.");
            return peer.end(Peer.Reasons.REJECTED);
        }
        if (!peer.claimHandshake(hello.nick())) {
            return peer.end(Peer.Reasons.NO_HELLO); // the handshake deadline passed meanwhile
        }
        peer.caps(hello.caps());
        peer.identity(hello.key(), host.isOwnerToken(hello.owner()));
        var result = host.room().admit(peer, hello.nick(), hello.resume());
        if (!result.accepted()) {
            ErrorCode code = result.refusal() == null
                    ? ErrorCode.ROOM_CLOSED
                    : switch (result.refusal()) {
                        case NICK_TAKEN -> ErrorCode.NICK_TAKEN;
                        case NICK_INVALID -> ErrorCode.NICK_INVALID;
                        case ROOM_FULL -> ErrorCode.ROOM_FULL;
                        case BANNED -> ErrorCode.BANNED;
                    };
            peer.reject(code, result.reason());
            return peer.end(Peer.Reasons.REJECTED);
        }
        peer.admitted();
        peer.catchUp();
        return new Member(peer, hello.resume() != null);
    }

    /**
     * One step of the SCRAM exchange (auth-start, then auth-finish). Returns false when the
     * connection must end (wrong password, throttled, no password set).
     */
    private boolean authenticate(Message m) throws ProtocolException {
        var security = peer.host().security();
        if (security.password() == null || !security.encrypted()) {
            peer.reject(
                    ErrorCode.UNEXPECTED,
                    security.encrypted()
                            ? "This room has no password; join without one."
                            : "Passwords need an encrypted room; this one runs without TLS.");
            return false;
        }
        var wait = security.throttle().waitFor(peer.address());
        if (!wait.isZero()) {
            peer.reject(
                    ErrorCode.AUTH_THROTTLED,
                    "Too many wrong passwords from your address. Try again in " + Math.max(1, wait.toSeconds())
                            + " s.");
            return false;
        }
        try {
            switch (m) {
                case Message.AuthStart start
                when scram == null -> {
                    if (!Scram.MECHANISM.equals(start.mechanism())) {
                        peer.reject(
                                ErrorCode.BAD_PASSWORD,
                                "Unsupported password mechanism " + start.mechanism() + "; this room uses "
                                        + Scram.MECHANISM + ".");
                        return false;
                    }
                    scram = new Scram.Server(
                            security.password(), security.fingerprint().bytes());
                    peer.socket().send(new Message.Challenge(scram.first(start.clientFirst())));
                    return true;
                }
                case Message.AuthFinish finish
                when scram != null && !authenticated -> {
                    String serverFinal = scram.verify(finish.clientFinal());
                    authenticated = true;
                    security.throttle().succeeded(peer.address());
                    peer.socket().send(new Message.AuthOk(serverFinal));
                    return true;
                }
                default -> throw new ProtocolException(ErrorCode.UNEXPECTED, "Password exchange out of order.");
            }
        } catch (Scram.AuthFailed e) {
            security.throttle().failed(peer.address());
            peer.host().listener().peerError(peer.remote(), ErrorCode.BAD_PASSWORD.wire(), e.getMessage());
            peer.reject(ErrorCode.BAD_PASSWORD, e.getMessage());
            return false;
        }
    }
}
