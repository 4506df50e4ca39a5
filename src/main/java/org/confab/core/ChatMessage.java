package org.confab.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as the room recorded it. {@code seq} is assigned by the host and strictly increases
 * across all room events; {@code id} is unique per message; {@code time} is the host's clock;
 * {@code replyTo} is the {@code seq} of the message it answers (0: none); {@code to} is the one
 * member a direct message is for (null: the room's); {@code file} the file it shares (null: none;
 * its text then names the file, which is what a member that cannot download sees).
 */
public record ChatMessage(
        long seq, String id, String sender, String text, Instant time, long replyTo, String to, FileRef file) {
    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(time, "time");
        if (replyTo < 0) {
            throw new IllegalArgumentException("replyTo < 0");
        }
    }

    /** A message that shares no file. */
    public ChatMessage(long seq, String id, String sender, String text, Instant time, long replyTo, String to) {
        this(seq, id, sender, text, time, replyTo, to, null);
    }

    /** A message to the room. */
    public ChatMessage(long seq, String id, String sender, String text, Instant time, long replyTo) {
        this(seq, id, sender, text, time, replyTo, null);
    }

    /** A message that answers none. */
    public ChatMessage(long seq, String id, String sender, String text, Instant time) {
        this(seq, id, sender, text, time, 0);
    }

    /** The same message with another text (an edit), still sharing its file. */
    public ChatMessage withText(String newText) {
        return new ChatMessage(seq, id, sender, newText, time, replyTo, to, file);
    }

    /** The message deleted: its text replaced and its file no longer offered. */
    public ChatMessage redacted(String deletedText) {
        return new ChatMessage(seq, id, sender, deletedText, time, replyTo, to, null);
    }

    /** True for a direct message (to one member, not the room). */
    public boolean direct() {
        return to != null;
    }
}
