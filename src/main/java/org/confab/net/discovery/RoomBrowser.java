package org.confab.net.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
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
 * interval, bounded in size. A service heard by name only is asked about off JmDNS's event
 * thread ({@link Resolutions}), so names that never resolve hold no other event back. When
 * discovery is off ({@link Discovery#allowed()}) it browses nothing and the list stays empty.
 */
public final class RoomBrowser implements AutoCloseable {
    static final long MIN_INTERVAL_MS = 200;
    static final long RESCAN_MS = 2000;
    /** How long a goodbye waits for the same service to be announced again before the room goes. */
    static final long REMOVAL_GRACE_MS = 2500;
    /**
     * How long a request for a service's details waits on its resolver thread (JmDNS waits at
     * least 200 ms; its own resolver goes on asking, and the answer arrives as an event anyway).
     */
    static final long RESOLVE_WAIT_MS = 200;
    /** Threads asking for services' details ({@link Resolutions}). */
    static final int RESOLVE_THREADS = 2;
    /** Names that may wait for a resolver thread; under a flood the oldest are dropped. */
    static final int RESOLVE_WAITING = 64;

    private final RoomBrowserListener listener;
    private final NetworkRooms rooms = new NetworkRooms();
    private final ScheduledExecutorService thread;
    private final Resolutions resolutions = new Resolutions(RESOLVE_THREADS, RESOLVE_WAITING);
    private final Map<MdnsInterfaces.Choice, Open> responders = new LinkedHashMap<>();
    private int opened;
    private final Map<String, Long> pendingRemovals = new HashMap<>();
    private final CountDownLatch firstScan = new CountDownLatch(1);
    private long generations;
    private boolean flushPending;
    private boolean closed;
    private long lastFlush;
    private List<NetworkRoom> last = List.of();

    private record Open(JmDNS jmdns, String prefix) {}

    private RoomBrowser(RoomBrowserListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        FastProbing.install();
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("confab-discovery").daemon(true).factory());
    }

    /** Starts browsing on every chosen interface ({@link MdnsInterfaces}); returns at once. */
    public static RoomBrowser start(RoomBrowserListener listener) {
        RoomBrowser b = new RoomBrowser(listener);
        if (Discovery.allowed()) {
            b.thread.scheduleWithFixedDelay(b::rescan, 0, RESCAN_MS, TimeUnit.MILLISECONDS);
        }
        return b;
    }

    /**
     * Opens a responder on each chosen interface not yet browsed and closes those of interfaces
     * gone: run at start and every {@link #RESCAN_MS} ms, so a network that comes up later (Wi-Fi
     * joined after the app started, a veth set up) is browsed too.
     */
    private void rescan() {
        try {
            openAndClose();
        } finally {
            firstScan.countDown();
        }
    }

    private void openAndClose() {
        List<MdnsInterfaces.Choice> now = MdnsInterfaces.choose(null);
        List<MdnsInterfaces.Choice> gone;
        synchronized (this) {
            if (closed) {
                return;
            }
            gone = responders.keySet().stream().filter(c -> !now.contains(c)).toList();
        }
        for (MdnsInterfaces.Choice c : gone) {
            Open o;
            synchronized (this) {
                o = responders.remove(c);
            }
            Announcer.closeQuietly(o.jmdns());
            changed(() -> rooms.removeAll(o.prefix()));
        }
        for (MdnsInterfaces.Choice c : now) {
            synchronized (this) {
                if (closed || responders.containsKey(c)) {
                    continue;
                }
            }
            String prefix = (opened++) + "|";
            JmDNS j = null;
            try {
                j = JmDNS.create(c.address(), "confab-browser-" + opened);
                synchronized (this) {
                    if (closed) {
                        Announcer.closeQuietly(j);
                        return;
                    }
                    responders.put(c, new Open(j, prefix));
                }
                j.addServiceListener(Discovery.SERVICE_TYPE, new Heard(j, prefix));
                if (TRACE) {
                    trace("browsing on " + c.interfaceName() + " " + c.address());
                }
            } catch (IOException | RuntimeException e) {
                if (TRACE) {
                    trace("cannot browse on " + c.interfaceName() + ": " + e);
                }
                Announcer.closeQuietly(j);
            }
        }
    }

    /**
     * Waits until the browser asks on every interface there was at start (its responders are open
     * and their first queries are out), at most {@code timeoutMs}; at once when discovery is off. A
     * one-shot listing counts its listening time from here, not from a responder still starting.
     */
    public void awaitBrowsing(long timeoutMs) throws InterruptedException {
        if (Discovery.allowed()) {
            firstScan.await(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The interfaces browsed (filled in shortly after start). */
    public synchronized List<String> interfaces() {
        return responders.keySet().stream()
                .map(MdnsInterfaces.Choice::interfaceName)
                .toList();
    }

    /** The rooms as last told to the listener. */
    public synchronized List<NetworkRoom> rooms() {
        trace("listed " + last.size() + " rooms");
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
            trace("added", event);
            String type = event.getType();
            String name = event.getName();
            // off JmDNS's event thread (asking waits for the answer): the answer comes as serviceResolved
            resolutions.ask(key(event), () -> jmdns.requestServiceInfo(type, name, false, RESOLVE_WAIT_MS));
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            trace("removed", event);
            String key = key(event);
            long generation;
            synchronized (RoomBrowser.this) {
                generation = ++generations;
                pendingRemovals.put(key, generation);
            }
            try {
                thread.schedule(() -> removeIfStillGone(key, generation), REMOVAL_GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // closing
            }
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            trace("resolved", event);
            ServiceInfo info = event.getInfo();
            if (info == null) {
                return;
            }
            String key = key(event);
            try {
                var ad = RoomAd.parse(info.getTextBytes());
                if (TRACE) {
                    trace(
                            "resolved " + (ad.isEmpty() ? "(not a room's TXT)" : "(room)") + " at "
                                    + List.of(info.getInetAddresses()) + " port " + info.getPort(),
                            event);
                }
                if (ad.isEmpty()) {
                    changed(() -> rooms.remove(key));
                    return;
                }
                List<InetSocketAddress> addrs = new ArrayList<>();
                for (InetAddress a : info.getInetAddresses()) {
                    addrs.add(new InetSocketAddress(a, info.getPort()));
                }
                var sighting = new NetworkRooms.Sighting(ad.get(), addrs);
                changed(() -> {
                    pendingRemovals.remove(key);
                    return rooms.put(key, sighting);
                });
            } catch (RuntimeException e) {
                // a record JmDNS could not make sense of: ignored
            }
        }

        private String key(ServiceEvent event) {
            return prefix + String.valueOf(event.getName()).toLowerCase(Locale.ROOT);
        }
    }

    private static final boolean TRACE = System.getenv("CONFAB_DISCOVERY_TRACE") != null;
    private static final long STARTED = System.nanoTime();

    private static void trace(String what, ServiceEvent e) {
        if (TRACE) {
            trace(what + " " + PeerText.clean(e.getName(), 80));
        }
    }

    /** One trace line (CONFAB_DISCOVERY_TRACE), with the time since the browser's class was loaded. */
    private static void trace(String line) {
        if (TRACE) {
            System.err.println("discovery: +" + (System.nanoTime() - STARTED) / 1_000_000 + " ms " + line);
        }
    }

    /** A goodbye is acted on only if the service has not come back within the grace (a re-announcement). */
    private void removeIfStillGone(String key, long generation) {
        changed(() -> pendingRemovals.remove(key, generation) && rooms.remove(key));
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
        if (TRACE) {
            trace("told " + now.stream().map(r -> r.ad().roomName()).toList());
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
            toClose = responders.values().stream().map(Open::jmdns).toList();
            responders.clear();
        }
        thread.shutdownNow();
        resolutions.close();
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
