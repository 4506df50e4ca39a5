package org.confab.store;

import java.time.Instant;

/** A message written by this client and not yet confirmed by the host. */
public record OutboxEntry(String cid, String text, Instant created) {}
