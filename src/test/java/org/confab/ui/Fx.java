package org.confab.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.geometry.Bounds;
import javafx.scene.Node;
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

    /**
     * Waits until {@code node} is shown and stays put (its place on the screen the same on two
     * looks in a row): a click aimed at it then lands on it, even while a window is still being
     * laid out (a busy machine).
     */
    public static void settled(String what, Supplier<Node> node) {
        Bounds[] last = {null};
        await("the " + what + " in place", 20, () -> {
            Node n = node.get();
            if (n == null
                    || !n.isVisible()
                    || n.getScene() == null
                    || !n.getScene().getWindow().isShowing()) {
                return false;
            }
            Bounds now = n.localToScreen(n.getBoundsInLocal());
            boolean same = now != null && now.equals(last[0]);
            last[0] = now;
            return same;
        });
    }

    private static void await0(String what, int seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> call(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("Timed out after " + seconds + " s waiting for: " + what);
        }
    }
}
