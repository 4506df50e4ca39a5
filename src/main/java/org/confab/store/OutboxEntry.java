package org.confab.store;

import java.time.Instant;

/**
 * A message written by this client and not yet confirmed by the host; {@code replyTo}: the
 * {@code seq} of the message it answers (0: none); {@code to}: the member a direct message is
 * for (null: the room).
 */
public record OutboxEntry(String cid, String text, Instant created, long replyTo, String to) {
    public OutboxEntry(String cid, String text, Instant created, long replyTo) {
        this(cid, text, created, replyTo, null);
    }

    public OutboxEntry(String cid, String text, Instant created) {
        this(cid, text, created, 0);
    }
}
