package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;

/**
 * The room view model and its direct conversations: a direct message never shows in the room, it
 * opens its conversation (which shows only its two members' messages and counts them as
 * mentions); statuses and read receipts: who is away, who has seen our messages, and receipts
 * sent only while the room is in front of the person and allowed.
 */
class RoomConversationsViewModelTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final List<String> asked = new ArrayList<>();
    private final RoomActions session = new RoomActions() {
        @Override
        public String nick() {
            return "alice";
        }

        @Override
        public String send(String text) {
            asked.add("send " + text);
            return "cid-" + asked.size();
        }

        @Override
        public String sendDirect(String to, String text) {
            asked.add("dm " + to + " " + text);
            return "cid-" + asked.size();
        }

        @Override
        public boolean presence(String state, String text) {
            asked.add("presence " + state + " " + text);
            return true;
        }

        @Override
        public void read(long seq) {
            asked.add("read " + seq);
        }

        @Override
        public void leave() {}
    };

    private static Message.Welcome welcome(Map<String, Message.Status> presence, Map<String, Long> reads) {
        return new Message.Welcome(
                1,
                "Lunch",
                "alice",
                List.of("alice", "bob", "carol"),
                List.of(),
                2,
                "test",
                "room",
                null,
                null,
                Message.CAPS,
                "",
                Map.of(),
                presence,
                reads);
    }

    private static RoomEvent.Posted post(long seq, String from, String text, String to) {
        return new RoomEvent.Posted(new ChatMessage(seq, "m" + seq, from, text, T0, 0, to));
    }

    private static List<String> texts(RoomViewModel vm) {
        return vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message)
                .map(i -> ((ChatItem.Message) i).text())
                .toList();
    }

    @Test
    void directMessagesLiveInTheirOwnConversation() {
        var room = new RoomViewModel(false, r -> {});
        List<String> opened = new ArrayList<>();
        var dm = new RoomViewModel(false, r -> {});
        room.setOnDirect((peer, seq) -> {
            opened.add(peer + "@" + seq);
            if (opened.size() == 1) { // the window opens the conversation, which then follows the room
                dm.direct(peer, "Lunch");
                dm.open(session, new InviteLink("h", 1), peer, List.of(), List.of(), true);
                dm.seen(false);
                room.follow(dm);
            }
        });
        RoomViewFixture.joined(room, session, welcome(Map.of(), Map.of()), new InviteLink("h", 1));
        room.apply(List.of(
                new FxBridge.Update.Event(post(3, "bob", "hi all", null)),
                new FxBridge.Update.Event(post(4, "bob", "psst, alice", "alice")),
                new FxBridge.Update.Event(post(5, "carol", "carol to bob", "bob")), // never reaches alice anyway
                new FxBridge.Update.Event(post(6, "alice", "yes?", "bob"))));
        assertThat(texts(room)).containsExactly("hi all");
        assertThat(opened).as("not for others' conversations").containsExactly("bob@4", "bob@6");
        assertThat(texts(dm)).containsExactly("psst, alice", "yes?");
        assertThat(dm.roomNameProperty().get()).isEqualTo("bob");
        assertThat(dm.unreadProperty().get()).isEqualTo(1);
        assertThat(dm.mentionsProperty().get())
                .as("a direct message counts as a mention")
                .isEqualTo(1);

        // bob has read the conversation: seen, in it only (the room's marks are the room's)
        var mine = (ChatItem.Message) dm.messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.text().equals("yes?"))
                .findFirst()
                .orElseThrow();
        assertThat(dm.seenBy(mine)).isEmpty();
        room.apply(List.of(new FxBridge.Update.Read("bob", 6, true)));
        assertThat(dm.seenBy(mine)).containsExactly("bob");
        room.apply(List.of(new FxBridge.Update.Read("bob", 6, false)));
        dm.seen(true);
        assertThat(asked).as("reading the conversation tells bob").contains("read 6");

        // bob renames: the conversation follows him
        room.apply(List.of(new FxBridge.Update.Event(new RoomEvent.Renamed(7, "r", T0, "bob", "robert"))));
        assertThat(dm.directWithProperty().get()).isEqualTo("robert");

        // /msg from the room's composer goes to that member only
        room.draftProperty().set("/msg carol see you at noon");
        assertThat(room.send()).isTrue();
        assertThat(asked).contains("dm carol see you at noon");
    }

    @Test
    void statusesAndReadReceipts() {
        var room = new RoomViewModel(false, r -> {});
        RoomViewFixture.joined(
                room,
                session,
                welcome(Map.of("bob", new Message.Status("away", "lunch")), Map.of("carol", 2L)),
                new InviteLink("h", 1));
        assertThat(room.statusOf("BOB").state()).isEqualTo("away");
        assertThat(room.statusOf("carol")).isNull();
        room.apply(List.of(
                new FxBridge.Update.Presence("bob", "online", ""),
                new FxBridge.Update.Presence("carol", "dnd", "focus"),
                new FxBridge.Update.Event(post(3, "alice", "mine", null), "cid-x")));
        assertThat(room.statusOf("bob")).isNull();
        assertThat(room.statusOf("carol").text()).isEqualTo("focus");
        var mine = (ChatItem.Message) room.messages().stream()
                .filter(i -> i instanceof ChatItem.Message m && m.text().equals("mine"))
                .findFirst()
                .orElseThrow();
        assertThat(room.seenBy(mine)).isEmpty();
        int version = room.readsVersionProperty().get();
        room.apply(List.of(new FxBridge.Update.Read("carol", 3), new FxBridge.Update.Read("bob", 3)));
        assertThat(room.readsVersionProperty().get()).isGreaterThan(version);
        assertThat(room.seenBy(mine)).containsExactly("bob", "carol");

        // receipts: sent while the room is in front of the person, never when turned off
        assertThat(asked).contains("read 3");
        asked.clear();
        room.seen(false);
        room.apply(List.of(new FxBridge.Update.Event(post(4, "bob", "later", null))));
        assertThat(asked).noneMatch(a -> a.startsWith("read"));
        room.sendReceiptsProperty().set(false);
        room.seen(true);
        assertThat(asked).noneMatch(a -> a.startsWith("read"));
        room.sendReceiptsProperty().set(true);
        room.apply(List.of(new FxBridge.Update.Event(post(5, "bob", "now", null))));
        assertThat(asked).contains("read 5");

        room.draftProperty().set("/away out for lunch");
        assertThat(room.send()).isTrue();
        room.draftProperty().set("/back");
        assertThat(room.send()).isTrue();
        assertThat(asked).contains("presence away out for lunch", "presence online ");
    }
}
