package org.confab.ui.start;

import java.time.Duration;
import org.confab.net.RoomProbe;
import org.confab.net.discovery.Discovery;
import org.confab.net.discovery.RoomBrowser;
import org.confab.net.discovery.RoomBrowserListener;
import org.confab.store.FavouriteRooms;

/**
 * Where the start screen's "Rooms on your network" come from: the LAN ({@link #lan()}: a
 * {@link RoomBrowser}, unless discovery is off), or a test's or the screenshot tour's own list, so
 * no test multicasts.
 */
public interface RoomSource {
    /** Why there is nothing to browse (discovery is off), in words, or null if {@link #browse} may run. */
    String whyOff();

    /**
     * Starts hearing rooms: the listener gets the whole list after each change, on a thread of the
     * source's own. Returns at once; closing it stops (and may block a moment: not on the FX thread).
     */
    AutoCloseable browse(RoomBrowserListener listener);

    /**
     * The rooms announced on the local network (mDNS/DNS-SD), and the rooms joined before that a
     * probe finds ({@link FavouriteRooms}: listed even where multicast does not pass, as
     * remembered); none when discovery is off.
     */
    static RoomSource lan() {
        FavouriteRooms favourites = FavouriteRooms.standard();
        return new RememberedRooms(
                announced(), favourites::list, l -> RoomProbe.reach(l, PROBE_TIMEOUT), RememberedRooms.EVERY);
    }

    /** How long a probe of a remembered room waits for each address. */
    Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    /** The rooms announced on the local network (mDNS/DNS-SD) only. */
    static RoomSource announced() {
        return new RoomSource() {
            @Override
            public String whyOff() {
                return Discovery.whyOff();
            }

            @Override
            public AutoCloseable browse(RoomBrowserListener listener) {
                return RoomBrowser.start(listener);
            }
        };
    }
}
