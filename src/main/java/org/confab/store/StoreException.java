package org.confab.store;

/** Saving or loading failed; the message is a sentence for a person (disk full, file in use, ...). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
