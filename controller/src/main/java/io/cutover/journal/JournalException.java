package io.cutover.journal;

/** The run journal cannot be written or read: the run stops (exit 3, resumable once fixed). */
public final class JournalException extends RuntimeException {

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    public JournalException(String message) {
        super(message);
    }
}
