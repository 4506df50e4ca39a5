package org.confab.ui.start;

import org.confab.core.Addresses;
import org.confab.core.InviteLink;
import org.confab.net.discovery.KeyCheck;
import org.confab.net.discovery.NetworkRoom;

/**
 * One row of "Rooms on your network": what the room announces (cleaned text, never markup), the
 * addresses a click joins (every one the room was heard at, the first in front: the join tries them
 * in parallel with a short stagger) and what this member knows of its key. The link carries no key:
 * an announced key is not a proof, so the join checks the key as a typed address does.
 *
 * @param identity room id and announced key ({@code RoomAd.identity}): the same room across updates
 * @param hostNick the host person's nickname, or null
 * @param members members now, or -1 if not announced
 * @param remembered a room joined before and found by a probe (not announced): its link is the one
 *                   this member kept (key and every address), and it shows as "Remembered"
 */
public record NetworkRoomRow(
        String identity,
        String name,
        String hostNick,
        int members,
        boolean passwordRequired,
        KeyCheck key,
        InviteLink link,
        boolean remembered) {

    /** A row of a room heard announcing itself. */
    public NetworkRoomRow(
            String identity,
            String name,
            String hostNick,
            int members,
            boolean passwordRequired,
            KeyCheck key,
            InviteLink link) {
        this(identity, name, hostNick, members, passwordRequired, key, link, false);
    }

    public static NetworkRoomRow of(NetworkRoom room, KeyCheck key) {
        var ad = room.ad();
        return new NetworkRoomRow(
                ad.identity(),
                ad.roomName(),
                ad.hostNick(),
                ad.members(),
                ad.passwordRequired(),
                key,
                room.remembered() != null
                        ? room.remembered()
                        : InviteLink.of(
                                room.addresses().stream()
                                        .map(a -> new InviteLink.Candidate(Addresses.text(a.getAddress()), a.getPort()))
                                        .toList(),
                                null),
                room.remembered() != null);
    }

    /** "Hosted by alice  ·  3 members  ·  192.168.1.20:4747": who hosts it, how many are in, where. */
    public String detail() {
        StringBuilder b = new StringBuilder();
        if (remembered) {
            b.append("Remembered  ·  "); // joined before, found by a probe: not announced here
        }
        if (hostNick != null) {
            b.append("Hosted by ").append(hostNick).append("  ·  ");
        }
        if (members >= 0) {
            b.append(members).append(members == 1 ? " member" : " members").append("  ·  ");
        }
        return b.append(link.address()).toString();
    }

    /** The key status, in a word or two (the row's badge). */
    public String keyLabel() {
        return switch (key) {
            case NEW -> "New";
            case KNOWN -> "Known";
            case DIFFERS -> "Key changed";
            case UNENCRYPTED -> "Not encrypted";
        };
    }

    /** The key status in a sentence (the badge's tooltip; the warning line for a changed key). */
    public String keyText() {
        return switch (key) {
            case NEW ->
                "You have not joined this room before: you compare its safety code with the host's when" + " joining.";
            case KNOWN -> "The key you trusted before for this room: the same room.";
            case DIFFERS ->
                "Warning: not the key you trusted for this room (" + link.address()
                        + "). It may be another room posing as it; joining asks you first.";
            case UNENCRYPTED -> "This room announces no key: anyone on the network could read and change the chat.";
        };
    }

    /** What a screen reader says for the row. */
    public String accessibleText() {
        return "Join " + name + ". " + detail() + (passwordRequired ? ". Password required" : "") + ". " + keyText();
    }
}
