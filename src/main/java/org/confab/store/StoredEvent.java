package org.confab.store;

import java.util.Objects;
import org.confab.core.RoomEvent;

/** A room event as saved, with the client id its sender gave it ({@code cid}, null if none). */
public record StoredEvent(RoomEvent event, String cid) {
    public StoredEvent {
        Objects.requireNonNull(event, "event");
    }

    public long seq() {
        return event.seq();
    }
}
