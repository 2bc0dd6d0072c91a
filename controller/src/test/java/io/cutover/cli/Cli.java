package io.cutover.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in-process and captures what it prints (kcctl-style harness). */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        return run(Environment.system(), args);
    }

    /** The command line as run in {@code environment} (its variables, working directory and home). */
    static Cli run(Environment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), environment).execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}
