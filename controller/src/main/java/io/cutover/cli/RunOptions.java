package io.cutover.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where runs are kept, and the process's Ctrl-C: shared by apply, resume, rollback, status. */
final class RunOptions implements Interrupts.Aware {

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = ".cutover/runs",
            description = "Where run journals live (default: ${DEFAULT-VALUE}, created 0700).")
    Path runsDir;

    /** The process's Ctrl-C, which a run or a rollback holds while it changes hosts. */
    Interrupts interrupts;

    @Override
    public void interrupts(Interrupts interrupts) {
        this.interrupts = interrupts;
    }
}
