package org.confab.net.discovery;

import java.util.Optional;
import java.util.function.Function;
import org.confab.core.Addresses;
import org.confab.core.Fingerprint;

/**
 * What this member already knows of an announced room's key (known rooms, by address; and rooms
 * joined before, by room id): the announcement itself proves nothing, so a room is only ever shown
 * as {@link #KNOWN} when a key this member trusted before matches, and as {@link #DIFFERS} (a
 * warning) when the key known for one of its addresses, or for its room id, is another one. The
 * id matters for an impostor that announces a room's id from an address of its own: no key is
 * known for that address, but the room it names was joined before with another key.
 */
public enum KeyCheck {
    /** No key is known for any of its addresses: the join asks to compare the safety code. */
    NEW,
    /** A key trusted before for one of its addresses is the announced one. */
    KNOWN,
    /** The key trusted before for one of its addresses differs from the announced one. */
    DIFFERS,
    /** The room announces no key (no encryption). */
    UNENCRYPTED;

    /** Looks up the key known for a host and port (e.g. {@code KnownRooms::lookup}), and for a room id. */
    @FunctionalInterface
    public interface Known {
        Optional<Fingerprint> lookup(String host, int port);

        /** The key a room with this id was joined with before (none known: empty). */
        default Optional<Fingerprint> lookupRoom(String roomId) {
            return Optional.empty();
        }

        /** These keys by address, and by room id the keys {@code byRoomId} gives (e.g. {@code FavouriteRooms::keyOf}). */
        default Known andRooms(Function<String, Optional<Fingerprint>> byRoomId) {
            Known byAddress = this;
            return new Known() {
                @Override
                public Optional<Fingerprint> lookup(String host, int port) {
                    return byAddress.lookup(host, port);
                }

                @Override
                public Optional<Fingerprint> lookupRoom(String roomId) {
                    Optional<Fingerprint> k = byAddress.lookupRoom(roomId);
                    return k.isPresent() ? k : byRoomId.apply(roomId);
                }
            };
        }
    }

    public static KeyCheck of(NetworkRoom room, Known known) {
        Fingerprint announced = room.ad().fingerprint();
        if (announced == null) {
            return UNENCRYPTED;
        }
        boolean match = false;
        String id = room.ad().roomId();
        Optional<Fingerprint> byId = id == null || id.isBlank() ? Optional.empty() : known.lookupRoom(id);
        if (byId.isPresent()) {
            if (!byId.get().equals(announced)) {
                return DIFFERS;
            }
            match = true;
        }
        for (var a : room.addresses()) {
            Optional<Fingerprint> k = known.lookup(Addresses.text(a.getAddress()), a.getPort());
            if (k.isPresent() && !k.get().equals(announced)) {
                return DIFFERS;
            }
            match |= k.isPresent();
        }
        return match ? KNOWN : NEW;
    }
}
