package org.confab.net.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

/**
 * Browses the LAN for {@code _confab._tcp} rooms with one JmDNS instance per interface and keeps
 * the de-duplicated list ({@link NetworkRooms}). The listener hears the whole list after each
 * change, at most once per {@link #MIN_INTERVAL_MS} (changes in between are coalesced), on the
 * browser's one thread {@code confab-discovery}; a flood of announcements costs one list per
 * interval, bounded in size. When discovery is off ({@link Discovery#allowed()}) it browses
 * nothing and the list stays empty.
 */
public final class RoomBrowser implements AutoCloseable {
    static final long MIN_INTERVAL_MS = 200;

    private final RoomBrowserListener listener;
    private final NetworkRooms rooms = new NetworkRooms();
    private final ScheduledExecutorService thread;
    private final List<JmDNS> responders = new ArrayList<>();
    private final List<String> interfaceNames = new ArrayList<>();
    private boolean flushPending;
    private boolean closed;
    private long lastFlush;
    private List<NetworkRoom> last = List.of();

    private RoomBrowser(RoomBrowserListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("confab-discovery").daemon(true).factory());
    }

    /** Starts browsing on every chosen interface ({@link MdnsInterfaces}); returns at once. */
    public static RoomBrowser start(RoomBrowserListener listener) {
        RoomBrowser b = new RoomBrowser(listener);
        if (Discovery.allowed()) {
            b.thread.execute(b::openResponders);
        }
        return b;
    }

    private void openResponders() {
        int i = 0;
        for (MdnsInterfaces.Choice c : MdnsInterfaces.choose(null)) {
            String prefix = (i++) + "|";
            JmDNS j = null;
            try {
                j = JmDNS.create(c.address(), "confab-browser-" + i);
                synchronized (this) {
                    if (closed) {
                        Announcer.closeQuietly(j);
                        return;
                    }
                    responders.add(j);
                    interfaceNames.add(c.interfaceName());
                }
                j.addServiceListener(Discovery.SERVICE_TYPE, new Heard(j, prefix));
            } catch (IOException | RuntimeException e) {
                Announcer.closeQuietly(j);
            }
        }
    }

    /** The interfaces browsed (filled in shortly after start). */
    public synchronized List<String> interfaces() {
        return List.copyOf(interfaceNames);
    }

    /** The rooms as last told to the listener. */
    public synchronized List<NetworkRoom> rooms() {
        return last;
    }

    private final class Heard implements ServiceListener {
        private final JmDNS jmdns;
        private final String prefix;

        Heard(JmDNS jmdns, String prefix) {
            this.jmdns = jmdns;
            this.prefix = prefix;
        }

        @Override
        public void serviceAdded(ServiceEvent event) {
            try {
                jmdns.requestServiceInfo(event.getType(), event.getName(), 1000);
            } catch (RuntimeException e) {
                // a name JmDNS cannot ask about: ignored
            }
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            changed(() -> rooms.remove(key(event)));
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            ServiceInfo info = event.getInfo();
            if (info == null) {
                return;
            }
            String key = key(event);
            try {
                var ad = RoomAd.parse(info.getTextBytes());
                if (ad.isEmpty()) {
                    changed(() -> rooms.remove(key));
                    return;
                }
                List<InetSocketAddress> addrs = new ArrayList<>();
                for (InetAddress a : info.getInetAddresses()) {
                    addrs.add(new InetSocketAddress(a, info.getPort()));
                }
                var sighting = new NetworkRooms.Sighting(ad.get(), addrs);
                changed(() -> rooms.put(key, sighting));
            } catch (RuntimeException e) {
                // a record JmDNS could not make sense of: ignored
            }
        }

        private String key(ServiceEvent event) {
            return prefix + String.valueOf(event.getName()).toLowerCase(Locale.ROOT);
        }
    }

    private interface Change {
        boolean apply();
    }

    /** Applies a change under the lock and, if it changed the list, schedules one coalesced report. */
    private void changed(Change c) {
        synchronized (this) {
            if (closed || !c.apply() || flushPending) {
                return;
            }
            flushPending = true;
            long wait = Math.max(0, lastFlush + MIN_INTERVAL_MS - System.currentTimeMillis());
            try {
                thread.schedule(this::flush, wait, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                flushPending = false; // shutting down
            }
        }
    }

    private void flush() {
        List<NetworkRoom> now;
        synchronized (this) {
            flushPending = false;
            if (closed) {
                return;
            }
            lastFlush = System.currentTimeMillis();
            now = rooms.rooms();
            if (now.equals(last)) {
                return;
            }
            last = now;
        }
        try {
            listener.rooms(now);
        } catch (RuntimeException e) {
            // a listener's bug must not end browsing
        }
    }

    /** Stops browsing and closes every responder (waits for them, a few hundred ms at most each). */
    @Override
    public void close() {
        List<JmDNS> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = List.copyOf(responders);
            responders.clear();
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (JmDNS j : toClose) {
            Announcer.closeQuietly(j);
        }
    }
}
