package org.confab.ui.shell;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * This person's status as the window tells it to every room: the one they chose ({@code /away},
 * {@code /dnd}, {@code /back}), or {@code away} by itself after {@link #AUTO_AWAY} without
 * keyboard or mouse input, back to the chosen one at the next input. Only an {@code online}
 * person goes away by itself. Plain Java with its own clock, so the idle rule is tested without a
 * window or a ten-minute wait; the window calls {@link #input} from its event filters and
 * {@link #check} from a timer.
 */
final class IdlePresence {
    /** Away by itself after this long without input. */
    static final Duration AUTO_AWAY = Duration.ofMinutes(MainWindow.AUTO_AWAY_MINUTES);

    private final LongSupplier nanos;
    private final BiConsumer<String, String> tell;
    private String chosenState = "online";
    private String chosenText = "";
    private boolean autoAway;
    private long lastInput;

    /**
     * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime})
     * @param tell  tells every room a state ({@code online}, {@code away}, {@code dnd}) and its text
     */
    IdlePresence(LongSupplier nanos, BiConsumer<String, String> tell) {
        this.nanos = nanos;
        this.tell = tell;
        this.lastInput = nanos.getAsLong();
    }

    /** The person chose a status: told now, and no longer away by itself. */
    void choose(String state, String text) {
        chosenState = Objects.requireNonNull(state);
        chosenText = text == null ? "" : text;
        autoAway = false;
        tell.accept(chosenState, chosenText);
    }

    /** Keyboard or mouse in the window: back from an automatic away. */
    void input() {
        lastInput = nanos.getAsLong();
        if (autoAway) {
            autoAway = false;
            tell.accept(chosenState, chosenText);
        }
    }

    /** Online, but no input for {@link #AUTO_AWAY}: away by itself (told once). */
    void check() {
        if (!autoAway && chosenState.equals("online") && nanos.getAsLong() - lastInput > AUTO_AWAY.toNanos()) {
            autoAway = true;
            tell.accept("away", "");
        }
    }

    /** The state the person chose: {@code online}, {@code away} or {@code dnd}. */
    String chosen() {
        return chosenState;
    }

    /** Away because of no input (not chosen). */
    boolean autoAway() {
        return autoAway;
    }
}
