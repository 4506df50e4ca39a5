package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionsTest {
    @Test
    void takesTheFirstWayThatOpens() {
        Attention taskbar = new Attention() {
            @Override
            public void unread(int count, boolean urgent) {}

            @Override
            public void close() {}
        };
        List<String> logged = new ArrayList<>();
        Attention chosen = Attentions.firstAvailable(
                List.of(
                        () -> {
                            throw new IOException("no session bus");
                        },
                        () -> taskbar,
                        () -> {
                            throw new AssertionError("not tried once one opened");
                        }),
                logged::add);
        assertThat(chosen).isSameAs(taskbar);
        assertThat(logged).isEmpty();
    }

    @Test
    void withNoWayItIsNoneAndEveryReasonIsLoggedInOneLine() {
        List<String> logged = new ArrayList<>();
        Attention chosen = Attentions.firstAvailable(
                List.of(
                        () -> {
                            throw new IOException("the session bus did not answer within 5 s");
                        },
                        () -> {
                            throw new UnsupportedOperationException("no Taskbar peer");
                        },
                        () -> {
                            throw new UnsatisfiedLinkError("no libawt_xawt");
                        }),
                logged::add);
        assertThat(chosen).isSameAs(Attention.NONE);
        assertThat(logged).hasSize(1);
        assertThat(logged.getFirst())
                .contains("did not answer")
                .contains("no Taskbar peer")
                .contains("no libawt_xawt");
        // NONE takes anything quietly
        Attention.NONE.unread(3, true);
        Attention.NONE.unread(0, false);
        Attention.NONE.close();
    }
}
