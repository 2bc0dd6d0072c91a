package io.cutover.journal;

/**
 * The root of the journal's failures. As thrown, the journal cannot be read or is not a run
 * journal: a file the user gave, to fix or to point elsewhere (the message names the file and
 * the record's line). {@link JournalWriteException} is the other kind.
 */
public class JournalException extends RuntimeException {

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    public JournalException(String message) {
        super(message);
    }
}
