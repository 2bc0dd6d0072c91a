package io.cutover.cli;

import io.cutover.run.RunOutcome;

/** The exit codes users and CI systems script against (documented in the README); a run's are its {@link RunOutcome}'s. */
public final class ExitCode {
    /** Every selected host is done (or there was nothing to do). */
    public static final int OK = 0;
    /** Some hosts failed and were rolled back; the others are done. */
    public static final int HOSTS_FAILED = RunOutcome.FAILED.exitCode();
    /** Bad command line, inventory, playbook or vars: nothing ran on any host. */
    public static final int USAGE = 2;
    /** The rollout stopped early (failure threshold, interrupt); `cutover resume` continues it. */
    public static final int ABORTED = RunOutcome.ABORTED.exitCode();
    /** Ctrl-C before a run began, or after it ended (during a run, the run ends with its own code). */
    public static final int INTERRUPTED = 130;
    /** A bug in cutover itself; the message says how to get the stack trace. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
