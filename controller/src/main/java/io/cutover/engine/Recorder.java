package io.cutover.engine;

import io.cutover.journal.Journal;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.JournalWriteException;
import java.util.Optional;

/**
 * Writes the journal and tells the display, in that order: a record is on disk before anyone is
 * told, and before the action it announces goes further.
 */
final class Recorder {

    private final Journal journal;
    private final EventSink sink;

    Recorder(Journal journal, EventSink sink) {
        this.journal = journal;
        this.sink = sink;
    }

    /** Appends a record; a {@link JournalWriteException} means the action it announces must not go further. */
    void record(JournalEvent event) {
        journal.append(event);
    }

    /**
     * Appends a record that announces no action (an ending, a rollback already decided on): one
     * that cannot be written must not stop what follows, so this returns why instead of throwing.
     */
    Optional<String> tryRecord(JournalEvent event) {
        try {
            record(event);
            return Optional.empty();
        } catch (JournalWriteException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code reason}, with the journal's problem added when a record of it could not be written. */
    static String withProblem(String reason, Optional<String> problem) {
        if (problem.isEmpty() || (reason != null && reason.contains(problem.get()))) {
            return reason;
        }
        return reason == null ? problem.get() : reason + "; " + problem.get();
    }

    void tell(Event event) {
        sink.on(event);
    }
}
