package org.confab.net.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * Announces one room as a DNS-SD {@code _confab._tcp} service on the chosen interfaces, with one
 * JmDNS responder per interface (not JmmDNS, whose IPv4/IPv6 mix-up across interfaces is a known
 * open bug). {@link #update} re-announces a changed TXT record (member count); {@link #close}
 * sends the goodbyes (TTL 0), so browsers drop the room at once.
 */
public final class Announcer implements AutoCloseable {
    private final List<Announced> responders;
    private final List<String> interfaceNames;

    private record Announced(JmDNS jmdns, ServiceInfo info) {}

    private Announcer(List<Announced> responders, List<String> interfaceNames) {
        this.responders = responders;
        this.interfaceNames = interfaceNames;
    }

    /**
     * Starts announcing; returns an announcer on no interface when discovery is off
     * ({@link Discovery#allowed()}) or no interface fits. An interface whose responder cannot start
     * is left out (the others still announce).
     */
    public static Announcer start(RoomAd ad, int port, InetAddress bindAddress) {
        if (!Discovery.allowed()) {
            return new Announcer(List.of(), List.of());
        }
        List<Announced> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String instance = instanceName(ad);
        String hostName =
                "confab-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        for (MdnsInterfaces.Choice c : MdnsInterfaces.choose(bindAddress)) {
            JmDNS j = null;
            try {
                j = JmDNS.create(c.address(), hostName);
                ServiceInfo info = ServiceInfo.create(Discovery.SERVICE_TYPE, instance, port, 0, 0, ad.txtBytes());
                j.registerService(info);
                out.add(new Announced(j, info));
                names.add(c.interfaceName());
            } catch (IOException | RuntimeException e) {
                closeQuietly(j);
            }
        }
        return new Announcer(List.copyOf(out), List.copyOf(names));
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

    /** Re-announces the TXT record (e.g. the member count changed). */
    public void update(RoomAd ad) {
        byte[] txt = ad.txtBytes();
        for (Announced a : responders) {
            try {
                a.info().setText(txt);
            } catch (RuntimeException e) {
                // that responder is closing or broken; the others still update
            }
        }
    }

    /** The interfaces it announces on (empty: it announces nowhere). */
    public List<String> interfaces() {
        return interfaceNames;
    }

    @Override
    public void close() {
        for (Announced a : responders) {
            try {
                a.jmdns().unregisterAllServices();
            } catch (RuntimeException e) {
                // closing anyway
            }
            closeQuietly(a.jmdns());
        }
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
