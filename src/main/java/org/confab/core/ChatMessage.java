package org.confab.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as the room recorded it. {@code seq} is assigned by the host and strictly increases
 * across all room events; {@code id} is unique per message; {@code time} is the host's clock.
 */
public record ChatMessage(long seq, String id, String sender, String text, Instant time) {
    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(time, "time");
    }
}
