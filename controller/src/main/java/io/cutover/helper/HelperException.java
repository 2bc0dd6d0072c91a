package io.cutover.helper;

/** The helper did not answer as the protocol says (no JSON, wrong shape): a per-host failure. */
public final class HelperException extends RuntimeException {

    public HelperException(String message) {
        super(message);
    }
}
