package io.cutover.engine;

import io.cutover.journal.Journal;
import java.util.LinkedHashMap;
import java.util.Map;

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

    void record(String type, Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put((String) keyValues[i], keyValues[i + 1]);
        }
        journal.append(type, fields);
    }

    void tell(Event event) {
        sink.on(event);
    }
}
