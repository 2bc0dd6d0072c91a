package io.cutover.cli;

import io.cutover.engine.Engine;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/** The plan summary before apply, and the question; never asked without a terminal. */
final class Confirmation {

    private Confirmation() {
    }

    static boolean confirm(RunInputs inputs, Engine.Settings settings, boolean yes, PrintWriter out, PrintWriter err) {
        long steps = inputs.offlinePlans().stream().mapToLong(p -> p.steps().size()).sum();
        err.printf("cutover: %s on %d host%s in %d batch%s (%s), %d at a time, %d steps; stop when a batch fails above %d%%.%n",
                inputs.playbook().name(), inputs.hosts().size(), inputs.hosts().size() == 1 ? "" : "s", inputs.batches().size(),
                inputs.batches().size() == 1 ? "" : "es",
                String.join(" | ", inputs.batches().stream().map(b -> String.join(",", b)).toList()),
                settings.forks(), steps, settings.maxFailPercentage());
        return ask("see every step and file with `cutover plan`. Apply?", yes, err);
    }

    /** Asks QUESTION [y/N] on the terminal; true without asking under --yes or without a terminal. */
    static boolean ask(String question, boolean yes, PrintWriter err) {
        err.flush();
        Console console = System.console();
        if (yes || console == null) {
            return true;
        }
        err.println("cutover: " + question + " [y/N]");
        err.flush();
        String answer = console.readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
    }
}
