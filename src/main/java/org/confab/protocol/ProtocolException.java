package org.confab.protocol;

/** The peer broke the protocol. Carries a wire code and a sentence a person can read. */
public final class ProtocolException extends Exception {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
