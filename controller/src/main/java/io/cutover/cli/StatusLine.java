package io.cutover.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The live view's one status line, for a terminal {@code width} columns wide: a fleet progress bar
 * sized to the width, then as many running hosts as fit, each with its step, and once the step has
 * taken a second or more, how long it has taken and what it is waiting for (the first host always,
 * the others when there is room); "+N more" for the hosts that do not fit.
 * Never more than {@code width - 1} columns (see {@link Columns}), so the terminal never wraps it:
 * the last column is left free because a terminal set to draw ambiguous characters (the ellipsis)
 * wide would otherwise wrap a line that fills it.
 */
final class StatusLine {

    /** A host in progress: where it is, since when, and what its current helper call waits for (or null). */
    record Running(String host, String label, Duration elapsed, String waitingFor) {
    }

    private static final Duration SHOWN_AFTER = Duration.ofSeconds(1);
    private static final String GAP = "  ";

    private StatusLine() {
    }

    static String render(int width, int finished, int hosts, List<Running> running) {
        int room = width - 1;
        StringBuilder head = new StringBuilder();
        if (width >= 40) {
            int bar = Math.max(10, Math.min(30, width / 8));
            int filled = hosts == 0 ? bar : Math.min(bar, finished * bar / hosts);
            head.append('[').append("#".repeat(filled)).append("-".repeat(bar - filled)).append("] ");
        }
        head.append(finished).append('/').append(hosts).append(" hosts");
        String line = head.toString();
        for (int i = 0; i < running.size(); i++) {
            String after = more(running.size() - i - 1);
            String full = line + GAP + segment(running.get(i), true);
            if (Columns.of(full + after) <= room) {
                line = full;
                continue;
            }
            if (i == 0) {
                // the first running host is always shown, cut to what is left
                return Columns.fit(Columns.fit(full, room - Columns.of(after)) + after, room);
            }
            String brief = line + GAP + segment(running.get(i), false);
            if (Columns.of(brief + after) <= room) {
                line = brief; // the others without what they wait for, rather than not at all
                continue;
            }
            String rest = more(running.size() - i);
            return Columns.fit(Columns.fit(line, room - Columns.of(rest)) + rest, room);
        }
        return Columns.fit(line, room);
    }

    private static String segment(Running r, boolean why) {
        String text = r.host() + " " + r.label();
        if (r.elapsed().compareTo(SHOWN_AFTER) >= 0) {
            text += String.format(Locale.ROOT, " %d s", r.elapsed().toSeconds());
            if (why && r.waitingFor() != null) {
                text += ", waiting for " + r.waitingFor();
            }
        }
        return text;
    }

    private static String more(int hosts) {
        return hosts <= 0 ? "" : GAP + "+" + hosts + " more";
    }
}
