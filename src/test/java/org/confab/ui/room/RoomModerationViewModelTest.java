package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.confab.core.InviteLink;
import org.confab.core.Moderation;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.junit.jupiter.api.Test;

/**
 * The room view model's side of topic, roles, moderation and composer commands: what the header
 * and member list show, the lines the room gets, and what each command asks the connection.
 */
class RoomModerationViewModelTest {
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
        public boolean setTopic(String text) {
            asked.add("topic " + text);
            return true;
        }

        @Override
        public boolean moderate(Moderation.Action action, String nick, String reason, long minutes) {
            asked.add(action.wire() + " " + nick + " [" + reason + "] " + minutes);
            return true;
        }

        @Override
        public void leave() {}
    };
    private final RoomViewModel vm = new RoomViewModel(false, r -> {});

    private void join() {
        var w = new Message.Welcome(
                1,
                "Lunch",
                "alice",
                List.of("henry", "Ann Lee", "alice"),
                List.of(),
                3,
                "test",
                "room",
                null,
                null,
                Message.CAPS,
                "Release planning",
                Map.of("henry", "host", "alice", "moderator"));
        RoomViewFixture.joined(vm, session, w, new InviteLink("10.0.0.5", 4747));
    }

    private List<String> lines() {
        return vm.messages().stream()
                .filter(i -> i instanceof ChatItem.Notice)
                .map(i -> ((ChatItem.Notice) i).text())
                .toList();
    }

    @Test
    void topicAndRolesFollowTheWelcomeAndTheEvents() {
        join();
        assertThat(vm.topicProperty().get()).isEqualTo("Release planning");
        assertThat(vm.roleOf("HENRY")).isEqualTo(Moderation.Role.HOST);
        assertThat(vm.myRoleProperty().get()).isEqualTo(Moderation.Role.MODERATOR);
        assertThat(vm.roleOf("Ann Lee")).isEqualTo(Moderation.Role.MEMBER);

        vm.apply(List.of(
                new FxBridge.Update.Event(new RoomEvent.TopicSet(4, "t", T0, "henry", "Ship it")),
                new FxBridge.Update.Event(new RoomEvent.Moderated(5, "m", T0, "henry", "mod", "Ann Lee", "", null)),
                new FxBridge.Update.Event(new RoomEvent.Renamed(6, "r", T0, "Ann Lee", "ann")),
                new FxBridge.Update.Event(new RoomEvent.Moderated(7, "u", T0, "henry", "unmod", "alice", "", null)),
                new FxBridge.Update.Event(
                        new RoomEvent.Moderated(8, "x", T0, "alice", "mute", "ann", "calm", T0.plusSeconds(900)))));
        assertThat(vm.topicProperty().get()).isEqualTo("Ship it");
        assertThat(vm.roleOf("ann")).as("the role follows a rename").isEqualTo(Moderation.Role.MODERATOR);
        assertThat(vm.myRoleProperty().get()).isEqualTo(Moderation.Role.MEMBER);
        assertThat(lines())
                .contains(
                        "henry set the topic: Ship it",
                        "henry made Ann Lee a moderator",
                        "henry took moderation back from alice",
                        "You muted ann for 15 minutes: calm");
    }

    @Test
    void commandsAskTheConnectionAndUnknownOnesGetAHint() {
        join();
        vm.draftProperty().set("/topic Lunch at noon");
        assertThat(vm.send()).isTrue();
        vm.draftProperty().set("/kick Ann Lee being rude");
        assertThat(vm.send()).isTrue();
        vm.draftProperty().set("/mute henry 10");
        assertThat(vm.send()).isTrue();
        vm.draftProperty().set("/me waves");
        assertThat(vm.send()).isTrue();
        assertThat(asked)
                .containsExactly(
                        "topic Lunch at noon", "kick Ann Lee [being rude] 0", "mute henry [] 10", "send /me waves");
        assertThat(vm.draftProperty().get()).isEmpty();

        vm.draftProperty().set("/mute henry soon");
        assertThat(vm.send()).isFalse();
        assertThat(vm.lastErrorProperty().get()).startsWith("Usage: /mute NICK MINUTES [REASON]");
        vm.draftProperty().set("/tpoic hi");
        assertThat(vm.send()).isFalse();
        assertThat(vm.lastErrorProperty().get())
                .contains("Unknown command /tpoic")
                .contains("Did you mean /topic?");
        assertThat(vm.draftProperty().get()).as("kept for fixing").isEqualTo("/tpoic hi");
        vm.draftProperty().set("/reply 3 hi");
        assertThat(vm.send()).as("the desktop replies from the message's menu").isFalse();

        vm.draftProperty().set("/help");
        assertThat(vm.send()).isTrue();
        assertThat(lines().getLast()).contains("/kick NICK [REASON]").contains("/topic [TEXT]");
        assertThat(asked).hasSize(4);

        vm.draftProperty().set("//kick is a word");
        assertThat(vm.send()).isTrue();
        assertThat(asked.getLast()).isEqualTo("send /kick is a word");
    }
}
