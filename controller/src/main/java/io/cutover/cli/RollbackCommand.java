package io.cutover.cli;

import io.cutover.engine.EventSink;
import io.cutover.engine.HostOutcome;
import io.cutover.engine.Rollback;
import io.cutover.engine.RunContext;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.journal.HostStatus;
import io.cutover.journal.Journal;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        List<RunState.HostState> touched = run.state().hosts().stream()
                .filter(h -> h.status() != HostStatus.PENDING && h.status() != HostStatus.SKIPPED)
                .filter(h -> selected.contains(h.host())).toList();
        // A rerun finds hosts already cut over and changes nothing: its undo log is empty, and
        // rolling it back would report "reverted" while restoring nothing. Say which run to roll back.
        for (RunState.HostState host : touched) {
            if (host.status() == HostStatus.OK) {
                said.printf("%s: run %s changed nothing here (already done)%s%n", host.host(), run.runId(),
                        lastChange(runs, run.runId(), host.host())
                                .map(earlier -> "; run " + earlier + " made the change: cutover rollback " + earlier
                                        + " --limit " + host.host())
                                .orElse(""));
            }
        }
        List<String> hosts = touched.stream().filter(h -> h.status() != HostStatus.OK).map(RunState.HostState::host).toList();
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
        RunContext context = new RunContext(run.runId(), run.inputs().planner(), run.connecting(sshOptions, err).inventory(),
                sshOptions.resolver(err), sshOptions.connector(err), HelperScript.bundled(), HelperHome.DEFAULT, sshOptions.commandTimeout(), true, Map.of());
        EventSink printer = output.json() ? new JsonEvents(out, Clock.systemUTC()) : new EventPrinter(out);
        List<HostOutcome> outcomes;
        try (Interrupts.Scope interrupts = runOptions.interrupts.hold();
                Journal journal = Journal.open(runs.journal(run.runId()), Clock.systemUTC())) {
            interrupts.handTo(n -> {
                // revert skips the records already undone: running it again finishes a host left part-way
                err.println("cutover: interrupted: the rollback stops now; a host in progress may be part-way reverted: "
                        + "`cutover rollback " + run.runId() + "` again finishes it.");
                err.flush();
                runOptions.interrupts.exit(ExitCode.ABORTED);
            });
            outcomes = new Rollback(context, journal, printer, sshOptions.forks(forks, 10, err)).run(hosts);
        }
        long failed = outcomes.stream().filter(o -> o.status() != HostStatus.REVERTED).count();
        said.printf("%nRollback of run %s: %d host%s reverted and verified, %d failed.%n", run.runId(), outcomes.size() - failed,
                outcomes.size() - failed == 1 ? "" : "s", failed);
        said.flush();
        return failed == 0 ? ExitCode.OK : ExitCode.HOSTS_FAILED;
    }

    /** The newest run before {@code runId} that left {@code host} changed (not since rolled back). */
    private static Optional<String> lastChange(RunDirectory runs, String runId, String host) {
        List<String> earlier = runs.runs().stream().filter(id -> id.compareTo(runId) < 0).toList();
        for (int i = earlier.size() - 1; i >= 0; i--) {
            Optional<HostStatus> status = RunState.load(runs.journal(earlier.get(i)))
                    .host(host).map(RunState.HostState::status);
            if (status.isPresent() && status.get() == HostStatus.CHANGED) {
                return Optional.of(earlier.get(i));
            }
        }
        return Optional.empty();
    }
}
