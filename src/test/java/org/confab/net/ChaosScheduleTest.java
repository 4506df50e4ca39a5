package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The chaos schedule is a pure function of the seed (so a failing run can be replayed) and aims at every phase. */
class ChaosScheduleTest {
    @Test
    void theSameSeedGivesTheSamePlansAndEveryAimIsDrawn() {
        var a = ChaosProxy.Schedule.everyPhase(42, true);
        List<ChaosProxy.Plan> first = IntStream.range(0, 1000).mapToObj(a::plan).toList();
        assertThat(IntStream.range(0, 1000)
                        .mapToObj(ChaosProxy.Schedule.everyPhase(42, true)::plan)
                        .toList())
                .isEqualTo(first);
        assertThat(IntStream.range(0, 1000)
                        .mapToObj(ChaosProxy.Schedule.everyPhase(43, true)::plan)
                        .toList())
                .isNotEqualTo(first);
        var aims = EnumSet.noneOf(ChaosProxy.Aim.class);
        first.forEach(p -> aims.add(p.aim()));
        assertThat(aims).isEqualTo(EnumSet.complementOf(EnumSet.of(ChaosProxy.Aim.NONE)));
        assertThat(first).anyMatch(ChaosProxy.Plan::reset).anyMatch(p -> !p.reset());
        assertThat(first).allMatch(p -> p.fraction() >= 0 && p.fraction() < 1);
        assertThat(first)
                .filteredOn(p -> p.aim() == ChaosProxy.Aim.CHAT)
                .allMatch(p -> p.chatBytes() >= 1_000 && p.chatBytes() <= 30_000);
    }

    @Test
    void withoutAPasswordNoCutAimsAtThePasswordExchange() {
        var s = ChaosProxy.Schedule.everyPhase(7, false);
        assertThat(IntStream.range(0, 1000).mapToObj(s::plan))
                .noneMatch(p -> EnumSet.of(
                                ChaosProxy.Aim.AUTH_START,
                                ChaosProxy.Aim.CHALLENGE,
                                ChaosProxy.Aim.AUTH_FINISH,
                                ChaosProxy.Aim.AUTH_OK)
                        .contains(p.aim()));
    }
}
