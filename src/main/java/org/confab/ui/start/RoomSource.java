package org.confab.ui.start;

import org.confab.net.discovery.Discovery;
import org.confab.net.discovery.RoomBrowser;
import org.confab.net.discovery.RoomBrowserListener;

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

    /** The rooms announced on the local network (mDNS/DNS-SD), or none when discovery is off. */
    static RoomSource lan() {
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
