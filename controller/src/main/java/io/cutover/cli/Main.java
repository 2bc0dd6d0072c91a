package io.cutover.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point of the runnable jar ({@code bin/cutover}). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        // First of all: a Ctrl-C while the JVM loads classes, reads the inventory or asks for confirmation
        // ends with one line and exit 130, not with a JVM killed half-way.
        Interrupts interrupts = Interrupts.install(err);
        HelpLineBreaks.install();
        debugSshIfAsked(args);
        int code = commandLine(out, err, Environment.system(), interrupts).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * -vvv: sshj's own debug log on stderr. slf4j-simple reads its levels once, when the first logger is
     * made, which is before picocli has parsed anything: so the flag is looked for here.
     */
    private static void debugSshIfAsked(String[] args) {
        for (String arg : args) {
            if (arg.matches("-v{3,}")) {
                System.setProperty("org.slf4j.simpleLogger.log.net.schmizz", "debug");
                System.setProperty("org.slf4j.simpleLogger.log.com.hierynomus", "debug");
            }
            if (arg.equals("--")) {
                return;
            }
        }
    }

    /** The fully configured command line; tests use it with their own writers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Environment.system());
    }

    /** The command line reading {@code environment} instead of the JVM's (tests). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Environment environment) {
        return commandLine(out, err, environment, new Interrupts(err, System::exit));
    }

    /** The command line whose runs take their interrupts from {@code interrupts} (the process's, in {@link #main}). */
    private static CommandLine commandLine(PrintWriter out, PrintWriter err, Environment environment, Interrupts interrupts) {
        ErrorHandler errors = new ErrorHandler(environment.variable("CUTOVER_DEBUG") != null);
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K made = defaults.create(cls);
                if (made instanceof Environment.Aware aware) {
                    aware.environment(environment);
                }
                if (made instanceof Interrupts.Aware aware) {
                    aware.interrupts(interrupts);
                }
                return made;
            }
        };
        return new CommandLine(new CutoverCommand(), factory)
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                // `--limit @hosts.txt` is an Ansible limit file, not a picocli argument file.
                .setExpandAtFiles(false)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }
}
