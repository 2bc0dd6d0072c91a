package io.cutover.cli;

import io.cutover.journal.RunDirectory;
import java.io.PrintWriter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which recorded run resume and rollback work on, and whether changed input files may be used. */
final class RunSelection {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_ID", description = "The run (default: the last one).")
    String runId;

    @Option(names = "--force", description = "Go ahead even if the playbook, inventory or -e changed since the run started.")
    boolean force;

    ReopenedRun open(RunDirectory runs, PrintWriter err) {
        return ReopenedRun.open(runs, runId, force, err);
    }
}
