package org.confab.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.confab.core.InviteLink;
import org.confab.net.Disconnect;
import org.confab.net.Joined;
import org.confab.ui.room.FxBridge;
import org.confab.ui.room.RoomActions;
import org.confab.ui.room.RoomViewModel;
import org.confab.ui.shell.StatusViewModel.Dot;
import org.confab.ui.shell.StatusViewModel.Hosting;
import org.junit.jupiter.api.Test;

/** The status bar's line and dot, without the toolkit. */
class StatusViewModelTest {
    private final StatusViewModel status = new StatusViewModel();

    private static RoomViewModel room(boolean hosting) {
        RoomViewModel vm = new RoomViewModel(hosting, Runnable::run);
        vm.open(
                new RoomActions() {
                    @Override
                    public String nick() {
                        return "ann";
                    }

                    @Override
                    public String send(String text) {
                        return "c1";
                    }

                    @Override
                    public void leave() {}
                },
                new InviteLink("192.168.1.5", 4747),
                "Lunch",
                List.of(),
                List.of(),
                false);
        return vm;
    }

    private static void connect(RoomViewModel vm, String nick) {
        vm.apply(List.of(new FxBridge.Update.Connected(
                new Joined("Lunch", nick, List.of(nick), 0, "test", "r1", Joined.Resume.NONE))));
    }

    @Test
    void startScreenSaysNotInARoom() {
        assertThat(status.textProperty().get()).isEqualTo("Not in a room");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.OFFLINE);
    }

    @Test
    void hostingStepsThenTheRunningRoomBeforeItIsEntered() {
        status.hosting(new Hosting.Starting(""));
        assertThat(status.textProperty().get()).isEqualTo("Starting the room…");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.BUSY);
        status.hosting(new Hosting.Starting("Listening on port 4747, joining it…"));
        assertThat(status.textProperty().get()).isEqualTo("Listening on port 4747, joining it…");
        status.hosting(new Hosting.Running("Lunch", 4747));
        assertThat(status.textProperty().get()).isEqualTo("Hosting “Lunch” on port 4747");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.ONLINE);
    }

    @Test
    void hostingFailureIsShownUntilSomethingElseHappens() {
        status.hosting(new Hosting.Failed("Port 4747 is in use."));
        assertThat(status.textProperty().get()).isEqualTo("Hosting failed: Port 4747 is in use.");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.OFFLINE);
        status.joining("Connecting to 10.0.0.2:4747…");
        assertThat(status.textProperty().get())
                .as("a failure is only news while no room is shown")
                .isEqualTo("Hosting failed: Port 4747 is in use.");
        status.hosting(Hosting.IDLE);
        assertThat(status.textProperty().get()).isEqualTo("Connecting to 10.0.0.2:4747…");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.BUSY);
    }

    @Test
    void aJoinedRoomFollowsItsConnectionAndNickname() {
        RoomViewModel vm = room(false);
        status.room(vm, -1);
        assertThat(status.textProperty().get()).isEqualTo("Reconnecting to 192.168.1.5:4747…");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.BUSY);
        connect(vm, "ann");
        assertThat(status.textProperty().get()).isEqualTo("Connected to 192.168.1.5:4747 as ann");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.ONLINE);
        connect(vm, "ann2"); // the host gave another nickname on a rejoin
        assertThat(status.textProperty().get()).isEqualTo("Connected to 192.168.1.5:4747 as ann2");
        vm.apply(List.of(new FxBridge.Update.Disconnected(new Disconnect(Disconnect.Kind.ROOM_CLOSED, "closed"))));
        assertThat(status.textProperty().get()).isEqualTo("Disconnected from 192.168.1.5:4747");
        assertThat(status.dotProperty().get()).isEqualTo(Dot.OFFLINE);
    }

    @Test
    void aHostedRoomSaysItsPortAndAJoinUnderWayComesFirst() {
        RoomViewModel vm = room(true);
        connect(vm, "ann");
        status.hosting(new Hosting.Running("Lunch", 4747));
        status.room(vm, 4747);
        assertThat(status.textProperty().get()).isEqualTo("Hosting “Lunch” on port 4747 · connected as ann");
        status.joining("Connecting to 10.0.0.2:4747…");
        assertThat(status.textProperty().get()).isEqualTo("Connecting to 10.0.0.2:4747…");
        status.joining(null);
        status.room(null, -1);
        status.hosting(Hosting.IDLE);
        assertThat(status.textProperty().get()).isEqualTo("Not in a room");
        connect(vm, "someone else");
        assertThat(status.textProperty().get())
                .as("a room no longer shown is no longer followed")
                .isEqualTo("Not in a room");
    }
}
