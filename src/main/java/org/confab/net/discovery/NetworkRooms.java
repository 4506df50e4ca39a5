package org.confab.net.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rooms seen on the network, de-duplicated: each announcement heard (one per responder
 * instance and service name) is a source; sources that announce the same room id and key are one
 * room, whatever interface or address family they came over. Bounded: at most {@link #MAX_SOURCES}
 * sources and {@link #MAX_ROOMS} rooms are kept (a flood of announcements fills it up and the rest
 * is ignored until some go away), and {@link #MAX_ADDRESSES} addresses per source. Not
 * thread-safe: {@link RoomBrowser} uses it under its own lock.
 */
final class NetworkRooms {
    static final int MAX_SOURCES = 512;
    static final int MAX_ROOMS = 64;
    static final int MAX_ADDRESSES = 8;

    /** One announcement as heard. */
    record Sighting(RoomAd ad, List<InetSocketAddress> addresses) {}

    private final Map<String, Sighting> sources = new LinkedHashMap<>();

    /**
     * Adds or replaces a source; false if nothing changed or it did not fit. A resolution that
     * carries no address this machine can use (only an unscoped IPv6 link-local, as Avahi publishes
     * AAAA records over IPv4 and JmDNS reports each record as it comes) is partial, not a goodbye:
     * a source already seen keeps the addresses it had (with the new TXT), a new one waits for a
     * usable address. Only a goodbye or an expiry ({@link #remove}) takes a room away.
     */
    boolean put(String source, Sighting s) {
        Sighting before = sources.get(source);
        List<InetSocketAddress> usable = s.addresses().stream()
                .filter(NetworkRooms::usable)
                .distinct()
                .limit(MAX_ADDRESSES)
                .toList();
        if (usable.isEmpty()) {
            if (before == null) {
                return false;
            }
            usable = before.addresses();
        }
        Sighting clean = new Sighting(s.ad(), usable);
        if (clean.equals(before)) {
            return false;
        }
        if (before == null) {
            if (sources.size() >= MAX_SOURCES) {
                return false;
            }
            boolean known = sources.values().stream()
                    .anyMatch(o -> o.ad().identity().equals(clean.ad().identity()));
            if (!known && roomCount() >= MAX_ROOMS) {
                return false;
            }
        }
        sources.put(source, clean);
        return true;
    }

    boolean remove(String source) {
        return sources.remove(source) != null;
    }

    /** Removes every source whose name starts with the prefix (one responder instance closed). */
    boolean removeAll(String prefix) {
        return sources.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private long roomCount() {
        return sources.values().stream().map(s -> s.ad().identity()).distinct().count();
    }

    /** The rooms, by name then id; each with the newest announcement of it and all its addresses. */
    List<NetworkRoom> rooms() {
        Map<String, RoomAd> ads = new LinkedHashMap<>();
        Map<String, Set<InetSocketAddress>> addrs = new LinkedHashMap<>();
        for (Sighting s : sources.values()) {
            String id = s.ad().identity();
            ads.put(id, s.ad());
            addrs.computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(s.addresses());
        }
        List<NetworkRoom> out = new ArrayList<>();
        for (var e : ads.entrySet()) {
            List<InetSocketAddress> a = new ArrayList<>(addrs.get(e.getKey()));
            a.sort(Comparator.comparing((InetSocketAddress x) -> x.getAddress() instanceof Inet6Address)
                    .thenComparing(x -> x.getAddress().getHostAddress()));
            out.add(new NetworkRoom(e.getValue(), a));
        }
        out.sort(Comparator.comparing((NetworkRoom r) -> r.ad().roomName().toLowerCase())
                .thenComparing(r -> r.ad().identity()));
        return out;
    }

    /** An address someone can connect to from here: not the wildcard, not an unscoped IPv6 link-local. */
    static boolean usable(InetSocketAddress a) {
        if (a == null || a.getAddress() == null || a.getPort() <= 0 || a.getPort() > 65535) {
            return false;
        }
        var ip = a.getAddress();
        if (ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
            return false;
        }
        if (ip instanceof Inet6Address v6 && v6.isLinkLocalAddress() && v6.getScopeId() == 0) {
            return false;
        }
        return ip instanceof Inet4Address || ip instanceof Inet6Address;
    }
}
