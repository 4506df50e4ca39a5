package org.confab.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {
    @Test
    void friendlyTextIsTheRootCauseMessageWithoutATrace() {
        var e = new RuntimeException("wrapper", new IOException("Disk full"));
        assertThat(ErrorHandler.friendly(e)).isEqualTo("Disk full");
    }

    @Test
    void withoutAMessageItNamesTheKindOnly() {
        assertThat(ErrorHandler.friendly(new NullPointerException()))
                .isEqualTo("An unexpected problem occurred (NullPointerException).");
    }

    @Test
    void longMessagesAreCut() {
        assertThat(ErrorHandler.friendly(new IllegalStateException("x".repeat(1000))))
                .hasSize(301);
    }
}
