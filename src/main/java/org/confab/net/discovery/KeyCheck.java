package org.confab.net.discovery;

import java.util.Optional;
import org.confab.core.Addresses;
import org.confab.core.Fingerprint;

/**
 * What this member already knows of an announced room's key (known rooms, by address): the
 * announcement itself proves nothing, so a room is only ever shown as {@link #KNOWN} when a key
 * this member trusted before matches, and as {@link #DIFFERS} (a warning) when the key known for
 * one of its addresses is another one.
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

    /** Looks up the key known for a host and port (e.g. {@code KnownRooms::lookup}). */
    @FunctionalInterface
    public interface Known {
        Optional<Fingerprint> lookup(String host, int port);
    }

    public static KeyCheck of(NetworkRoom room, Known known) {
        Fingerprint announced = room.ad().fingerprint();
        if (announced == null) {
            return UNENCRYPTED;
        }
        boolean match = false;
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
