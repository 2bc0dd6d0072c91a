package io.cutover.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for a test: a tmux server of its own (its own socket, so no other tmux is seen
 * or touched) running one command in a window of a given size; the screen is read back as tmux
 * draws it ({@code capture-pane}), keys are typed with {@code send-keys}, the window resized.
 */
final class Tmux implements AutoCloseable {

    private final String socket = "cutover-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    /** Starts {@code shellCommand} (run by sh) in a window {@code columns} × {@code rows}. */
    Tmux(int columns, int rows, String shellCommand) {
        tmux("new-session", "-d", "-s", "t", "-x", Integer.toString(columns), "-y", Integer.toString(rows), shellCommand);
    }

    /**
     * The screen and its scrollback, a line per terminal line: rows the terminal wrapped are joined
     * back into the line that was printed ({@code -J}), so a status line that wrapped is one line
     * longer than the width, and what a wrap left behind shows as a line of its own.
     */
    List<String> lines() {
        List<String> lines = new ArrayList<>(List.of(tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t").split("\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines.stream().map(String::stripTrailing).toList();
    }

    /** The screen as it is drawn, row by row (wrapped lines as the rows they take), without the scrollback. */
    String screen() {
        return tmux("capture-pane", "-p", "-t", "t").stripTrailing() + "\n";
    }

    /** Polls the screen until {@code test} holds; fails with the screen after {@code seconds}. */
    List<String> await(String what, int seconds, Predicate<List<String>> test) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<String> lines = lines();
            if (test.test(lines)) {
                return lines;
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " on the screen after " + seconds + " s:\n" + String.join("\n", lines));
            }
            pause(100);
        }
    }

    void keys(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    void resize(int columns) {
        tmux("resize-window", "-t", "t", "-x", Integer.toString(columns));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        tmux("kill-server");
    }

    private String tmux(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("tmux " + String.join(" ", args) + " did not answer in 10 s");
            }
            if (process.exitValue() != 0 && !args[0].equals("kill-server")) {
                fail("tmux " + String.join(" ", args) + " exited " + process.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux (test.sh installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
