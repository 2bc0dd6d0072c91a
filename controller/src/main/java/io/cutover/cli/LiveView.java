package io.cutover.cli;

import io.cutover.engine.Event;
import io.cutover.engine.EventSink;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The terminal view of a run: batch starts and each host's outcome as permanent lines, and one
 * status line under them, redrawn on every event — a fleet progress bar and the step every running
 * host is on. Step-by-step detail stays in the journal (`cutover status`) and `--output json`.
 * Hand-written rather than a progress-bar library: those draw a single bar and garble the host
 * lines printed between redraws.
 */
final class LiveView implements EventSink {

    private static final String CLEAR_LINE = "\r\033[2K";
    private static final int BAR = 24;

    private final PrintWriter out;
    private final EventPrinter lines;
    private final Map<String, String> running = new LinkedHashMap<>();
    private final int width;
    private int hosts;
    private int finished;

    LiveView(PrintWriter out) {
        this.out = out;
        this.lines = new EventPrinter(out);
        int columns;
        try {
            columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
        } catch (NumberFormatException e) {
            columns = 100;
        }
        this.width = Math.max(40, columns);
    }

    @Override
    public synchronized void on(Event event) {
        out.print(CLEAR_LINE);
        if (event instanceof Event.RunStarted e) {
            hosts = e.hosts();
            lines.on(event);
        } else if (event instanceof Event.HostStarted e) {
            running.put(e.host(), "connecting");
        } else if (event instanceof Event.StepStarted e) {
            running.put(e.host(), e.name() + " " + e.step() + "/" + e.steps());
        } else if (event instanceof Event.HostFinished e) {
            running.remove(e.host());
            finished++;
            lines.on(event);
        } else if (!(event instanceof Event.StepFinished)) {
            lines.on(event);
        }
        if (!(event instanceof Event.RunFinished)) {
            out.print(status());
        }
        out.flush();
    }

    private String status() {
        int filled = hosts == 0 ? BAR : finished * BAR / hosts;
        String bar = "#".repeat(filled) + "-".repeat(BAR - filled);
        String now = running.entrySet().stream().limit(4).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(" · "));
        if (running.size() > 4) {
            now += String.format(Locale.ROOT, " · +%d more", running.size() - 4);
        }
        String line = String.format(Locale.ROOT, "[%s] %d/%d hosts  %s", bar, finished, hosts, now);
        // A status line that wraps cannot be redrawn in place: keep it within the terminal.
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }
}
