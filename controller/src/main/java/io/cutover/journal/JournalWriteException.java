package io.cutover.journal;

/**
 * The run journal cannot be written (disk full, no permission). A host whose record cannot be
 * written stops there and is reported with this reason; the run can be resumed once it is fixed.
 */
public final class JournalWriteException extends JournalException {

    public JournalWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
