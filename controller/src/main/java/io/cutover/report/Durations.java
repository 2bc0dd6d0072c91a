package io.cutover.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report writes times (UTC) and durations, the same in HTML and Markdown. */
final class Durations {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Durations() {
    }

    static String dateTime(Instant instant) {
        return instant == null ? null : DATE_TIME.format(instant);
    }

    static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    /** 212 ms, 2.2 s, 3 min 12 s, 2 h 05 min. */
    static String of(Duration duration) {
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = duration.toSeconds();
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    static String between(Instant from, Instant to) {
        return from == null || to == null ? null : of(Duration.between(from, to));
    }

    /** An axis label: 0 s, 45 s, 2 min, 1 h 30 min. */
    static String tick(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds % 60 == 0 ? seconds / 60 + " min" : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return seconds % 3600 == 0 ? seconds / 3600 + " h" : String.format(Locale.ROOT, "%d h %02d min", seconds / 3600,
                seconds % 3600 / 60);
    }
}
