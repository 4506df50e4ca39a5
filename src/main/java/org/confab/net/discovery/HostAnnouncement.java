package org.confab.net.discovery;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.confab.net.RoomHost;
import org.confab.protocol.Message;

/**
 * A running {@link RoomHost} announced on the LAN ({@link Announcer}), its member count kept up to
 * date: looked at every {@link #MEMBER_CHECK_MS} ms and re-announced only when it changed (so at
 * most one TXT update per interval however many join or leave). {@link #close} before or after
 * the host closes; it sends the goodbyes.
 */
public final class HostAnnouncement implements AutoCloseable {
    static final long MEMBER_CHECK_MS = 1000;
    /** How often the interfaces are looked at again (a network that comes up later is announced on). */
    static final long RESCAN_MS = 2000;

    private final RoomHost host;
    private final Announcer announcer;
    private final ScheduledExecutorService timer;
    private RoomAd ad;

    private HostAnnouncement(RoomHost host, RoomAd ad, Announcer announcer) {
        this.host = host;
        this.ad = ad;
        this.announcer = announcer;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("confab-announce-" + host.port())
                .daemon(true)
                .factory());
        if (Discovery.allowed()) {
            timer.scheduleWithFixedDelay(this::checkMembers, MEMBER_CHECK_MS, MEMBER_CHECK_MS, TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(announcer::refresh, RESCAN_MS, RESCAN_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Announces a started host.
     *
     * @param hostNick the host person's nickname when they are a member, or null
     */
    public static HostAnnouncement start(RoomHost host, String hostNick) {
        RoomAd ad = adOf(host, hostNick);
        return new HostAnnouncement(
                host, ad, Announcer.start(ad, host.port(), host.config().bindAddress()));
    }

    /** What announcing {@code host} says now (its name, id, key, password flag, members, the nickname). */
    public static RoomAd adOf(RoomHost host, String hostNick) {
        return new RoomAd(
                Message.VERSION,
                host.roomName(),
                host.roomId(),
                host.fingerprint(),
                host.security().password() != null,
                host.members().size(),
                hostNick);
    }

    private synchronized void checkMembers() {
        if (!host.isRunning()) {
            return;
        }
        int n = host.members().size();
        if (n != ad.members()) {
            ad = ad.withMembers(n);
            announcer.update(ad);
        }
    }

    /** What is announced now (the member count as last re-announced). */
    public synchronized RoomAd ad() {
        return ad;
    }

    /** The interfaces announced on (empty: not announced, e.g. discovery is off or no network). */
    public List<String> interfaces() {
        return announcer.interfaces();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        announcer.close();
    }
}
