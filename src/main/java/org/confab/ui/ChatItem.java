package org.confab.ui;

import java.time.Instant;

/** One row of the message list: a message or a system line. Immutable. */
public sealed interface ChatItem {
    /** Host-assigned sequence number (0 for local notices). */
    long seq();

    Instant time();

    /**
     * A message. {@code own} = sent by this member; {@code continued} = same sender as the row
     * above within a few minutes, so the view draws it without repeating the name.
     */
    record Message(long seq, String id, String sender, String text, Instant time, boolean own, boolean continued)
            implements ChatItem { }

    /** A system line: someone joined, left, was renamed, or a local notice. */
    record Notice(long seq, Kind kind, String text, Instant time) implements ChatItem {
        /** What the line is about (the view picks an icon). */
        public enum Kind { JOINED, LEFT, RENAMED, INFO, WARNING }
    }
}
