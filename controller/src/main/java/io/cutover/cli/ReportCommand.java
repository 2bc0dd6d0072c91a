package io.cutover.cli;

import io.cutover.journal.RunDirectory;
import io.cutover.report.ReportReader;
import io.cutover.report.ReportRenderer;
import io.cutover.report.RunReport;
import io.cutover.yaml.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cutover report}: a run as one file to attach to a change ticket, from its journal. Contacts no host. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Write a run's report for its change ticket (HTML or Markdown), from its journal. Contacts no host.",
        description = {
            "",
            "One self-contained HTML page (inline CSS and SVG, no script, no external URL: it opens offline and "
                    + "can be attached as is) or Markdown tables. It shows who ran the run, when, from where and "
                    + "how it ended; the SHA-256 of its playbook, inventory and -e values and of the journal; a "
                    + "timeline with one row per host, one bar per step and the window in which the old DNS servers "
                    + "were banned; and per host its steps with their durations, the proof (the captured packets "
                    + "that went to 127.0.0.1:53), how each process was refreshed and how long it was stopped, the "
                    + "rollbacks and whether they were verified, and why it failed.",
        },
        footer = {
            "",
            "Examples:",
            "  cutover report --out run.html                          # the last run, as HTML",
            "  cutover report 20261125-184229-a276 --format markdown  # Markdown tables",
            "  cutover report --runs-dir /srv/cutover/runs --out /tmp/report.html",
        })
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_ID", description = "The run (default: the last one; "
            + "`cutover status --list` lists them).")
    String runId;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "html",
            description = "html (one self-contained page, the default) or markdown.")
    ReportRenderer.Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path outFile;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = ".cutover/runs",
            description = "Where run journals live (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Override
    public Integer call() throws IOException {
        RunDirectory runs = new RunDirectory(runsDir);
        String id = StatusCommand.resolveRun(runs, runId);
        RunReport report = ReportReader.read(runs.journal(id));
        String text = new ReportRenderer().render(report, format, Instant.now(), new VersionProvider().getVersion()[0]);
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
            return ExitCode.OK;
        }
        try {
            Files.writeString(outFile, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot write the report to " + outFile + ": " + e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("cutover: report of run " + id + " written to " + outFile);
        err.flush();
        return ExitCode.OK;
    }
}
