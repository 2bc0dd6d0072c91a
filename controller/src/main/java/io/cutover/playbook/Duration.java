package io.cutover.playbook;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as written in playbooks: {@code 500ms}, {@code 60s}, {@code 2m}, or a number of seconds. */
public record Duration(long millis) {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    public Duration {
        if (millis <= 0) {
            throw new IllegalArgumentException("is not a positive duration");
        }
    }

    static Duration parse(Object value) {
        if (value instanceof Duration checked) {
            return checked; // the loader checks step args and stores the result; the planner checks them again
        }
        if (value instanceof Integer || value instanceof Long) {
            return new Duration(((Number) value).longValue() * 1000);
        }
        if (value instanceof String text) {
            Matcher m = TEXT.matcher(text.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return new Duration(switch (m.group(2)) {
                    case "ms" -> n;
                    case "s" -> n * 1000;
                    case "m" -> n * 60_000;
                    default -> n * 3_600_000;
                });
            }
        }
        throw new IllegalArgumentException("is not a duration (e.g. 500ms, 60s, 2m)");
    }

    public long seconds() {
        return Math.max(1, (millis + 999) / 1000);
    }

    @Override
    public String toString() {
        if (millis % 60_000 == 0 && millis > 600_000) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
