package org.confab.ui.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.confab.core.FileRef;

/**
 * Where one file transfer is, as the window shows it: {@code done} of {@code total} bytes at
 * {@code rate} bytes a second (smoothed), its status, where a download was saved, or why it
 * failed. Immutable; the room's {@code RoomFiles} replaces it as the transfer moves.
 */
public record Transfer(
        String key,
        String name,
        boolean upload,
        long done,
        long total,
        double rate,
        Status status,
        Path saved,
        String why) {
    public enum Status {
        /** Being hashed (an upload) or asked for: no bytes yet. */
        PREPARING,
        RUNNING,
        PAUSED,
        DONE,
        FAILED
    }

    public static Transfer preparing(String key, String name, boolean upload, long total) {
        return new Transfer(key, name, upload, 0, total, 0, Status.PREPARING, null, null);
    }

    public boolean active() {
        return status == Status.PREPARING || status == Status.RUNNING || status == Status.PAUSED;
    }

    /** 0..1, or -1 while nothing is known (an indeterminate bar). */
    public double fraction() {
        if (status == Status.PREPARING) {
            return -1;
        }
        return total <= 0 ? 1 : Math.min(1, (double) done / total);
    }

    /**
     * {@code newDone} bytes, {@code seconds} after the last step: the same transfer further on, its speed
     * smoothed over about two seconds so the number people read does not jump with every chunk.
     */
    public Transfer moved(long newDone, long newTotal, double seconds) {
        double r = rate;
        if (seconds > 0 && newDone >= done) {
            double now = (newDone - done) / seconds;
            double a = 1 - Math.exp(-seconds / 2.0);
            r = rate == 0 ? now : rate + a * (now - rate);
        }
        Status s = status == Status.PAUSED ? Status.PAUSED : Status.RUNNING;
        return new Transfer(key, name, upload, newDone, newTotal, r, s, saved, why);
    }

    public Transfer paused(boolean paused) {
        return new Transfer(key, name, upload, done, total, 0, paused ? Status.PAUSED : Status.RUNNING, saved, why);
    }

    public Transfer done(Path savedAs) {
        return new Transfer(key, name, upload, total, total, 0, Status.DONE, savedAs, null);
    }

    public Transfer failed(String reason) {
        return new Transfer(key, name, upload, done, total, 0, Status.FAILED, saved, reason);
    }

    /** What the card's second line says: "12 MB of 45 MB · 4.5 MB/s · 8 s left", "Paused · …", the failure. */
    public String detail() {
        String amount = FileRef.humanSize(done) + " of " + FileRef.humanSize(total);
        return switch (status) {
            case PREPARING -> upload ? "Preparing…" : "Starting…";
            case PAUSED -> "Paused · " + amount;
            case RUNNING -> {
                if (rate < 1) {
                    yield amount;
                }
                long left = (long) Math.ceil((total - done) / rate);
                yield amount + " · " + FileRef.humanSize((long) rate) + "/s · " + timeLeft(Duration.ofSeconds(left));
            }
            case DONE -> upload ? "Shared" : "Saved";
            case FAILED -> why == null ? "Failed" : why;
        };
    }

    /** "8 s left", "3 min left", "2 h 5 min left". */
    static String timeLeft(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " s left";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min left", (s + 30) / 60);
        }
        return String.format(Locale.ROOT, "%d h %d min left", s / 3600, (s % 3600) / 60);
    }
}
