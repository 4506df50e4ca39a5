package org.confab.ui.shell;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.confab.ui.room.RoomViewModel;

/**
 * The window's status bar: one line and a dot saying what the window is doing. Starting a room
 * or joining one comes first (it is what the person waits for); then the room shown and its
 * connection. Fed by the window from its services and the room's view model; knows no controls
 * and no services, so it is tested without the toolkit.
 */
public final class StatusViewModel {
    /** The dot beside the line: green, amber, grey. */
    public enum Dot {
        ONLINE,
        BUSY,
        OFFLINE
    }

    /** What the window's hosting service is doing. */
    public sealed interface Hosting {
        /** Not hosting, or the hosted room is shown (then the room's line says it). */
        Hosting IDLE = new Idle();

        record Idle() implements Hosting {}

        /** Binding the port, joining the room: {@code message} says which step. */
        record Starting(String message) implements Hosting {}

        /** The room runs, its dialog shows the addresses; the person is not in the room view yet. */
        record Running(String roomName, int port) implements Hosting {}

        record Failed(String reason) implements Hosting {}
    }

    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "Not in a room");
    private final ReadOnlyObjectWrapper<Dot> dot = new ReadOnlyObjectWrapper<>(this, "dot", Dot.OFFLINE);
    private final InvalidationListener roomChanged = o -> update();
    private Hosting hosting = Hosting.IDLE;
    /** The join under way ("Connecting to …"), or null. */
    private String joining;

    private RoomViewModel room;
    /** The port the shown room is hosted on by this window, or -1 (a joined room). */
    private int hostedPort = -1;

    /** The hosting service's state changed. */
    public void hosting(Hosting now) {
        hosting = now == null ? Hosting.IDLE : now;
        update();
    }

    /** A join is under way ({@code message}: its step), or none ({@code null}). */
    public void joining(String message) {
        joining = message;
        update();
    }

    /**
     * The room shown (null: none, the start screen) and, when this window hosts it, its port
     * (else -1). The line follows the room's state and nickname from then on.
     */
    public void room(RoomViewModel shown, int port) {
        if (room != null) {
            for (Observable o : observed(room)) {
                o.removeListener(roomChanged);
            }
        }
        room = shown;
        hostedPort = shown == null ? -1 : port;
        if (shown != null) {
            for (Observable o : observed(shown)) {
                o.addListener(roomChanged);
            }
        }
        update();
    }

    private static Observable[] observed(RoomViewModel r) {
        return new Observable[] {r.stateProperty(), r.nickProperty(), r.roomNameProperty(), r.addressProperty()};
    }

    private void update() {
        text.set(line());
        dot.set(dotNow());
    }

    private String line() {
        switch (hosting) {
            case Hosting.Starting s -> {
                return s.message() == null || s.message().isBlank() ? "Starting the room…" : s.message();
            }
            case Hosting.Running r
            when room == null -> {
                return "Hosting “" + r.roomName() + "” on port " + r.port();
            }
            case Hosting.Failed f
            when room == null -> {
                return "Hosting failed: " + (f.reason() == null ? "" : f.reason());
            }
            default -> {}
        }
        if (joining != null) {
            return joining;
        }
        if (room == null) {
            return "Not in a room";
        }
        String where = room.address() == null ? "the room" : room.address().address();
        return switch (room.stateProperty().get()) {
            case CONNECTED ->
                hostedPort >= 0
                        ? "Hosting “" + room.roomNameProperty().get() + "” on port " + hostedPort + " · connected as "
                                + room.nickProperty().get()
                        : "Connected to " + where + " as " + room.nickProperty().get();
            case RECONNECTING -> "Reconnecting to " + where + "…";
            case DISCONNECTED -> "Disconnected from " + where;
            case LEFT -> "Not in a room";
        };
    }

    private Dot dotNow() {
        RoomViewModel.State state = room == null ? null : room.stateProperty().get();
        if (hosting instanceof Hosting.Starting || joining != null || state == RoomViewModel.State.RECONNECTING) {
            return Dot.BUSY;
        }
        if (state == RoomViewModel.State.CONNECTED || (room == null && hosting instanceof Hosting.Running)) {
            return Dot.ONLINE;
        }
        return Dot.OFFLINE;
    }

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Dot> dotProperty() {
        return dot.getReadOnlyProperty();
    }
}
