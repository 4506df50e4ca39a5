package org.confab.ui.host;

import java.util.concurrent.atomic.AtomicInteger;
import org.confab.net.RoomHost;
import org.confab.net.discovery.HostAnnouncement;

/**
 * Announcing as the window does with discovery on, for tests and the screenshot tour: the dialog
 * offers the checkbox and the room says it is announced, but {@link HostAnnouncement} still obeys
 * the JVM's switch (off in every test), so nothing multicasts. Counts the rooms it announced.
 */
public final class QuietAnnouncing implements LanAnnouncement.Factory {
    private final AtomicInteger started = new AtomicInteger();

    @Override
    public String whyOff() {
        return null;
    }

    @Override
    public LanAnnouncement start(RoomHost host, String nick) {
        started.incrementAndGet();
        return LanAnnouncement.start(host, nick, null, () -> HostAnnouncement.start(host, nick));
    }

    public int started() {
        return started.get();
    }
}
