package org.confab.ui.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.confab.net.discovery.FakeProbes;
import org.junit.jupiter.api.Test;

/** The panel's state without the toolkit: checks in the report's order, a stale run ignored, copy. */
class DiagnosticsViewModelTest {
    /** Runs what it is given when told to: the test decides when the "FX thread" and the background run. */
    private static final class Queue implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        void drain() {
            while (!tasks.isEmpty()) {
                tasks.removeFirst().run();
            }
        }
    }

    @Test
    void runsInTheBackgroundAndCopiesTheFinishedReport() {
        var fx = new Queue();
        var bg = new Queue();
        List<String> clip = new ArrayList<>();
        var vm = new DiagnosticsViewModel(FakeProbes.homeWifi(), fx, bg, clip::add);

        vm.run("192.168.1.20");
        assertThat(vm.runningProperty().get()).isTrue();
        vm.copy();
        assertThat(clip).as("nothing to copy yet").isEmpty();
        bg.drain();
        assertThat(vm.checks()).as("applied on the FX executor only").isEmpty();
        fx.drain();
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.checks().stream().map(c -> c.id()).toList())
                .containsExactly("interfaces", "addresses", "multicast", "room", "firewall");
        vm.copy();
        assertThat(clip).hasSize(1);
        assertThat(clip.getFirst()).contains("[problem] Room at 192.168.1.20:4747");
        assertThat(vm.copiedProperty().get()).isEqualTo("Copied");
    }

    @Test
    void aNewRunHidesWhatTheOldOneStillReports() {
        var fx = new Queue();
        var bg = new Queue();
        var vm = new DiagnosticsViewModel(FakeProbes.homeWifi(), fx, bg, t -> {});
        vm.run("");
        bg.drain(); // the first run's results wait on the FX queue
        vm.run("192.168.1.20");
        fx.drain();
        assertThat(vm.runningProperty().get())
                .as("the second run has not finished")
                .isTrue();
        assertThat(vm.checks()).isEmpty();
        bg.drain();
        fx.drain();
        assertThat(vm.checks()).hasSize(5);
    }

    @Test
    void anUnreadableAddressIsAnErrorAndRunsNothing() {
        var bg = new Queue();
        var vm = new DiagnosticsViewModel(FakeProbes.homeWifi(), Runnable::run, bg, t -> {});
        vm.run("host:70000");
        assertThat(vm.errorProperty().get()).isNotBlank();
        assertThat(bg.tasks).isEmpty();
        assertThat(vm.runningProperty().get()).isFalse();
    }
}
