package org.confab.net.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import javax.jmdns.impl.ServiceInfoImpl;

/**
 * Announces one room as a DNS-SD {@code _confab._tcp} service on the chosen interfaces, with one
 * JmDNS responder per interface (not JmmDNS, whose IPv4/IPv6 mix-up across interfaces is a known
 * open bug). {@link #update} re-announces a changed TXT record (member count); {@link #close}
 * sends the goodbyes (TTL 0), so browsers drop the room at once.
 */
public final class Announcer implements AutoCloseable {
    /** The longest a new responder is waited for before its room counts as announced anyway. */
    static final long ANNOUNCE_WAIT_MS = 5000;

    private final Map<MdnsInterfaces.Choice, Announced> responders = new LinkedHashMap<>();
    private final boolean allowed;
    private final int port;
    private final InetAddress bindAddress;
    private final String instance;
    private final String hostName;
    private RoomAd ad;
    private boolean closed;

    private record Announced(JmDNS jmdns, ServiceInfo info) {}

    private Announcer(RoomAd ad, int port, InetAddress bindAddress) {
        this.allowed = Discovery.allowed();
        FastProbing.install();
        this.ad = ad;
        this.port = port;
        this.bindAddress = bindAddress;
        this.instance = instanceName(ad);
        this.hostName = "confab-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
    }

    /**
     * Starts announcing on the interfaces there are now (see {@link #refresh}); announces nowhere
     * when discovery is off ({@link Discovery#allowed()}). An interface whose responder cannot
     * start is left out (the others still announce).
     */
    public static Announcer start(RoomAd ad, int port, InetAddress bindAddress) {
        Announcer a = new Announcer(ad, port, bindAddress);
        a.refresh();
        return a;
    }

    /** Announces on interfaces that came up since, stops on those gone (called every few seconds). */
    public void refresh() {
        if (!allowed) {
            return;
        }
        List<MdnsInterfaces.Choice> now = MdnsInterfaces.choose(bindAddress);
        List<Announced> gone = new ArrayList<>();
        List<MdnsInterfaces.Choice> fresh = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            responders.keySet().removeIf(c -> {
                if (now.contains(c)) {
                    return false;
                }
                gone.add(responders.get(c));
                return true;
            });
            now.stream().filter(c -> !responders.containsKey(c)).forEach(fresh::add);
        }
        gone.forEach(Announcer::stop);
        Map<MdnsInterfaces.Choice, Announced> started = new LinkedHashMap<>();
        for (MdnsInterfaces.Choice c : fresh) {
            JmDNS j = null;
            try {
                j = JmDNS.create(c.address(), hostName);
                byte[] txt;
                synchronized (this) {
                    txt = ad.txtBytes();
                }
                ServiceInfo info = ServiceInfo.create(Discovery.SERVICE_TYPE, instance, port, 0, 0, txt);
                j.registerService(info);
                started.put(c, new Announced(j, info));
            } catch (IOException | RuntimeException e) {
                closeQuietly(j);
            }
        }
        // the interfaces probe side by side; each counts as announced once JmDNS says so
        for (var e : started.entrySet()) {
            awaitAnnounced(e.getValue().info());
            synchronized (this) {
                if (!closed) {
                    responders.put(e.getKey(), e.getValue());
                    continue;
                }
            }
            stop(e.getValue());
        }
    }

    /**
     * Waits (a second or so, {@link #ANNOUNCE_WAIT_MS} at most) until JmDNS has probed the name and
     * announced the room, so "announced" is true when it is said: a browser that asks from then on
     * gets an answer.
     */
    private static void awaitAnnounced(ServiceInfo info) {
        if (info instanceof ServiceInfoImpl impl) {
            impl.waitForAnnounced(ANNOUNCE_WAIT_MS);
        }
    }

    /** The DNS-SD instance name: the room's name (a DNS label holds 63 bytes) and a bit of its id. */
    static String instanceName(RoomAd ad) {
        String name = PeerText.clean(ad.roomName(), 40).replace('.', ' ');
        String id = ad.roomId().length() > 6 ? ad.roomId().substring(0, 6) : ad.roomId();
        String s = (name.isEmpty() ? "Confab room" : name) + " (" + id.toLowerCase(Locale.ROOT) + ")";
        while (s.getBytes(StandardCharsets.UTF_8).length > 63) {
            s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
        }
        return s;
    }

    /**
     * Re-announces with a new TXT record (e.g. the member count changed). JmDNS 3.6.1's
     * {@code ServiceInfo.setText} on a registered service leaves it unanswered (seen in the
     * namespace tests: the room was never found again), so the service is registered anew under the
     * same name: a goodbye, then the new record about a second later; browsers hold a removal for
     * {@code RoomBrowser.REMOVAL_GRACE_MS}, so they see a change, not a gap. Blocks while it probes.
     */
    public void update(RoomAd next) {
        List<Map.Entry<MdnsInterfaces.Choice, Announced>> now;
        synchronized (this) {
            ad = next;
            now = List.copyOf(responders.entrySet());
        }
        byte[] txt = next.txtBytes();
        for (var e : now) {
            Announced a = e.getValue();
            try {
                a.jmdns().unregisterService(a.info());
                ServiceInfo info = ServiceInfo.create(Discovery.SERVICE_TYPE, instance, port, 0, 0, txt);
                a.jmdns().registerService(info);
                synchronized (this) {
                    if (responders.get(e.getKey()) == a) {
                        responders.put(e.getKey(), new Announced(a.jmdns(), info));
                    }
                }
            } catch (IOException | RuntimeException ex) {
                // that responder is closing or broken; the others still update
            }
        }
    }

    /** The interfaces it announces on now (empty: nowhere, e.g. discovery is off or no network yet). */
    public synchronized List<String> interfaces() {
        return responders.keySet().stream()
                .map(MdnsInterfaces.Choice::interfaceName)
                .toList();
    }

    /** Sends the goodbyes and closes every responder. */
    @Override
    public void close() {
        List<Announced> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(responders.values());
            responders.clear();
        }
        all.forEach(Announcer::stop);
    }

    private static void stop(Announced a) {
        try {
            a.jmdns().unregisterAllServices();
        } catch (RuntimeException e) {
            // closing anyway
        }
        closeQuietly(a.jmdns());
    }

    static void closeQuietly(JmDNS j) {
        if (j == null) {
            return;
        }
        try {
            j.close();
        } catch (IOException | RuntimeException e) {
            // nothing more to do
        }
    }
}
