package io.cutover.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gantt-like chart of a run, laid out for an SVG: one row per host, one bar per step and per
 * rollback, the ban windows as bands behind them, and a time axis in seconds from the run's start.
 * Coordinates are in SVG user units; the template only draws them.
 */
public record Timeline(int width, int height, int labelWidth, List<Tick> ticks, List<Row> rows) {

    static final int WIDTH = 980;
    static final int LABEL_WIDTH = 160;
    static final int TOP = 28;
    static final int ROW_HEIGHT = 28;
    static final int BAR_HEIGHT = 16;
    private static final int RIGHT_PAD = 16;
    private static final double MIN_BAR = 1.5;
    private static final int MAX_LABEL = 22;
    /** Tick spacings in seconds: the first that leaves at most MAX_TICKS intervals is used. */
    private static final long[] STEPS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400};
    private static final int MAX_TICKS = 10;

    public Timeline {
        ticks = List.copyOf(ticks);
        rows = List.copyOf(rows);
    }

    /** One vertical grid line and its label. */
    public record Tick(double x, String label) {
    }

    /**
     * One host's row: {@code y} is the top of its bars; {@code span} from its start to its end
     * (null if it never started); {@code bans} the bands of its ban windows.
     */
    public record Row(String host, String label, double y, Bar span, List<Bar> bars, List<Bar> bans) {

        public Row {
            bars = List.copyOf(bars);
            bans = List.copyOf(bans);
        }
    }

    /** A bar at {@code x} of {@code width}; {@code cssClass} says what it is, {@code title} is its tooltip. */
    public record Bar(double x, double width, String cssClass, String title) {
    }

    /** What to draw for one host, in time. */
    record Lane(String host, Span span, List<Span> spans, List<Span> bans) {
    }

    /** A stretch of time; {@code to} null means "still going when the journal ends". */
    record Span(Instant from, Instant to, String cssClass, String title) {
    }

    /** Lays the lanes out between the run's start and the journal's last record. */
    static Timeline of(Instant start, Instant end, List<Lane> lanes) {
        double seconds = Math.max(Duration.between(start, end).toMillis() / 1000.0, 1);
        long step = STEPS[STEPS.length - 1];
        for (long candidate : STEPS) {
            if (seconds / candidate <= MAX_TICKS) {
                step = candidate;
                break;
            }
        }
        double plot = WIDTH - LABEL_WIDTH - RIGHT_PAD;
        double scale = plot / seconds;
        List<Tick> ticks = new ArrayList<>();
        for (long t = 0; t <= seconds; t += step) {
            ticks.add(new Tick(LABEL_WIDTH + t * scale, Durations.tick(t)));
        }
        List<Row> rows = new ArrayList<>();
        for (Lane lane : lanes) {
            double y = TOP + rows.size() * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
            List<Bar> bars = lane.spans().stream().map(s -> bar(s, start, end, scale)).toList();
            Bar span = lane.span() == null ? null : bar(lane.span(), start, end, scale);
            List<Bar> bans = lane.bans().stream().map(s -> bar(s, start, end, scale)).toList();
            rows.add(new Row(lane.host(), label(lane.host()), y, span, bars, bans));
        }
        return new Timeline(WIDTH, TOP + lanes.size() * ROW_HEIGHT + 8, LABEL_WIDTH, ticks, rows);
    }

    private static Bar bar(Span span, Instant start, Instant end, double scale) {
        Instant to = span.to() == null ? end : span.to();
        double x = LABEL_WIDTH + Duration.between(start, span.from()).toMillis() / 1000.0 * scale;
        double width = Math.max(Duration.between(span.from(), to).toMillis() / 1000.0 * scale, MIN_BAR);
        return new Bar(round(x), round(width), span.cssClass(), span.title());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Long host names are cut in the chart (the tooltip and the tables have them whole). */
    private static String label(String host) {
        return host.codePointCount(0, host.length()) <= MAX_LABEL ? host
                : host.substring(0, host.offsetByCodePoints(0, MAX_LABEL - 1)) + "…";
    }
}
