package org.confab.ui.room;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.confab.core.FileRef;
import org.confab.core.NicknameRules;
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
            MessageState delivery,
            Extras extras)
            implements ChatItem {
        public Message {
            extras = extras == null ? Extras.NONE : extras;
        }

        public Message(
                long seq,
                String id,
                String sender,
                String text,
                Instant time,
                boolean own,
                boolean continued,
                String cid,
                MessageState delivery) {
            this(seq, id, sender, text, time, own, continued, cid, delivery, Extras.NONE);
        }

        /** A message from the room: own ones are delivered (the host has them), others carry no mark. */
        public Message(long seq, String id, String sender, String text, Instant time, boolean own, boolean continued) {
            this(seq, id, sender, text, time, own, continued, null, own ? MessageState.DELIVERED : null);
        }

        /** The same message starting its sender's group (its name and avatar shown). */
        public Message uncontinued() {
            return new Message(seq, id, sender, text, time, own, false, cid, delivery, extras);
        }

        public Message withExtras(Extras e) {
            return new Message(seq, id, sender, text, time, own, continued, cid, delivery, e);
        }

        /** An edit: the new text, marked edited. */
        public Message edited(String newText) {
            return new Message(seq, id, sender, newText, time, own, continued, cid, delivery, extras.asEdited());
        }

        /** A deletion: no text any more, marked deleted (its reactions go too). */
        public Message deleted() {
            return new Message(seq, id, sender, "", time, own, continued, cid, delivery, extras.asDeleted());
        }

        /** Written here and not in the room's sequence yet (seq 0): shown below everything else. */
        public boolean unconfirmed() {
            return seq == 0;
        }

        public Message withDelivery(MessageState d) {
            return new Message(seq, id, sender, text, time, own, continued, cid, d, extras);
        }
    }

    /** One emoji on a message and who put it there (in the order they did). */
    record Reaction(String emoji, List<String> by) {
        public Reaction {
            by = List.copyOf(by);
        }

        public int count() {
            return by.size();
        }
    }

    /**
     * What a message carries besides its text: the message it answers ({@code replyTo}, 0: none,
     * with a preview of it when this member has it: {@code quoteSender}, {@code quoteText}),
     * whether it was edited or deleted, and its reactions.
     */
    record Extras(
            long replyTo,
            String quoteSender,
            String quoteText,
            boolean edited,
            boolean deleted,
            List<Reaction> reactions,
            FileRef file) {
        public static final Extras NONE = new Extras(0, null, null, false, false, List.of());

        public Extras {
            reactions = List.copyOf(reactions);
        }

        /** Without a file. */
        public Extras(
                long replyTo,
                String quoteSender,
                String quoteText,
                boolean edited,
                boolean deleted,
                List<Reaction> reactions) {
            this(replyTo, quoteSender, quoteText, edited, deleted, reactions, null);
        }

        /** The same with {@code shared}: the file the message shares (null: none). */
        Extras withFile(FileRef shared) {
            return new Extras(replyTo, quoteSender, quoteText, edited, deleted, reactions, shared);
        }

        Extras asEdited() {
            return new Extras(replyTo, quoteSender, quoteText, true, deleted, reactions, file);
        }

        /** A deleted message's file is gone with it (the host deletes it too). */
        Extras asDeleted() {
            return new Extras(replyTo, quoteSender, quoteText, edited, true, List.of(), null);
        }

        /** {@code by} added ({@code added}) or took back {@code emoji}: one of each emoji per member. */
        Extras reacted(String by, String emoji, boolean added) {
            List<Reaction> next = new ArrayList<>();
            boolean found = false;
            for (Reaction r : reactions) {
                if (r.emoji().equals(emoji)) {
                    found = true;
                    List<String> who = new ArrayList<>(r.by());
                    who.removeIf(n -> NicknameRules.key(n).equals(NicknameRules.key(by)));
                    if (added) {
                        who.add(by);
                    }
                    if (!who.isEmpty()) {
                        next.add(new Reaction(emoji, who));
                    }
                } else {
                    next.add(r);
                }
            }
            if (!found && added) {
                next.add(new Reaction(emoji, List.of(by)));
            }
            return new Extras(replyTo, quoteSender, quoteText, edited, deleted, next, file);
        }

        /** True if {@code nick} has reacted with {@code emoji}. */
        public boolean reactedBy(String emoji, String nick) {
            return reactions.stream()
                    .anyMatch(r -> r.emoji().equals(emoji)
                            && r.by().stream()
                                    .anyMatch(n -> NicknameRules.key(n).equals(NicknameRules.key(nick))));
        }
    }

    /** The delivery mark's tooltip and what screen readers say. */
    static String describe(MessageState state) {
        return switch (state) {
            case PENDING -> "Pending: waiting for the connection";
            case SENT -> "Sent: waiting for the host";
            case DELIVERED -> "Delivered to the room";
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
            /** The room's topic changed. */
            TOPIC,
            /** A moderator's act (removed, banned, muted, named a moderator). */
            MODERATION,
            INFO,
            WARNING
        }
    }
}
