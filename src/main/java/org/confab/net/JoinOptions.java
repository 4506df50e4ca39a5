package org.confab.net;

import org.confab.core.Fingerprint;
import org.confab.store.KnownRooms;

/**
 * How a client checks the room it joins.
 *
 * @param insecure   plain TCP, no TLS (only by explicit choice; the UI shows it)
 * @param pinned     the room key from an invite link; joins without a question if it matches,
 *                   refuses if it does not
 * @param knownRooms the trust-on-first-use store (null = remember nothing)
 * @param trustNew   accept an unknown room's key without asking and remember it (the user
 *                   confirmed the safety code, or a script said --trust-new)
 * @param password   the room password, or null
 */
public record JoinOptions(boolean insecure, Fingerprint pinned, KnownRooms knownRooms, boolean trustNew, String password) {
    /** Encrypted, nothing pinned, nothing remembered: an unknown key is reported, never accepted. */
    public static JoinOptions secure() {
        return new JoinOptions(false, null, null, false, null);
    }

    /** Encrypted, with this key pinned (an invite link). */
    public static JoinOptions pinned(Fingerprint fp) {
        return new JoinOptions(false, fp, null, false, null);
    }

    public static JoinOptions insecureTcp() {
        return new JoinOptions(true, null, null, false, null);
    }

    public JoinOptions withPinned(Fingerprint fp) {
        return new JoinOptions(insecure, fp, knownRooms, trustNew, password);
    }

    public JoinOptions withKnownRooms(KnownRooms store) {
        return new JoinOptions(insecure, pinned, store, trustNew, password);
    }

    public JoinOptions withTrustNew(boolean trust) {
        return new JoinOptions(insecure, pinned, knownRooms, trust, password);
    }

    public JoinOptions withPassword(String pw) {
        return new JoinOptions(insecure, pinned, knownRooms, trustNew, pw == null || pw.isEmpty() ? null : pw);
    }

    public JoinOptions withInsecure(boolean plain) {
        return new JoinOptions(plain, pinned, knownRooms, trustNew, password);
    }
}
