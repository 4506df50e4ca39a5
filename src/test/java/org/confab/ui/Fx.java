package org.confab.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.testfx.util.WaitForAsyncUtils;

/** Test helpers: run on the FX thread and wait; wait for a condition without sleeping blindly. */
public final class Fx {
    private Fx() {}

    public static <T> T call(Callable<T> work) {
        try {
            return WaitForAsyncUtils.asyncFx(work).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("FX call failed: " + e, e);
        }
    }

    public static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** Waits until {@code condition} (evaluated on the FX thread) holds. */
    public static void await(String what, int seconds, BooleanSupplier condition) {
        long t0 = System.nanoTime();
        try {
            await0(what, seconds, condition);
        } finally {
            if (System.getenv("FX_TRACE") != null)
                System.err.println("AWAIT " + what + " " + (System.nanoTime() - t0) / 1000000 + " ms");
        }
    }

    /** {@link #await}, and on a timeout says what {@code seen} shows then (the value that never matched). */
    public static void await(String what, int seconds, BooleanSupplier condition, Supplier<String> seen) {
        try {
            await0(what, seconds, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (saw: " + call(seen::get) + ")", e);
        }
    }

    private static void await0(String what, int seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> call(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("Timed out after " + seconds + " s waiting for: " + what);
        }
    }
}
