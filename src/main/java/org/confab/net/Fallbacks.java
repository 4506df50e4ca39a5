package org.confab.net;

import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.Moderation;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;

/**
 * What a member that does not speak a capability receives instead of its events (docs/protocol.md
 * §14): a plain {@code message} with the same {@code seq}, {@code id} and time, readable as it is,
 * so the member's sequence has no hole and older clients (the terminal client before it, the
 * Python example) keep working.
 */
final class Fallbacks {
    private Fallbacks() {}

    /** The capability an event needs, or null if every member gets it as it is. */
    static String capability(RoomEvent e) {
        return switch (e) {
            case RoomEvent.Edited _, RoomEvent.Deleted _ -> Message.CAP_EDIT;
            case RoomEvent.Reacted _ -> Message.CAP_REACTION;
            case RoomEvent.TopicSet _, RoomEvent.Moderated _ -> Message.CAP_MODERATION;
            case RoomEvent.Posted p when p.message().file() != null -> Message.CAP_FILES;
            case RoomEvent.Posted _, RoomEvent.Joined _, RoomEvent.Left _, RoomEvent.Renamed _ -> null;
        };
    }

    /** {@code e} as {@code peer} can read it. */
    static RoomEvent forMember(Peer peer, RoomEvent e) {
        String cap = capability(e);
        return cap == null || peer.speaks(cap) ? e : readable(e);
    }

    /** An edit, deletion or reaction as a message: "(edited) the new text", "(deleted a message)", "(reacted 👍)". */
    static RoomEvent readable(RoomEvent e) {
        return switch (e) {
            case RoomEvent.Edited x -> post(x.seq(), x.id(), x, x.by(), "(edited) " + x.text());
            case RoomEvent.Deleted x -> post(x.seq(), x.id(), x, x.by(), "(deleted a message)");
            case RoomEvent.Reacted x ->
                post(
                        x.seq(),
                        x.id(),
                        x,
                        x.by(),
                        (x.added() ? "(reacted " : "(took back the reaction ") + x.emoji() + ")");
            case RoomEvent.TopicSet x ->
                post(
                        x.seq(),
                        x.id(),
                        x,
                        x.by(),
                        x.text().isEmpty() ? "(cleared the topic)" : "(set the topic: " + x.text() + ")");
            case RoomEvent.Moderated x -> post(x.seq(), x.id(), x, x.by(), "(" + Moderation.describe(x, false) + ")");
            case RoomEvent.Posted p
            when p.message().file() != null -> {
                ChatMessage m = p.message();
                FileRef f = m.file();
                String shared = f.folder()
                        ? "(shared a folder: " + f.name() + ")"
                        : "(shared a file: " + f.name() + ", " + FileRef.humanSize(f.size()) + ")";
                yield new RoomEvent.Posted(new ChatMessage(
                        m.seq(),
                        m.id(),
                        m.sender(),
                        m.text().equals(f.fileName()) ? shared : shared + " " + m.text(),
                        m.time(),
                        m.replyTo(),
                        m.to()));
            }
            case RoomEvent.Posted _, RoomEvent.Joined _, RoomEvent.Left _, RoomEvent.Renamed _ -> e;
        };
    }

    private static RoomEvent post(long seq, String id, RoomEvent about, String by, String text) {
        // a change to a direct message stays in that conversation
        return new RoomEvent.Posted(new ChatMessage(seq, id, by, text, about.time(), 0, RoomEvent.directTo(about)));
    }
}
