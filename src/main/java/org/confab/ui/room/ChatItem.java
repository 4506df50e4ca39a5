package org.confab.ui.room;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.confab.net.RoomConnection.MessageState;

/** One row of the message list: a message or a system line. Immutable. */
public sealed interface ChatItem {
    /** Host-assigned sequence number (0 for local notices). */
    long seq();

    Instant time();

    /**
     * A message. {@code own} = sent by this member; {@code continued} = same sender as the row
     * above within a few minutes, so the view draws it without repeating the name. {@code delivery}:
     * where one of our own messages is (the connection's state for it), null for others' messages.
     */
    record Message(
            long seq,
            String id,
            String sender,
            String text,
            Instant time,
            boolean own,
            boolean continued,
            String cid,
            MessageState delivery)
            implements ChatItem {
        /** A message from the room: own ones are delivered (the host has them), others carry no mark. */
        public Message(long seq, String id, String sender, String text, Instant time, boolean own, boolean continued) {
            this(seq, id, sender, text, time, own, continued, null, own ? MessageState.DELIVERED : null);
        }

        /** Written here and not in the room's sequence yet (seq 0): shown below everything else. */
        public boolean unconfirmed() {
            return seq == 0;
        }

        public Message withDelivery(MessageState d) {
            return new Message(seq, id, sender, text, time, own, continued, cid, d);
        }
    }

    /** The delivery mark's tooltip and what screen readers say. */
    static String describe(MessageState state) {
        return switch (state) {
            case PENDING -> "Pending: waiting for the connection";
            case SENT -> "Sent: waiting for the host";
            case DELIVERED -> "Delivered";
            case FAILED -> "Not delivered: the host refused this message";
            case null -> "";
        };
    }

    /** Starts the messages of a new (local) day; the view says "Today", "Yesterday" or the date. */
    record Day(LocalDate date, Instant time) implements ChatItem {
        Day(LocalDate date, ZoneId zone) {
            this(date, date.atStartOfDay(zone).toInstant());
        }

        @Override
        public long seq() {
            return 0;
        }
    }

    /**
     * "New since 10:42": above the first message that arrived while the person was away from the
     * room (another conversation shown, or the window in the background). {@code time}: when the
     * person last had the room in front of them.
     */
    record NewSince(Instant time) implements ChatItem {
        @Override
        public long seq() {
            return 0;
        }
    }

    /** A system line: someone joined, left, was renamed, or a local notice. */
    record Notice(long seq, Kind kind, String text, Instant time) implements ChatItem {
        /** What the line is about (the view picks an icon). */
        public enum Kind {
            JOINED,
            LEFT,
            RENAMED,
            INFO,
            WARNING
        }
    }
}
