package org.confab.store;

import java.time.Instant;

/**
 * A message written by this client and not yet confirmed by the host; {@code replyTo}: the
 * {@code seq} of the message it answers (0: none).
 */
public record OutboxEntry(String cid, String text, Instant created, long replyTo) {
    public OutboxEntry(String cid, String text, Instant created) {
        this(cid, text, created, 0);
    }
}
