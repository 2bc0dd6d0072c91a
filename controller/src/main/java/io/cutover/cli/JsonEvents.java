package io.cutover.cli;

import io.cutover.engine.Event;
import io.cutover.engine.EventSink;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * Engine events as JSON Lines for CI systems (docs/output.md, docs/schema/events.schema.json): one
 * object per line, stamped with the clock's time. Several host threads call it at once; lines never
 * interleave.
 */
final class JsonEvents implements EventSink {

    private final PrintWriter out;
    private final Clock clock;

    JsonEvents(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public synchronized void on(Event event) {
        out.println(JsonOutput.event(event, clock.instant()));
        out.flush();
    }
}
