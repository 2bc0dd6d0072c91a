package io.cutover.cli;

import java.util.Locale;

/**
 * ANSI colour for the plan on a terminal: diffs' removed lines red, added lines green, hunk headers
 * cyan, host and file headers bold. {@code --color=auto} (the default) colours only when stdout is a
 * terminal, {@code NO_COLOR} is unset or empty (no-color.org) and {@code TERM} is not {@code dumb};
 * {@code --color=always} colours even into a pipe ({@code | less -R}); {@code --color=never} never.
 */
final class Colors {

    /** The {@code --color} option's values. */
    enum When {
        AUTO, ALWAYS, NEVER;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final Colors NONE = new Colors(false);

    private static final String RESET = "\u001b[0m";
    private final boolean on;

    private Colors(boolean on) {
        this.on = on;
    }

    static Colors decide(When when, Environment environment) {
        return switch (when) {
            case ALWAYS -> new Colors(true);
            case NEVER -> NONE;
            case AUTO -> new Colors(environment.terminal() && isEmpty(environment.variable("NO_COLOR"))
                    && !"dumb".equals(environment.variable("TERM")));
        };
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    boolean on() {
        return on;
    }

    String bold(String text) {
        return paint("1", text);
    }

    /** A line of a unified diff, by its first character: file headers bold, hunks cyan, - red, + green. */
    String diffLine(String line) {
        if (line.startsWith("---") || line.startsWith("+++")) {
            return bold(line);
        }
        if (line.startsWith("@@")) {
            return paint("36", line);
        }
        if (line.startsWith("-")) {
            return paint("31", line);
        }
        return line.startsWith("+") ? paint("32", line) : line;
    }

    private String paint(String code, String text) {
        return on ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
