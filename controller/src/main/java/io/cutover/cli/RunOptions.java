package io.cutover.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where runs are kept: shared by apply, resume, rollback, status. */
final class RunOptions {

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = ".cutover/runs",
            description = "Where run journals live (default: ${DEFAULT-VALUE}, created 0700).")
    Path runsDir;
}
