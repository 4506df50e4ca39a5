package org.confab.ui.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link Attention} for tests: records each badge the window asks for, as "count" or "count!" when urgent. */
public final class RecordingAttention implements Attention {
    private final List<String> badges = new CopyOnWriteArrayList<>();

    @Override
    public void unread(int count, boolean urgent) {
        String badge = count + (urgent ? "!" : "");
        if (badges.isEmpty() || !badges.getLast().equals(badge)) {
            badges.add(badge);
        }
    }

    /** The badges asked for so far, repeats folded, oldest first. */
    public List<String> badges() {
        return List.copyOf(badges);
    }

    /** The badge now ("0" before any). */
    public String now() {
        return badges.isEmpty() ? "0" : badges.getLast();
    }

    @Override
    public void close() {}
}
