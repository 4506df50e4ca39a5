package org.confab.ui.notify;

import java.util.Objects;

/**
 * One notification: a message in a conversation the person is not looking at.
 *
 * <p>All text is plain text as peers sent it; a {@link Notifier} shapes it for the system (control
 * characters out, cut to a sensible length, markup escaped where the system would read markup).
 *
 * @param conversationKey which conversation a click on the notification opens (given back to
 *     {@link Notifier#onActivated}); also, per conversation, a newer notification replaces the older
 * @param title the conversation's name (a room name), shown as the notification's summary
 * @param sender who wrote the message (a nickname); may be empty
 * @param text the message text
 */
public record Notification(String conversationKey, String title, String sender, String text) {
    public Notification {
        Objects.requireNonNull(conversationKey, "conversationKey");
        title = Objects.requireNonNullElse(title, "");
        sender = Objects.requireNonNullElse(sender, "");
        text = Objects.requireNonNullElse(text, "");
    }
}
