package io.cutover.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The width of the terminal the live view draws on, asked of the terminal itself: {@code stty size}
 * reading {@code /dev/tty} (the kernel's window size, TIOCGWINSZ), when the view starts and again on
 * every SIGWINCH. {@code $COLUMNS} is only the fallback when there is no terminal to ask: shells set
 * it for themselves and do not export it, so a program never sees it change.
 *
 * <p>Not JLine's terminal: on Java 17 it has no native access of its own either (its FFM provider
 * needs Java 22, JNI a native library) and runs the same {@code stty}, after 0.3 to 0.9 s of
 * building its terminal; {@code stty size} alone takes 30 to 80 ms the first time, 3 to 6 ms after.
 */
final class TerminalWidth {

    /** When neither the terminal nor $COLUMNS tells. */
    static final int FALLBACK = 80;

    private volatile int columns;

    private TerminalWidth(int fallback) {
        this.columns = read().orElse(fallback);
    }

    /** The controlling terminal's width now, {@code $COLUMNS} or {@link #FALLBACK} when it cannot be read. */
    static TerminalWidth ofTerminal(String columnsVariable) {
        return new TerminalWidth(parseColumns(columnsVariable).orElse(FALLBACK));
    }

    int columns() {
        return columns;
    }

    /**
     * On each SIGWINCH: the width is read again, then {@code resized} runs (on the signal's thread).
     * Where the JVM offers no SIGWINCH the width stays as it was read.
     */
    void onResize(Runnable resized) {
        try {
            Signal.handle(new Signal("WINCH"), signal -> {
                synchronized (this) {
                    columns = read().orElse(columns);
                }
                resized.run();
            });
        } catch (IllegalArgumentException e) {
            // no SIGWINCH here (or it is reserved): the view keeps the width it started with
        }
    }

    /** No more redraws on SIGWINCH (the view has ended). */
    static void ignoreResize() {
        try {
            Signal.handle(new Signal("WINCH"), SignalHandler.SIG_DFL);
        } catch (IllegalArgumentException e) {
            // never handled
        }
    }

    private OptionalInt read() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return OptionalInt.empty();
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!stty.waitFor(2, TimeUnit.SECONDS) || stty.exitValue() != 0) {
                stty.destroy();
                return OptionalInt.empty();
            }
            return parseSize(out);
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** The columns in {@code stty size}'s "ROWS COLUMNS"; empty for 0 (a terminal that does not say). */
    static OptionalInt parseSize(String sttySize) {
        String[] words = sttySize.strip().split("\\s+");
        return words.length == 2 ? parseColumns(words[1]) : OptionalInt.empty();
    }

    static OptionalInt parseColumns(String value) {
        if (value == null || !value.strip().matches("[0-9]{1,5}")) {
            return OptionalInt.empty();
        }
        int columns = Integer.parseInt(value.strip());
        return columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
    }
}
