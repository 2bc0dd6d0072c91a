package io.cutover.cli;

import io.cutover.inventory.Inventory;
import io.cutover.plan.Batches;
import io.cutover.plan.FleetPlan;
import io.cutover.plan.HostFacts;
import io.cutover.plan.HostPlan;
import io.cutover.plan.Planner;
import io.cutover.playbook.ExtraVars;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.render.Unknown;
import io.cutover.yaml.InputException;
import io.cutover.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cutover plan}: what the playbook would do on every selected host, changing nothing. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Show, per host, every step the playbook would run and every file it would change. Changes nothing.",
        description = {
            "",
            "For each selected host, in the batches the rollout makes: the ordered steps with their arguments, the "
                    + "files each step installs (as a unified diff against the host's current file), the undo of each "
                    + "step, and the guard around the six-step block. Ends with a summary line.",
            "",
            "--offline plans without connecting to any host: what only a host can tell (its resolvers, its current "
                    + "files) is shown as <facts...>. Use it to review a playbook and inventory before a change window.",
        },
        footer = {
            "",
            "Examples:",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml --limit 'dc1:&canary'",
            "  cutover plan --offline -i inventory.yml playbooks/safe-cutover.yml -e cutover_alt_forwarders=192.0.2.153",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml --format json | jq '.summary'",
        })
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventoryOptions;

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook, e.g. playbooks/local-caching-bind.yml.")
    Path playbookFile;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Override a playbook var: key=value, @vars.yml or a {\"key\": ...} mapping. Repeatable; later wins.")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--offline", description = "Plan without connecting to any host; facts are shown as <facts...>.")
    boolean offline;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        if (!offline) {
            throw new InputException("plan without --offline gathers facts over SSH, which comes with the rollout "
                    + "engine (not in this build yet); use `cutover plan --offline ...` to see every step and file now");
        }
        YamlLoader yaml = new YamlLoader();
        Playbook playbook = new PlaybookLoader(yaml).load(playbookFile);
        Map<String, Object> overrides = ExtraVars.parse(extraVars, yaml);
        Inventory inventory = inventoryOptions.load(spec.commandLine().getErr());
        List<String> hosts = inventoryOptions.select(inventory);
        Planner planner = new Planner(playbook, new Renderer(playbook.templateDir()), overrides);
        List<HostPlan> plans = new ArrayList<>(hosts.size());
        for (String host : hosts) {
            plans.add(planner.plan(host, inventory.vars(host), HostFacts.offline(), new Unknown("run id")));
        }
        FleetPlan plan = new FleetPlan(playbook, Batches.split(plans, playbook.rollout().serial()), true);
        if (format == OutputFormat.JSON) {
            spec.commandLine().getOut().println(PlanJson.render(plan));
        } else {
            PlanText.print(plan, spec.commandLine().getOut());
        }
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
