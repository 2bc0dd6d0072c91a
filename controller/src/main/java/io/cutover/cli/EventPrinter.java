package io.cutover.cli;

import io.cutover.engine.Event;
import io.cutover.engine.EventSink;
import io.cutover.plan.Change;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints engine events as one readable line each ({@link JsonEvents} prints them for machines).
 * Several host threads call it at once; lines never interleave.
 */
final class EventPrinter implements EventSink {

    private final PrintWriter out;
    private int hostWidth = 8;

    EventPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void on(Event event) {
        String line = text(event);
        if (line != null) {
            out.println(line);
        }
        out.flush();
    }

    private String text(Event event) {
        if (event instanceof Event.RunStarted e) {
            hostWidth = Math.max(8, e.batches().stream().flatMap(java.util.List::stream).mapToInt(String::length).max().orElse(8));
            return String.format("run %s: %d host%s in %d batch%s, %d at a time", e.runId(), e.hosts(),
                    e.hosts() == 1 ? "" : "s", e.batches().size(), e.batches().size() == 1 ? "" : "es", e.forks());
        }
        if (event instanceof Event.BatchStarted e) {
            return String.format("batch %d/%d: %s", e.number(), e.of(), String.join(", ", e.hosts()));
        }
        if (event instanceof Event.StepFinished e) {
            return String.format("%-" + hostWidth + "s [%2d/%d] %-22s %-9s %s%s", e.host(), e.step(), e.steps(), e.name(),
                    e.ok() ? label(e) : "FAILED", millis(e.took()), e.ok() ? "" : "  " + e.message());
        }
        if (event instanceof Event.HostFinished e) {
            return String.format("%-" + hostWidth + "s %s in %s%s", e.host(), e.status().label().toUpperCase(Locale.ROOT),
                    seconds(e.took()), e.reason() == null ? "" : ": " + e.reason());
        }
        if (event instanceof Event.Aborted e) {
            return "ABORTED: " + e.reason() + "; no further host starts (`cutover resume` continues)";
        }
        return null; // host and step starts and waits show only in the JSON stream (and the live view)
    }

    /** changed, transient or ok: io.cutover.plan.Change's words, the recap's and the plan's. */
    static String label(Event.StepFinished step) {
        return (step.changed() ? Change.LASTING : step.transientChange() ? Change.TRANSIENT : Change.NONE).label();
    }

    static String millis(Duration d) {
        return d.isZero() ? "" : d.toMillis() + " ms";
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
