package org.confab.net;

import java.time.Duration;
import org.confab.core.Addresses;
import org.confab.core.Fingerprint;
import org.confab.core.RoomEvent;

/**
 * Whether a room's port answers from this machine (the diagnostics, {@code confab doctor --host}):
 * the same connect and TLS handshake a join does ({@link RoomLink#connect}), stopped once the room
 * has shown its key, before anything of ours (not even a nickname) is sent. Nothing is trusted or
 * remembered.
 */
public final class Reachability {
    /** How far the check got. */
    public enum Outcome {
        /** TCP connected and the TLS handshake finished: {@link Result#key()} is the room's key. */
        REACHABLE,
        /** TCP connected, but the program there does not speak TLS (an --insecure room, or not Confab). */
        NOT_ENCRYPTED,
        /** Connection refused: the machine answered, nothing listens on that port. */
        NOTHING_LISTENS,
        /** No answer within the timeout (off, another network, or a firewall dropping it). */
        TIMEOUT,
        /** The name does not resolve, or there is no route to it. */
        UNREACHABLE,
        /** Something answered but the check failed otherwise (its words in {@link Result#message()}). */
        FAILED
    }

    /**
     * @param key the key the room showed (REACHABLE only), else null
     * @param message what happened, one plain sentence
     */
    public record Result(String address, Outcome outcome, Fingerprint key, String message, Duration took) {}

    /** The link never gets this far (the key is never accepted); were it to, its events go nowhere. */
    private static final LinkListener NOBODY = new LinkListener() {
        @Override
        public void event(RoomEvent event) {}

        @Override
        public void disconnected(Disconnect why) {}
    };

    private Reachability() {}

    public static Result check(String host, int port, Duration timeout) {
        String address = Addresses.hostPort(host, port);
        long start = System.nanoTime();
        try {
            // secure(): nothing pinned, nothing known, an unknown key is not accepted, so the join
            // stops right after the handshake with UNKNOWN_KEY and the key the room presented
            RoomLink link = RoomLink.connect(host, port, "doctor", JoinOptions.secure(), timeout, timeout, NOBODY);
            link.close();
            return result(address, Outcome.FAILED, null, "Joined " + address + " unexpectedly.", start);
        } catch (JoinException e) {
            return switch (e.reason()) {
                case UNKNOWN_KEY ->
                    result(
                            address,
                            Outcome.REACHABLE,
                            e.presented(),
                            "A Confab room answers at " + address + " (encrypted).",
                            start);
                case NOT_ENCRYPTED -> result(address, Outcome.NOT_ENCRYPTED, null, e.getMessage(), start);
                case REFUSED ->
                    result(
                            address,
                            Outcome.NOTHING_LISTENS,
                            null,
                            "Nothing listens at " + address
                                    + ": the machine answered but refused the connection. Is the room still open,"
                                    + " and is this its port?",
                            start);
                case TIMEOUT -> result(address, Outcome.TIMEOUT, null, e.getMessage(), start);
                case UNKNOWN_HOST, UNREACHABLE -> result(address, Outcome.UNREACHABLE, null, e.getMessage(), start);
                default -> result(address, Outcome.FAILED, null, e.getMessage(), start);
            };
        }
    }

    private static Result result(String address, Outcome o, Fingerprint key, String message, long start) {
        return new Result(address, o, key, message, Duration.ofNanos(System.nanoTime() - start));
    }
}
