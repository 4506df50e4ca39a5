package org.confab.ui.room;

import java.net.URI;
import java.util.List;
import javafx.collections.ObservableMap;
import javafx.scene.Node;
import org.confab.ui.files.FileCard;
import org.confab.ui.files.Transfer;

/** What a message row offers (its menu, its reactions, its quote): the room view carries them out. */
interface MessageActions {
    /** Reactions one click away in a message's menu. */
    String[] QUICK_REACTIONS = {"👍", "❤️", "😂", "🎉", "😮", "😢", "🙏"};

    void reply(ChatItem.Message m);

    /** True if this member may delete others' messages (the host or a moderator, in a room). */
    default boolean moderates() {
        return false;
    }

    /** "Copy link to message": a confab:// link that opens this room at {@code m}. */
    default void copyLink(ChatItem.Message m) {}

    void toggleReaction(ChatItem.Message m, String emoji);

    /** "More…": the emoji picker, by {@code anchor}, for a reaction to {@code m}. */
    default void pickReaction(ChatItem.Message m, Node anchor) {}

    void edit(ChatItem.Message m);

    void delete(ChatItem.Message m);

    /** The quote of a reply was clicked: show the message it answers. */
    void showOriginal(long seq);

    /** A link in a message was clicked (only http, https, mailto and confab:// are links). */
    default void openLink(URI uri) {}

    /** Our nickname in the room (which reactions are ours). */
    String me();

    /** Who has seen our message {@code m} (read receipts); empty if nobody, or not ours. */
    default List<String> seenBy(ChatItem.Message m) {
        return List.of();
    }

    /** What a file's card asks for (save, save as, open folder, view, pause, resume, cancel). */
    default FileCard.Actions files() {
        return FileCard.Actions.NONE;
    }

    /** Where this connection's transfers are, by key (a download's key is its file's id); null: none here. */
    default ObservableMap<String, Transfer> transfers() {
        return null;
    }

    /** Nothing to do (tests that only render). */
    MessageActions NONE = new MessageActions() {
        @Override
        public void reply(ChatItem.Message m) {}

        @Override
        public void toggleReaction(ChatItem.Message m, String emoji) {}

        @Override
        public void edit(ChatItem.Message m) {}

        @Override
        public void delete(ChatItem.Message m) {}

        @Override
        public void showOriginal(long seq) {}

        @Override
        public String me() {
            return "";
        }
    };
}
