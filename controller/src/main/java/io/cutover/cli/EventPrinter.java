package io.cutover.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.engine.Event;
import io.cutover.engine.EventSink;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints engine events: one readable line per event, or (JSON) one JSON object per line for CI
 * systems. Several host threads call it at once; lines never interleave.
 */
final class EventPrinter implements EventSink {

    /** Durations go out as milliseconds (fields renamed *_ms). */
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
            .addSerializer(Duration.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(Duration.class) {
                @Override
                public void serialize(Duration value, com.fasterxml.jackson.core.JsonGenerator gen,
                        com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
                    gen.writeNumber(value.toMillis());
                }
            }));

    private final PrintWriter out;
    private final boolean json;
    private int hostWidth = 8;

    EventPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public synchronized void on(Event event) {
        if (json) {
            out.println(json(event));
        } else {
            String line = text(event);
            if (line != null) {
                out.println(line);
            }
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
            return String.format("%-" + hostWidth + "s [%2d/%d] %-22s %-8s %s%s", e.host(), e.step(), e.steps(), e.name(),
                    e.ok() ? (e.changed() ? "changed" : "ok") : "FAILED", millis(e.took()), e.ok() ? "" : "  " + e.message());
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

    private String json(Event event) {
        ObjectNode node = MAPPER.valueToTree(event);
        String name = event.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        ObjectNode line = MAPPER.createObjectNode().put("event", name);
        line.setAll(node);
        if (line.has("took")) {
            line.set("took_ms", line.remove("took"));
        }
        return line.toString();
    }

    static String millis(Duration d) {
        return d.isZero() ? "" : d.toMillis() + " ms";
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
