package io.cutover.cli;

import io.cutover.inventory.AnsibleConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a command reads from the process it runs in: environment variables, working directory, home
 * and user. Handed to the commands by {@link Main}'s factory, so that tests give their own instead of
 * the JVM's (no static state). ansible.cfg is found and read once per command line, on first use.
 */
final class Environment {
    private final Map<String, String> variables;
    private final Path workingDir;
    private final Path home;
    private final String user;
    private final boolean terminal;
    private AnsibleConfig ansible;

    Environment(Map<String, String> variables, Path workingDir, Path home, String user) {
        this(variables, workingDir, home, user, false);
    }

    /** @param terminal whether the command's output goes to a terminal (colour, a live view) */
    Environment(Map<String, String> variables, Path workingDir, Path home, String user, boolean terminal) {
        this.terminal = terminal;
        this.variables = Map.copyOf(variables);
        this.workingDir = workingDir.toAbsolutePath().normalize();
        this.home = Objects.requireNonNull(home, "home");
        this.user = Objects.requireNonNull(user, "user");
    }

    static Environment system() {
        return new Environment(System.getenv(), Path.of(""), Path.of(System.getProperty("user.home")),
                System.getProperty("user.name"), System.console() != null);
    }

    Map<String, String> variables() {
        return variables;
    }

    String variable(String name) {
        return variables.get(name);
    }

    Path workingDir() {
        return workingDir;
    }

    Path home() {
        return home;
    }

    String user() {
        return user;
    }

    /** True when stdout (and stdin: Java 17's console needs both) is a terminal. */
    boolean terminal() {
        return terminal;
    }

    /** ansible.cfg and ANSIBLE_*, read on first use; a bad one is an InputException (exit 2). */
    synchronized AnsibleConfig ansible(PrintWriter warnings) {
        if (ansible == null) {
            ansible = AnsibleConfig.load(variables, workingDir, home, w -> {
                warnings.println("cutover: warning: " + w);
                warnings.flush();
            });
        }
        return ansible;
    }

    /** Implemented by the commands and option groups that read the environment. */
    interface Aware {
        void environment(Environment environment);
    }
}
