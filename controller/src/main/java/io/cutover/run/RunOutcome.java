package io.cutover.run;

import io.cutover.engine.Engine;

/** How a run (an apply or a resume) ended, as its run-end record and the process's exit code say. */
public enum RunOutcome {
    /** Every host is done. */
    DONE("done", 0),
    /** Some hosts failed (rolled back, or left for a human); the others are done. */
    FAILED("failed", 1),
    /** The rollout stopped early (failure threshold, interrupt): `cutover resume` continues it. */
    ABORTED("aborted", 3);

    private final String label;
    private final int exitCode;

    RunOutcome(String label, int exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    public String label() {
        return label;
    }

    public int exitCode() {
        return exitCode;
    }

    static RunOutcome of(Engine.Result result) {
        return result.aborted() ? ABORTED : result.allDone() ? DONE : FAILED;
    }
}
