package org.confab.ui.start;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.confab.core.InviteLink;
import org.confab.core.InviteLink.Candidate;
import org.confab.net.discovery.NetworkRoom;
import org.confab.net.discovery.RoomAd;
import org.confab.net.discovery.RoomBrowserListener;
import org.confab.store.FavouriteRooms;

/**
 * A {@link RoomSource} that adds, to what {@code announced} hears, the rooms this member joined
 * before ({@link FavouriteRooms}) that a probe finds ({@code RoomProbe}: TCP + TLS with the room's
 * key, nothing sent), so they are listed where multicast does not pass; marked as remembered. A
 * room that is also announced is listed once, as announced (same room id and key). Probes run on
 * one thread of their own, one room after the other, every {@link #EVERY} while the list is shown.
 */
final class RememberedRooms implements RoomSource {
    /** How often the remembered rooms are looked for (a handshake each: cheap, but not more often). */
    static final Duration EVERY = Duration.ofSeconds(60);

    private final RoomSource announced;
    private final Supplier<List<FavouriteRooms.Favourite>> favourites;
    private final Function<InviteLink, Optional<Candidate>> probe;
    private final Duration every;

    RememberedRooms(
            RoomSource announced,
            Supplier<List<FavouriteRooms.Favourite>> favourites,
            Function<InviteLink, Optional<Candidate>> probe,
            Duration every) {
        this.announced = announced;
        this.favourites = favourites;
        this.probe = probe;
        this.every = every;
    }

    @Override
    public String whyOff() {
        return announced.whyOff();
    }

    @Override
    public AutoCloseable browse(RoomBrowserListener listener) {
        var merge = new Merge(listener);
        AutoCloseable heard = announced.browse(merge::announced);
        var stop = new CountDownLatch(1);
        Thread prober = Thread.ofVirtual().name("confab-remembered-rooms").start(() -> {
            try {
                do {
                    List<NetworkRoom> found = new ArrayList<>();
                    for (var f : favourites.get()) {
                        if (stop.getCount() == 0) {
                            return;
                        }
                        probe.apply(f.link()).flatMap(via -> room(f, via)).ifPresent(found::add);
                    }
                    merge.remembered(found);
                } while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                // stopped
            }
        });
        return () -> {
            stop.countDown();
            prober.interrupt();
            heard.close();
        };
    }

    /** The remembered room as a listed one: what was kept of it, the answering address first. */
    static Optional<NetworkRoom> room(FavouriteRooms.Favourite f, Candidate via) {
        List<Candidate> order = new ArrayList<>(f.link().candidates());
        order.remove(via);
        order.addFirst(via);
        InetSocketAddress at;
        try {
            at = new InetSocketAddress(InetAddress.getByName(via.host()), via.port()); // it just answered
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        var ad = new RoomAd(RoomAd.TXT_VERSION, f.name(), f.roomId(), f.link().fingerprint(), false, -1, null);
        return Optional.of(
                new NetworkRoom(ad, List.of(at), InviteLink.of(order, f.link().fingerprint())));
    }

    /** The announced rooms and the remembered ones found, one list (each room once). */
    private static final class Merge {
        private final RoomBrowserListener listener;
        private List<NetworkRoom> announced = List.of();
        private List<NetworkRoom> remembered = List.of();

        Merge(RoomBrowserListener listener) {
            this.listener = listener;
        }

        synchronized void announced(List<NetworkRoom> rooms) {
            announced = List.copyOf(rooms);
            publish();
        }

        synchronized void remembered(List<NetworkRoom> rooms) {
            if (rooms.isEmpty() && remembered.isEmpty()) {
                return;
            }
            remembered = List.copyOf(rooms);
            publish();
        }

        private void publish() {
            Set<String> seen = new HashSet<>();
            List<NetworkRoom> all = new ArrayList<>(announced);
            announced.forEach(r -> seen.add(r.ad().identity()));
            for (NetworkRoom r : remembered) {
                if (seen.add(r.ad().identity())) {
                    all.add(r);
                }
            }
            listener.rooms(all);
        }
    }
}
