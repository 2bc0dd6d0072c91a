package io.cutover.journal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One journal line: its number and time, and the {@link JournalEvent} it records.
 *
 * @param ts   when it was written, as the line has it (ISO-8601 from {@link Journal}; a reader that needs a time parses it)
 * @param file the journal it is in
 * @param line its line in that file, for messages
 */
public record Record(long seq, String ts, JournalEvent event, Path file, int line) {

    public Record {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(file, "file");
    }

    /** {@code file:line}, where a message about this record points. */
    public String where() {
        return file + ":" + line;
    }

    /** Its {@code type} on disk: run-start, host-start, ... (see {@link JournalKinds}). */
    public String type() {
        return JournalKinds.type(event);
    }

    public Optional<String> host() {
        return event instanceof JournalEvent.HostEvent hostEvent ? Optional.of(hostEvent.host()) : Optional.empty();
    }
}
