package org.confab.net;

import java.time.Duration;
import java.util.Optional;
import org.confab.core.InviteLink;
import org.confab.core.InviteLink.Candidate;

/**
 * Is a remembered room there? The join's own first step, and nothing more: its addresses raced
 * ({@link HappyEyeballs}), TCP and TLS with the room's key pinned, then closed before a single
 * frame is sent (the host sees a connection that ended before its hello). Cheap enough to run now
 * and then in the background; an address that shows another key does not count.
 */
public final class RoomProbe {
    private RoomProbe() {}

    /** The address at which the room showed its key, or empty (not there, another key, no key in the link). */
    public static Optional<Candidate> reach(InviteLink link, Duration timeout) {
        if (link.fingerprint() == null) {
            return Optional.empty();
        }
        JoinOptions pinned = JoinOptions.pinned(link.fingerprint());
        try {
            RoomLink.Secured s = HappyEyeballs.race(
                    link.candidates(),
                    HappyEyeballs.ATTEMPT_DELAY,
                    (c, raw) -> RoomLink.secure(c, raw, pinned, link.fingerprint(), timeout));
            FramedSocket.closeQuietly(s.socket());
            FramedSocket.closeQuietly(s.raw());
            return Optional.of(s.candidate());
        } catch (JoinException e) {
            return Optional.empty();
        }
    }
}
