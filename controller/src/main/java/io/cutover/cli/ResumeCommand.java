package io.cutover.cli;

import io.cutover.engine.Engine;
import io.cutover.journal.RunDirectory;
import io.cutover.run.Runs;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutover resume}: continue a failed, aborted or interrupted run where it stopped. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Continue a failed, aborted or interrupted run (the last one by default).",
        description = {
            "",
            "Hosts that finished are never touched again. Hosts that failed, were rolled back, were skipped or never "
                    + "started are done from the start. A host left mid-run by a crash is reconciled first: whatever the "
                    + "interrupted attempt left (a half-done block, an armed guard) is reverted through the host's own undo "
                    + "log, then its steps run again from the facts recorded before the run changed it.",
            "",
            "The run's playbook, inventory and -e values must be unchanged (their SHA-256 is in the journal); --force "
                    + "continues with the files as they are now.",
        },
        footer = {"", "Examples:", "  cutover resume", "  cutover resume 20261125-184229-a276 --forks 20",
            "  cutover resume -o json > events.jsonl          JSON Lines, as apply -o json"})
final class ResumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SshOptions sshOptions;

    @Mixin
    RunOptions runOptions;

    @Mixin
    OutputOptions output;

    @Mixin
    RunSelection selection;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", description = "Hosts at a time (default: as the run started).")
    Integer forks;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunDirectory runs = new RunDirectory(runOptions.runsDir);
        ReopenedRun run = selection.open(runs, err);
        RunInputs inputs = run.connecting(sshOptions, err);
        inputs.checkSsh(sshOptions.resolver(err));
        Set<String> done = Runs.done(run.state());
        if (done.size() == run.inputs().hosts().size()) {
            PrintWriter said = output.json() ? err : out; // stdout stays JSON Lines only
            said.printf("run %s: every host is done; nothing to resume.%n", run.runId());
            said.flush();
            return ExitCode.OK;
        }
        Engine.Settings settings = new Engine.Settings(forks != null ? forks : run.state().start().forks(),
                run.state().start().maxFailPercentage());
        err.printf("cutover: resuming run %s: %d host%s done, %d to do.%n", run.runId(), done.size(), done.size() == 1 ? "" : "s",
                run.inputs().hosts().size() - done.size());
        try (Interrupts.Scope interrupts = runOptions.interrupts.hold()) {
            return RunLauncher.launch(runs, sshOptions, out, err, output.json(), interrupts, (lifecycle, sink, started) ->
                    lifecycle.resume(run.runId(), inputs.fleet(), run.facts(), done, settings, sink, started));
        }
    }
}
