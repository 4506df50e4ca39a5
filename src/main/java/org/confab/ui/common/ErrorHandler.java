package org.confab.ui.common;

import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/**
 * The default uncaught-exception handler: logs the whole trace to stderr and tells the person, in
 * one sentence, that something went wrong (one dialog at a time; never a stack trace on screen).
 */
public final class ErrorHandler implements Thread.UncaughtExceptionHandler {
    private final DialogService dialogs;
    private final AtomicBoolean showing = new AtomicBoolean();

    public ErrorHandler(DialogService dialogs) {
        this.dialogs = dialogs;
    }

    /** Installs this handler for every thread. */
    public void install() {
        Thread.setDefaultUncaughtExceptionHandler(this);
        if (Platform.isFxApplicationThread()) {
            Thread.currentThread().setUncaughtExceptionHandler(this);
        }
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        System.err.println("confab: unexpected error on thread \"" + thread.getName() + "\":");
        error.printStackTrace(System.err);
        if (!showing.compareAndSet(false, true)) {
            return;
        }
        Runnable show = () -> {
            try {
                dialogs.error(
                        "Something went wrong",
                        friendly(error) + "\n\nConfab keeps running. Details were written to the error output.");
            } catch (RuntimeException again) {
                again.printStackTrace(System.err);
            } finally {
                showing.set(false);
            }
        };
        try {
            if (Platform.isFxApplicationThread()) {
                show.run();
            } else {
                Platform.runLater(show);
            }
        } catch (IllegalStateException toolkitGone) {
            showing.set(false);
        }
    }

    /** One line about the error, without class names where a message exists. */
    public static String friendly(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = error.getMessage();
        }
        if (msg == null || msg.isBlank()) {
            return "An unexpected problem occurred (" + root.getClass().getSimpleName() + ").";
        }
        return msg.length() > 300 ? msg.substring(0, 300) + "…" : msg;
    }
}
