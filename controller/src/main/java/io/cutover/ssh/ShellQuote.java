package io.cutover.ssh;

import java.util.List;
import java.util.StringJoiner;

/**
 * The one audited way to put a value into a remote POSIX shell command line. Every argument that is
 * not a literal of our own code goes through {@link #quote(String)}.
 *
 * <p>Single quotes make everything literal in POSIX sh except the single quote itself, which cannot
 * appear inside them; it is written as {@code '\''} (close, escaped quote, reopen). No other
 * character, including newlines, {@code $}, backticks, backslashes and non-ASCII, needs care.
 * NUL cannot be passed through a shell (C strings end there), so it is refused rather than silently
 * truncating the argument.
 */
public final class ShellQuote {
    /** Characters no POSIX shell treats specially in a word (no `=`: a bare first word x=y is an assignment). */
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[A-Za-z0-9_./:,@%+-]+");

    private ShellQuote() {
    }

    /** Returns {@code value} as exactly one sh word whose expansion is {@code value}, byte for byte. */
    public static String quote(String value) {
        if (value == null) {
            throw new IllegalArgumentException("cannot quote null for the shell");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("cannot pass a NUL character to the shell: "
                    + value.replace("\0", "\\0"));
        }
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Quotes every element and joins them with spaces: an argv list as one command line. */
    public static String join(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("cannot build a command line from an empty argv");
        }
        StringJoiner line = new StringJoiner(" ");
        for (String arg : argv) {
            line.add(quote(arg));
        }
        return line.toString();
    }

    /** Varargs form of {@link #join(List)}. */
    public static String join(String... argv) {
        return join(List.of(argv));
    }
}
