package io.cutover.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real command line in-process and captures what it prints (kcctl-style harness). A test
 * that fails after running commands shows each command's exit code, stdout and stderr under its
 * failure ({@link CliOutputOnFailure}, registered for every test in META-INF/services).
 */
record Cli(List<String> args, int exitCode, String out, String err) {

    private static final ThreadLocal<List<Cli>> RAN = ThreadLocal.withInitial(ArrayList::new);

    static Cli run(String... args) {
        return run(Environment.system(), args);
    }

    /** The command line as run in {@code environment} (its variables, working directory and home). */
    static Cli run(Environment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), environment).execute(args);
        Cli cli = new Cli(List.of(args), code, out.toString(), err.toString());
        RAN.get().add(cli);
        return cli;
    }

    /** Runs the command line and fails, showing what it printed, unless it exits 0. */
    static Cli runOk(String... args) {
        return run(args).exits(ExitCode.OK);
    }

    /** This run, if it exited {@code expected}; else an AssertionError that shows what it printed. */
    Cli exits(int expected) {
        if (exitCode != expected) {
            throw new AssertionError("expected exit " + expected + ", got " + exitCode + "\n" + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "$ cutover " + String.join(" ", args) + "\n(exit " + exitCode + ")\n--- stdout ---\n" + out
                + "--- stderr ---\n" + err + "--------------";
    }

    /** The commands this thread's test ran so far; {@code forget} after each test. */
    static List<Cli> ran() {
        return List.copyOf(RAN.get());
    }

    static void forget() {
        RAN.remove();
    }
}
