package org.confab.ui.host;

import java.util.List;
import java.util.function.Supplier;
import org.confab.net.RoomHost;
import org.confab.net.discovery.Discovery;
import org.confab.net.discovery.HostAnnouncement;
import org.confab.net.discovery.RoomAd;

/**
 * A room hosted from the window, announced on the local network as {@code confab host} does
 * ({@link HostAnnouncement}: member count kept up to date, the host's nickname), unless LAN
 * discovery is off ({@link Discovery#allowed()}; then nothing multicasts and {@link #whyOff} says
 * why). The responders start on a thread of their own (JmDNS probes each interface before it
 * answers), so the room opens at once; {@link #close} (idempotent, blocking for the goodbyes: not
 * on the FX thread) ends it, also when it runs before the responders are up.
 */
public final class LanAnnouncement implements AutoCloseable {
    private final RoomHost host;
    private final String nick;
    private final String whyOff;
    private HostAnnouncement announcement;
    private boolean closed;

    private LanAnnouncement(RoomHost host, String nick, String whyOff) {
        this.host = host;
        this.nick = nick;
        this.whyOff = whyOff;
    }

    /** How a hosted room gets announced: the LAN ({@link #lan()}), or a test's or the screenshot tour's. */
    public interface Factory {
        /** Why rooms are not announced (discovery is off), or null if they are. */
        String whyOff();

        /** Starts announcing a running room whose host person is {@code nick}; returns at once. */
        LanAnnouncement start(RoomHost host, String nick);
    }

    /** Announces on the local network, unless the process's discovery switch is off. */
    public static Factory lan() {
        return new Factory() {
            @Override
            public String whyOff() {
                return Discovery.whyOff();
            }

            @Override
            public LanAnnouncement start(RoomHost host, String nick) {
                return LanAnnouncement.start(host, nick, Discovery.whyOff(), () -> HostAnnouncement.start(host, nick));
            }
        };
    }

    /**
     * Starts announcing: unless {@code whyOff} says why not, {@code announce} starts the responders
     * on a thread of its own. ({@link HostAnnouncement} itself still multicasts only when the
     * process's switch allows it.)
     */
    public static LanAnnouncement start(
            RoomHost host, String nick, String whyOff, Supplier<HostAnnouncement> announce) {
        LanAnnouncement a = new LanAnnouncement(host, nick, whyOff);
        if (whyOff == null) {
            Thread.ofVirtual().name("confab-announce-start-" + host.port()).start(() -> a.announced(announce.get()));
        }
        return a;
    }

    private void announced(HostAnnouncement h) {
        boolean late;
        synchronized (this) {
            late = closed;
            if (!late) {
                announcement = h;
            }
        }
        if (late) {
            h.close(); // the room stopped while the responders started
        }
    }

    /** Why the room is not announced (LAN discovery is off), or null when it is. */
    public String whyOff() {
        return whyOff;
    }

    /** What it announces (or would, with discovery off): name, id, key, password flag, members, nickname. */
    public RoomAd ad() {
        HostAnnouncement h;
        synchronized (this) {
            h = announcement;
        }
        return h != null ? h.ad() : HostAnnouncement.adOf(host, nick);
    }

    /** The interfaces announced on so far (empty while starting, with discovery off, or without a network). */
    public List<String> interfaces() {
        HostAnnouncement h;
        synchronized (this) {
            h = announcement;
        }
        return h == null ? List.of() : h.interfaces();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Sends the goodbyes and stops (blocks a moment per interface). */
    @Override
    public void close() {
        HostAnnouncement h;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            h = announcement;
            announcement = null;
        }
        if (h != null) {
            h.close();
        }
    }
}
