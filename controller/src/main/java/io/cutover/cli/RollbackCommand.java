package io.cutover.cli;

import io.cutover.engine.EventSink;
import io.cutover.engine.HostOutcome;
import io.cutover.journal.HostStatus;
import io.cutover.journal.RunDirectory;
import io.cutover.run.Fleet;
import io.cutover.run.Runs;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutover rollback}: undo what a run did, on finished hosts too, verified. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Undo what a run did on its hosts (the last run by default), finished hosts included, verified.",
        description = {
            "",
            "Each host's helper replays the run's undo log newest first: files back to their backups (checked byte "
                    + "for byte), the DNS ban removed, named stopped if the run started it or reloaded, and the refreshed "
                    + "processes refreshed again so they resolve through the old servers. A host whose undo cannot be "
                    + "verified is reported FAILED with the reason; nothing else is touched.",
            "",
            "A host the run changed nothing on (a rerun that found it already cut over) has nothing to undo in that "
                    + "run: it is skipped, and the run that made its change is named, to roll back instead.",
        },
        footer = {"", "On a terminal it asks before touching any host; --yes does not ask.", "", "Examples:", "  cutover rollback",
            "  cutover rollback 20261125-184229-a276 --limit app1 --yes",
            "  cutover rollback --yes -o json > events.jsonl   JSON Lines, as apply -o json"})
final class RollbackCommand implements Callable<Integer> {

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

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts of the run (Ansible pattern).")
    String limit;

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Hosts at a time (default: $ANSIBLE_FORKS, ansible.cfg forks, 10).")
    Integer forks;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (it is asked only on a terminal).")
    boolean yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter said = output.json() ? err : out; // with -o json, stdout has the JSON Lines events only
        RunDirectory runs = new RunDirectory(runOptions.runsDir);
        ReopenedRun run = selection.open(runs, err);
        List<String> selected = limit == null ? run.inputs().hosts() : run.inputs().inventory().hostNames(limit);
        Runs.RollbackScope scope = Runs.rollbackScope(run.state(), selected);
        for (String host : scope.unchanged()) {
            said.printf("%s: run %s changed nothing here (already done)%s%n", host, run.runId(),
                    Runs.lastChange(runs, run.runId(), host)
                            .map(earlier -> "; run " + earlier + " made the change: cutover rollback " + earlier + " --limit " + host)
                            .orElse(""));
        }
        List<String> hosts = scope.changed();
        if (hosts.isEmpty()) {
            said.printf("run %s: no selected host was changed by the run; nothing to roll back.%n", run.runId());
            said.flush();
            return ExitCode.OK;
        }
        if (!Confirmation.ask("roll back run " + run.runId() + " on " + hosts.size() + " host" + (hosts.size() == 1 ? "" : "s")
                + " (" + String.join(", ", hosts) + ")?", yes, err)) {
            err.println("cutover: nothing was rolled back.");
            return ExitCode.OK; // as apply, declined: nothing done
        }
        Fleet fleet = run.connecting(sshOptions, err).fleet();
        Runs lifecycle = new Runs(runs, RunLauncher.services(sshOptions, sshOptions.resolver(err), sshOptions.connector(err)));
        EventSink printer = output.json() ? new JsonEvents(out, Clock.systemUTC()) : new EventPrinter(out);
        List<HostOutcome> outcomes;
        try (Interrupts.Scope interrupts = runOptions.interrupts.hold()) {
            interrupts.handTo(n -> {
                // revert skips the records already undone: running it again finishes a host left part-way
                err.println("cutover: interrupted: the rollback stops now; a host in progress may be part-way reverted: "
                        + "`cutover rollback " + run.runId() + "` again finishes it.");
                err.flush();
                runOptions.interrupts.exit(ExitCode.ABORTED);
            });
            outcomes = lifecycle.rollback(run.runId(), fleet, hosts, sshOptions.forks(forks, 10, err), printer);
        }
        long failed = outcomes.stream().filter(o -> o.status() != HostStatus.REVERTED).count();
        said.printf("%nRollback of run %s: %d host%s reverted and verified, %d failed.%n", run.runId(), outcomes.size() - failed,
                outcomes.size() - failed == 1 ? "" : "s", failed);
        said.flush();
        return failed == 0 ? ExitCode.OK : ExitCode.HOSTS_FAILED;
    }
}
