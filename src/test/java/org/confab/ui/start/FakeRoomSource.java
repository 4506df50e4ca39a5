package org.confab.ui.start;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.confab.core.Fingerprint;
import org.confab.net.discovery.NetworkRoom;
import org.confab.net.discovery.RoomAd;
import org.confab.net.discovery.RoomBrowserListener;

/**
 * A {@link RoomSource} a test (or the screenshot tour) feeds by hand: no multicast. {@link #rooms}
 * reports a list to every open browse, on the caller's thread, as a {@code RoomBrowser} does on its own.
 */
public final class FakeRoomSource implements RoomSource {
    private final String whyOff;
    private final List<RoomBrowserListener> open = new ArrayList<>();
    private final AtomicInteger browses = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private volatile List<NetworkRoom> current = List.of();

    public FakeRoomSource() {
        this(null);
    }

    /** A source that says discovery is off for {@code whyOff} (null: on). */
    public FakeRoomSource(String whyOff) {
        this.whyOff = whyOff;
    }

    @Override
    public String whyOff() {
        return whyOff;
    }

    @Override
    public synchronized AutoCloseable browse(RoomBrowserListener listener) {
        browses.incrementAndGet();
        open.add(listener);
        List<NetworkRoom> now = current;
        if (!now.isEmpty()) {
            listener.rooms(now); // a browser that heard them already
        }
        return () -> {
            synchronized (this) {
                open.remove(listener);
            }
            closes.incrementAndGet();
        };
    }

    /** The rooms on the "network" now, told to every open browse. */
    public void rooms(List<NetworkRoom> rooms) {
        List<RoomBrowserListener> to;
        synchronized (this) {
            current = List.copyOf(rooms);
            to = List.copyOf(open);
        }
        to.forEach(l -> l.rooms(rooms));
    }

    public int browses() {
        return browses.get();
    }

    public int closes() {
        return closes.get();
    }

    public synchronized int openBrowses() {
        return open.size();
    }

    /** A room as a host would announce it, at {@code ip:port}. */
    public static NetworkRoom room(
            String name,
            String id,
            Fingerprint key,
            boolean password,
            int members,
            String hostNick,
            String ip,
            int port) {
        try {
            return new NetworkRoom(
                    new RoomAd(1, name, id, key, password, members, hostNick),
                    List.of(new InetSocketAddress(InetAddress.getByName(ip), port)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    /** A stable made-up room key. */
    public static Fingerprint key(String seed) {
        return Fingerprint.ofCertificate(seed.getBytes(StandardCharsets.UTF_8));
    }
}
