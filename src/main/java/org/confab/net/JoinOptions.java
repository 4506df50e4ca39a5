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
 * @param pinSource  where the pinned key came from, so a mismatch is told in the right words
 */
public record JoinOptions(
        boolean insecure,
        Fingerprint pinned,
        KnownRooms knownRooms,
        boolean trustNew,
        String password,
        PinSource pinSource) {
    /** Where a pinned key came from. */
    public enum PinSource {
        /** An invite link named it. */
        LINK,
        /** The person gave it (the terminal client's --fp). */
        GIVEN,
        /** This room showed it before: a confirmed safety code, an earlier visit, the first join of a reconnecting connection. */
        SEEN
    }

    /** Encrypted, nothing pinned, nothing remembered: an unknown key is reported, never accepted. */
    public static JoinOptions secure() {
        return new JoinOptions(false, null, null, false, null, null);
    }

    /** Encrypted, with this key pinned by an invite link. */
    public static JoinOptions pinned(Fingerprint fp) {
        return secure().withPinned(fp, PinSource.LINK);
    }

    public static JoinOptions insecureTcp() {
        return new JoinOptions(true, null, null, false, null, null);
    }

    /** Pins {@code fp}, which came from {@code source}. */
    public JoinOptions withPinned(Fingerprint fp, PinSource source) {
        return new JoinOptions(insecure, fp, knownRooms, trustNew, password, fp == null ? null : source);
    }

    public JoinOptions withKnownRooms(KnownRooms store) {
        return new JoinOptions(insecure, pinned, store, trustNew, password, pinSource);
    }

    public JoinOptions withTrustNew(boolean trust) {
        return new JoinOptions(insecure, pinned, knownRooms, trust, password, pinSource);
    }

    public JoinOptions withPassword(String pw) {
        return new JoinOptions(
                insecure, pinned, knownRooms, trustNew, pw == null || pw.isEmpty() ? null : pw, pinSource);
    }
}
