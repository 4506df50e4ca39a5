package org.confab.net;

import org.confab.core.Fingerprint;
import org.confab.core.MemberIdentity;
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
 * @param identity   who this app is to rooms (its member key per room); null: none is sent, the
 *                   room knows the member by nickname only (cannot be a moderator)
 * @param ownerToken the secret a host gives its own member to be recognised as the host, or null
 */
public record JoinOptions(
        boolean insecure,
        Fingerprint pinned,
        KnownRooms knownRooms,
        boolean trustNew,
        String password,
        PinSource pinSource,
        MemberIdentity identity,
        String ownerToken) {
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
        return new JoinOptions(false, null, null, false, null, null, null, null);
    }

    /** Encrypted, with this key pinned by an invite link. */
    public static JoinOptions pinned(Fingerprint fp) {
        return secure().withPinned(fp, PinSource.LINK);
    }

    public static JoinOptions insecureTcp() {
        return new JoinOptions(true, null, null, false, null, null, null, null);
    }

    /** Pins {@code fp}, which came from {@code source}. */
    public JoinOptions withPinned(Fingerprint fp, PinSource source) {
        return new JoinOptions(
                insecure, fp, knownRooms, trustNew, password, fp == null ? null : source, identity, ownerToken);
    }

    public JoinOptions withKnownRooms(KnownRooms store) {
        return new JoinOptions(insecure, pinned, store, trustNew, password, pinSource, identity, ownerToken);
    }

    public JoinOptions withTrustNew(boolean trust) {
        return new JoinOptions(insecure, pinned, knownRooms, trust, password, pinSource, identity, ownerToken);
    }

    public JoinOptions withPassword(String pw) {
        return new JoinOptions(
                insecure,
                pinned,
                knownRooms,
                trustNew,
                pw == null || pw.isEmpty() ? null : pw,
                pinSource,
                identity,
                ownerToken);
    }

    /** Sends this app's member key for the room ({@link MemberIdentity#keyFor}). */
    public JoinOptions withIdentity(MemberIdentity id) {
        return new JoinOptions(insecure, pinned, knownRooms, trustNew, password, pinSource, id, ownerToken);
    }

    /** Proves to the host that this member is the host itself ({@code RoomHost#ownerToken}). */
    public JoinOptions withOwnerToken(String token) {
        return new JoinOptions(insecure, pinned, knownRooms, trustNew, password, pinSource, identity, token);
    }
}
