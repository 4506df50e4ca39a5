package org.confab.ui.start;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.confab.net.discovery.KeyCheck;
import org.confab.net.discovery.NetworkRoom;

/**
 * "Rooms on your network" on the start screen: the rooms a {@link RoomSource} hears, as rows, while
 * the start screen is shown ({@link #start} / {@link #stop}). The source reports whole lists on its
 * own thread (a {@code RoomBrowser}: at most every 200 ms); each is turned into rows there (the
 * key checks read the known rooms) and kept as the latest, and one hop to the FX thread at a time
 * applies the newest: a burst of reports costs one update, never one {@code runLater} each.
 *
 * <p>Everything but the source's callback runs on the FX thread ({@code fx}); closing the source
 * (JmDNS waits for its responders) runs on {@code closer}. No toolkit needed: tests pass their own
 * executors.
 */
public final class NetworkRoomsViewModel {
    /** What the section shows. */
    public enum State {
        /** Not browsing yet, or stopped. */
        IDLE,
        /** Discovery is off: it says so instead of browsing ({@link #offReasonProperty}). */
        OFF,
        /** Browsing, nothing heard: what to do instead. */
        EMPTY,
        /** Browsing, rooms listed. */
        ROOMS
    }

    private record Batch(long generation, List<NetworkRoomRow> rows) {}

    private final RoomSource source;
    private final KeyCheck.Known known;
    private final Executor fx;
    private final Executor closer;
    private final ObservableList<NetworkRoomRow> rows = FXCollections.observableArrayList();
    private final ObservableList<NetworkRoomRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper offReason = new ReadOnlyStringWrapper(this, "offReason", "");
    /** The newest rows heard and not yet applied (null: none pending, so the next report hops). */
    private final AtomicReference<Batch> latest = new AtomicReference<>();

    private AutoCloseable browsing;
    /** Counts starts and stops: a batch of an earlier browse is dropped. FX thread only. */
    private long generation;

    /**
     * @param known  the key trusted before for a host and port ({@code KnownRooms::lookup})
     * @param fx     runs work on the FX thread ({@code Platform::runLater})
     * @param closer where the source is closed (a background executor)
     */
    public NetworkRoomsViewModel(RoomSource source, KeyCheck.Known known, Executor fx, Executor closer) {
        this.source = Objects.requireNonNull(source, "source");
        this.known = Objects.requireNonNull(known, "known");
        this.fx = Objects.requireNonNull(fx, "fx");
        this.closer = Objects.requireNonNull(closer, "closer");
    }

    /** Starts listing (the start screen is shown); says why not when discovery is off. */
    public void start() {
        if (browsing != null) {
            return;
        }
        String why = source.whyOff();
        if (why != null) {
            offReason.set(why);
            state.set(State.OFF);
            return;
        }
        long g = ++generation;
        state.set(rows.isEmpty() ? State.EMPTY : State.ROOMS);
        try {
            browsing = source.browse(rooms -> heard(g, rooms));
        } catch (RuntimeException e) {
            offReason.set("Cannot look for rooms on the network: " + e.getMessage());
            state.set(State.OFF);
        }
    }

    /** Stops listing (the start screen went away, the app quits); the source closes off this thread. */
    public void stop() {
        generation++;
        AutoCloseable b = browsing;
        browsing = null;
        latest.set(null);
        rows.clear();
        state.set(State.IDLE);
        if (b == null) {
            return;
        }
        Runnable close = () -> {
            try {
                b.close();
            } catch (Exception e) {
                // stopping anyway
            }
        };
        try {
            closer.execute(close);
        } catch (RejectedExecutionException e) {
            Thread.ofVirtual().name("confab-discovery-close").start(close); // the window is closing down
        }
    }

    /** On the source's thread: rows made here, the newest kept, one hop to the FX thread if none is pending. */
    private void heard(long g, List<NetworkRoom> rooms) {
        List<NetworkRoomRow> next = rooms.stream()
                .map(r -> NetworkRoomRow.of(r, KeyCheck.of(r, known)))
                .toList();
        if (latest.getAndSet(new Batch(g, next)) == null) {
            try {
                fx.execute(this::apply);
            } catch (RuntimeException e) {
                latest.set(null); // the toolkit is gone (the app is quitting): nothing to show
            }
        }
    }

    /** On the FX thread: the newest batch, if it belongs to this browse. */
    private void apply() {
        Batch b = latest.getAndSet(null);
        if (b == null || b.generation() != generation || browsing == null) {
            return;
        }
        if (!rows.equals(b.rows())) {
            rows.setAll(b.rows());
        }
        state.set(rows.isEmpty() ? State.EMPTY : State.ROOMS);
    }

    /** The rooms heard, by name; replaced as a whole (one change) per update. */
    public ObservableList<NetworkRoomRow> rows() {
        return readOnlyRows;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** Why discovery is off (shown in {@link State#OFF}). */
    public ReadOnlyStringProperty offReasonProperty() {
        return offReason.getReadOnlyProperty();
    }

    /** True while the source is open. */
    public boolean isBrowsing() {
        return browsing != null;
    }
}
