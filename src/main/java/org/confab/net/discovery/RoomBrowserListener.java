package org.confab.net.discovery;

import java.util.List;

/** Hears a {@link RoomBrowser}: the whole list each time it changed, on the browser's own thread. */
@FunctionalInterface
public interface RoomBrowserListener {
    void rooms(List<NetworkRoom> rooms);
}
