package org.confab.ui.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.confab.core.InviteLink;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.confab.ui.Fx;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A big room whose host loads the member list lazily (docs/protocol.md §20): the sidebar and the
 * header show the host's count, "Show all members" asks for the list once, and the list that
 * comes replaces the count and follows joins from then on.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class BigRoomMembersUiTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private final AtomicInteger watches = new AtomicInteger();
    private RoomViewModel vm;
    private Scene scene;

    @Start
    void start(Stage stage) {
        Theme theme = new Theme(Settings.inMemory());
        theme.install();
        vm = new RoomViewModel(false, Runnable::run);
        RoomActions session = new RoomActions() {
            @Override
            public String nick() {
                return "me";
            }

            @Override
            public String send(String text) {
                return null;
            }

            @Override
            public void watchMembers() {
                watches.incrementAndGet();
            }

            @Override
            public void leave() {}
        };
        RoomViewFixture.joined(
                vm,
                session,
                new Message.Welcome(
                        1,
                        "All hands",
                        "me",
                        List.of("me"),
                        List.of(),
                        12_000,
                        "test",
                        "r",
                        null,
                        null,
                        Message.CAPS,
                        "",
                        Map.of(),
                        Map.of(),
                        Map.of(),
                        4_321),
                new InviteLink("h", 1));
        scene = RoomViewFixture.scene(vm, theme, 900, 600, text -> {});
        stage.setScene(scene);
        stage.show();
    }

    private String label(String id) {
        return Fx.call(() -> ((Label) scene.lookup(id)).getText());
    }

    @Test
    void theCountShowsUntilTheListIsAskedForAndThenTheListFollowsJoins(FxRobot robot) {
        assertThat(label("#memberCount")).isEqualTo("MEMBERS — 4,321");
        assertThat(label("#headerSubtitle")).isEqualTo("4,321 members");
        Button show = Fx.call(() -> (Button) scene.lookup("#showMembersButton"));
        assertThat(Fx.call(show::isVisible)).isTrue();

        Fx.run(() -> vm.apply(List.of(new FxBridge.Update.Count(4_322))));
        Fx.await("the host's new count", 10, () -> label("#memberCount").equals("MEMBERS — 4,322"));

        robot.clickOn(show);
        Fx.await("asked for the list", 10, () -> watches.get() == 1);
        assertThat(Fx.call(show::isDisabled))
                .as("asked once: a second click does nothing")
                .isTrue();

        List<String> all =
                IntStream.range(0, 4_100).mapToObj(i -> "member" + i).collect(Collectors.toCollection(ArrayList::new));
        all.add("me");
        Fx.run(() -> vm.apply(List.of(new FxBridge.Update.Members(all, 12_010))));
        Fx.await("the list replaced the count", 10, () -> !show.isVisible());
        assertThat(label("#memberCount")).isEqualTo("MEMBERS — 4,101");
        assertThat(label("#headerSubtitle")).isEqualTo("4,101 members");
        @SuppressWarnings("unchecked")
        ListView<String> list = Fx.call(() -> (ListView<String>) scene.lookup("#memberList"));
        assertThat(Fx.call(() -> list.getItems().size())).isEqualTo(4_101);

        Fx.run(() -> vm.apply(List.of(new FxBridge.Update.Event(new RoomEvent.Joined(12_011, "j", T, "late")))));
        Fx.await("a join after the list counts", 10, () -> label("#memberCount").equals("MEMBERS — 4,102"));
        assertThat(label("#headerSubtitle")).isEqualTo("4,102 members");
        assertThat(Fx.call(() -> list.getItems().getLast())).isEqualTo("late");
    }
}
