package io.cutover.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where runs are kept and how their progress is printed: shared by apply, resume, rollback, status. */
final class RunOptions implements Interrupts.Aware {

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = ".cutover/runs",
            description = "Where run journals live (default: ${DEFAULT-VALUE}, created 0700).")
    Path runsDir;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "Progress output: text (one line per step and host) or json (JSON Lines events for CI).")
    OutputFormat output;

    /** The process's Ctrl-C, which a run or a rollback holds while it changes hosts. */
    Interrupts interrupts;

    @Override
    public void interrupts(Interrupts interrupts) {
        this.interrupts = interrupts;
    }
}
