package org.confab.net;

/** The host could not start; the message is a sentence for the person who asked. */
public final class HostStartException extends Exception {
    public HostStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
