package org.confab.ui.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.confab.ui.common.Settings;
import org.junit.jupiter.api.Test;

class HostViewModelTest {
    private final Settings settings = Settings.inMemory();

    @Test
    void defaultsAndValidation() {
        var vm = new HostViewModel(settings);
        assertThat(vm.port().text()).isEqualTo("4747");
        assertThat(vm.submit()).isFalse();
        assertThat(vm.roomName().shownProblemProperty().get()).contains("name");
        assertThat(vm.nick().shownProblemProperty().get()).isEmpty();
        vm.roomName().textProperty().set("Design team");
        vm.nick().textProperty().set("");
        assertThat(vm.nick().shownProblemProperty().get()).contains("empty");
        vm.nick().textProperty().set("alice");
        assertThat(vm.validProperty().get()).isTrue();
        assertThat(vm.portValue()).isEqualTo(4747);
    }

    @Test
    void aFreshInstallTakesTheNicknameFromTheUserNameAndThenTheOneUsed() {
        var vm = new HostViewModel(settings, "Ann\u0000 Lee");
        assertThat(vm.nick().text()).isEqualTo("Ann Lee");
        assertThat(vm.nick().problemProperty().get()).isEmpty();
        assertThat(new HostViewModel(settings, "\u0000").nick().text()).isEqualTo("guest");
        vm.roomName().textProperty().set("Lunch");
        vm.nick().textProperty().set("annie");
        vm.remember();
        assertThat(new HostViewModel(settings, "Ann Lee").nick().text()).isEqualTo("annie");
    }

    @Test
    void portZeroIsAllowedAndOutOfRangeIsNot() {
        var vm = new HostViewModel(settings);
        vm.port().textProperty().set("0");
        assertThat(vm.port().problemProperty().get()).isEmpty();
        vm.port().textProperty().set("65536");
        assertThat(vm.port().problemProperty().get()).contains("0 to 65535");
        vm.port().textProperty().set("47a");
        assertThat(vm.port().problemProperty().get()).contains("number");
    }

    @Test
    void nicknameRulesApply() {
        var vm = new HostViewModel(settings);
        vm.nick().textProperty().set("x".repeat(33));
        assertThat(vm.nick().shownProblemProperty().get()).contains("at most 32");
        vm.nick().textProperty().set("a\u0000b");
        assertThat(vm.nick().shownProblemProperty().get()).contains("control");
    }

    @Test
    void startFailureShowsUnderThePortUntilEdited() {
        var vm = new HostViewModel(settings);
        vm.startFailed(
                "Port 4747 is already in use. Stop the other program or choose another port (0 picks a free one).");
        assertThat(vm.port().shownProblemProperty().get()).contains("already in use");
        vm.port().textProperty().set("0");
        assertThat(vm.port().shownProblemProperty().get()).isEmpty();
    }

    @Test
    void remembersNickRoomAndPort() {
        var vm = new HostViewModel(settings);
        vm.roomName().textProperty().set("Lunch ");
        vm.nick().textProperty().set("alice");
        vm.port().textProperty().set("5000");
        vm.remember();
        var again = new HostViewModel(settings);
        assertThat(again.roomName().text()).isEqualTo("Lunch");
        assertThat(again.nick().text()).isEqualTo("alice");
        assertThat(again.port().text()).isEqualTo("5000");
    }

    @Test
    void anEmptyPasswordMeansAnOpenRoomAndIsNeverRemembered() {
        Settings settings = Settings.inMemory();
        HostViewModel vm = new HostViewModel(settings);
        assertThat(vm.passwordValue()).isNull();
        vm.passwordProperty().set("pw");
        assertThat(vm.passwordValue()).isEqualTo("pw");
        vm.roomName().textProperty().set("R");
        vm.nick().textProperty().set("n");
        vm.remember();
        assertThat(new HostViewModel(settings).passwordValue()).isNull();
    }

    @Test
    void announcingIsOnByDefaultAndRemembered() {
        var vm = new HostViewModel(settings);
        assertThat(vm.announceProperty().get()).isTrue();
        vm.announceProperty().set(false);
        assertThat(new HostViewModel(settings).announceProperty().get())
                .as("only a successful start remembers it")
                .isTrue();
        vm.roomName().textProperty().set("Quiet");
        vm.nick().textProperty().set("erin");
        vm.remember();
        assertThat(settings.get(HostViewModel.ANNOUNCE, "")).isEqualTo("false");
        assertThat(new HostViewModel(settings).announceProperty().get()).isFalse();
    }

    @Test
    void fileLimitsAreSizesAsTypedAndOffMeansNone() {
        var vm = new HostViewModel(settings);
        assertThat(vm.fileLimits())
                .isEqualTo(new HostViewModel.FileLimits(4L << 30, 20L << 30)); // confab host's defaults
        vm.maxFileSize().textProperty().set("500M");
        vm.fileQuota().textProperty().set("2.5G");
        assertThat(vm.fileLimits()).isEqualTo(new HostViewModel.FileLimits(500L << 20, 5L << 29));
        vm.maxFileSize().textProperty().set("0");
        assertThat(vm.maxFileSize().problemProperty().get()).contains("at least 1 byte");
        vm.maxFileSize().textProperty().set("big");
        assertThat(vm.maxFileSize().problemProperty().get()).contains("not a size");
        // off: the limits are not asked for, and the room takes no files
        vm.filesProperty().set(false);
        assertThat(vm.maxFileSize().problemProperty().get()).isEmpty();
        assertThat(vm.fileLimits().maxFileSize()).isZero();
        assertThat(vm.fileLimits().quota()).isEqualTo(5L << 29);
    }
}
