package io.cutover.cli;

import io.cutover.engine.Engine;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.RunDirectory;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.playbook.Rollout.BatchSize;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutover apply}: run the playbook on the fleet, host by host, with per-host rollback. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Run the playbook on every selected host, in batches, rolling back any host that fails.",
        description = {
            "",
            "Checks every input first (nothing runs if anything is wrong), shows the plan summary and asks for "
                    + "confirmation (unless --yes, or when there is no terminal). Then, batch by batch and --forks hosts "
                    + "at a time, each host: facts, preflight, lock, the helper pushed once, the steps; the six-step block "
                    + "runs under the host's guard. A failed host is rolled back and verified; the others continue unless "
                    + "the batch fails more than max_fail_percentage, which stops the rollout (exit 3).",
            "",
            "Every state change is in the run's journal (.cutover/runs/RUN/journal.jsonl): `cutover status` reads it, "
                    + "`cutover resume` continues a failed or interrupted run, `cutover rollback` undoes it.",
            "",
            "Ctrl-C once: no new host starts; running hosts finish or roll back. Twice: hosts in progress roll back now.",
            "",
            "As ansible-playbook: no -i reads $ANSIBLE_INVENTORY or ansible.cfg's inventory; -u, -b, --become-user, "
                    + "--private-key, -f, -T, -e, -l and --list-hosts work; ssh-agent keys are offered first. There is no "
                    + "--check: `cutover plan` is the dry run.",
        },
        footer = {
            "",
            "Examples:",
            "  cutover apply -i inventory.yml playbooks/local-caching-bind.yml --limit canary",
            "  cutover apply -i inventory.yml playbooks/local-caching-bind.yml --serial 1,10%%,100%% --forks 20 --yes",
            "  cutover apply -i inventory.yml playbooks/local-caching-bind.yml --yes -o json > events.jsonl   JSON Lines, docs/output.md",
        })
final class ApplyCommand implements Callable<Integer>, Environment.Aware {

    @Spec
    CommandSpec spec;

    private Environment environment = Environment.system();

    @Mixin
    InventoryOptions inventoryOptions;

    @Mixin
    SshOptions sshOptions;

    @Mixin
    RunOptions runOptions;

    @Mixin
    OutputOptions output;

    @Mixin
    PlaybookOptions playbook;

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Hosts at a time within a batch (default: $ANSIBLE_FORKS, ansible.cfg forks, the playbook's).")
    Integer forks;

    @Option(names = "--serial", paramLabel = "SIZES", split = ",",
            description = "Batch sizes, e.g. 1,10%%,100%% (default: the playbook's rollout.serial).")
    List<String> serial = new ArrayList<>();

    @Option(names = "--max-fail-percentage", paramLabel = "P",
            description = "Stop the rollout when a batch's failed share is above P%% (default: the playbook's).")
    Integer maxFailPercentage;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public void environment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<BatchSize> serialOverride = serial.stream().map(s -> PlaybookLoader.parseBatchSize(s, null)).toList();
        io.cutover.inventory.ConnectionDefaults connection = sshOptions.connectionDefaults(err);
        RunInputs inputs = RunInputs.load(playbook, inventoryOptions, serialOverride, err).connecting(connection);
        if (playbook.listedHosts(inputs, output, out)) {
            return ExitCode.OK;
        }
        inputs.checkSsh(sshOptions.resolver(err));
        Engine.Settings settings = new Engine.Settings(sshOptions.forks(forks, inputs.playbook().rollout().forks(), err),
                maxFailPercentage != null ? maxFailPercentage : inputs.playbook().rollout().maxFailPercentage());
        if (settings.forks() < 1 || settings.maxFailPercentage() < 0 || settings.maxFailPercentage() > 100) {
            throw new io.cutover.yaml.InputException("--forks must be at least 1 and --max-fail-percentage 0..100");
        }
        if (!Confirmation.confirm(inputs, settings, yes, out, err)) {
            err.println("cutover: nothing done.");
            return ExitCode.OK;
        }
        RunDirectory runs = new RunDirectory(runOptions.runsDir);
        // from the run's first record on, a Ctrl-C is the run's: it ends with its journal complete
        try (Interrupts.Scope interrupts = runOptions.interrupts.hold()) {
            return RunLauncher.launch(runs, sshOptions, out, err, output.json(), interrupts, (lifecycle, sink, started) ->
                    lifecycle.apply(inputs.fleet(), runId -> runStart(runId, inputs, settings, connection), settings, sink, started));
        }
    }

    /** The run-start record: what resume needs to reopen the run as it started. */
    private JournalEvent.RunStart runStart(String runId, RunInputs inputs, Engine.Settings settings,
            io.cutover.inventory.ConnectionDefaults connection) {
        return new JournalEvent.RunStart(runId, playbook.playbookFile.toAbsolutePath().toString(),
                inputs.inventory().sources().stream().map(p -> p.toAbsolutePath().toString()).toList(),
                inventoryOptions.limit, inventoryOptions.lenient, playbook.extraVars, serial, settings.forks(),
                settings.maxFailPercentage(), inputs.inputHashes(), connection.toRecord(), inputs.hosts(), inputs.batches(),
                Path.of("").toAbsolutePath().toString(), Operator.of(environment));
    }
}
