package io.cutover.cli;

import io.cutover.engine.Prepare;
import io.cutover.engine.RunContext;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.inventory.HostVars;
import io.cutover.plan.Batches;
import io.cutover.plan.FleetPlan;
import io.cutover.plan.HostPlan;
import io.cutover.render.Unknown;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
                    + "step, and the guard around the six-step block. Each host's first line counts its steps as the "
                    + "recap will: changing (lasting), already as planned, transient (the proof block's own, undone by it), "
                    + "read-only; a host already converged says so. Ends with the totals.",
            "",
            "--offline plans without connecting to any host: what only a host can tell (its resolvers, its current "
                    + "files) is shown as <facts...>. Use it to review a playbook and inventory before a change window.",
            "",
            "This is the dry run (ansible-playbook --check --diff): it shows every command and diff. Without -i, the "
                    + "inventory is $ANSIBLE_INVENTORY's or ansible.cfg's; keys come from ssh-agent, then key files (an "
                    + "encrypted one is asked for on the terminal, once); -u, -b, --private-key, -f, -T as in ansible-playbook.",
        },
        footer = {
            "",
            "Examples:",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml",
            "  cutover plan playbooks/local-caching-bind.yml              the inventory of ./ansible.cfg, facts over SSH",
            "  cutover plan -i inventory.yml playbooks/local-caching-bind.yml --list-hosts -l canary",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml --limit 'dc1:&canary'",
            "  cutover plan --offline -i inventory.yml playbooks/safe-cutover.yml -e cutover_alt_forwarders=192.0.2.153",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml -o json | jq '.summary'",
            "  cutover plan --offline -i inventory.yml playbooks/local-caching-bind.yml --summary --color=always | less -R",
        })
final class PlanCommand implements Callable<Integer>, Environment.Aware {

    /** Above this many hosts the text plan groups identical hosts unless --no-summary (README, `cutover plan`: why). */
    static final int GROUP_ABOVE = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventoryOptions;

    @Mixin
    PlaybookOptions playbook;

    @Option(names = "--offline", description = "Plan without connecting to any host; facts are shown as <facts...>. "
            + "Without it, facts are gathered read-only over SSH (nothing is written on any host).")
    boolean offline;

    @Mixin
    OutputOptions output;

    @Option(names = "--summary", negatable = true, description = "Text plan: print hosts with identical plans once, as one "
            + "group (app[1:20]; each host's own name and address shown as <host> and <address>), hosts whose plans differ "
            + "each in full; the totals at the end. Default: on above " + GROUP_ABOVE + " hosts; --no-summary prints every "
            + "host. The JSON plan always lists every host.")
    Boolean summary;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", description = "Colour diffs (red -, green +) and "
            + "headers: auto (on a terminal, unless NO_COLOR is non-empty or TERM=dumb), always (e.g. for `| less -R`), never "
            + "(default: ${DEFAULT-VALUE}).")
    Colors.When color;

    @Mixin
    SshOptions sshOptions;

    private Environment environment = Environment.system();

    @Override
    public void environment(Environment environment) {
        this.environment = environment;
    }

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Hosts whose facts are gathered at a time (default: $ANSIBLE_FORKS, ansible.cfg forks, 20).")
    Integer forks;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        RunInputs inputs = RunInputs.load(playbook, inventoryOptions, List.of(), err).connecting(sshOptions, err);
        if (playbook.listedHosts(inputs, output, spec.commandLine().getOut())) {
            return ExitCode.OK;
        }
        List<HostPlan> plans = offline ? inputs.offlinePlans() : onlinePlans(inputs, err);
        FleetPlan plan = new FleetPlan(inputs.playbook(), Batches.split(plans, inputs.playbook().rollout().serial()), offline);
        if (output.json()) {
            spec.commandLine().getOut().println(PlanJson.render(plan, Clock.systemUTC()));
        } else {
            boolean grouped = summary != null ? summary : plans.size() > GROUP_ABOVE;
            PlanText.print(plan, spec.commandLine().getOut(), Colors.decide(color, environment),
                    grouped ? PlanGroups.identical(plan.hosts(), addresses(inputs)) : PlanGroups.each(plan.hosts()));
        }
        spec.commandLine().getOut().flush();
        return plans.stream().anyMatch(p -> !p.warnings().isEmpty() && p.steps().isEmpty()) ? ExitCode.HOSTS_FAILED : ExitCode.OK;
    }

    /** Each host's ansible_host (or ansible_ssh_host), where the inventory sets one: --summary hides it like the name. */
    private static Map<String, String> addresses(RunInputs inputs) {
        Map<String, String> addresses = new HashMap<>();
        for (String host : inputs.hosts()) {
            HostVars vars = inputs.inventory().hostVars(host);
            vars.get("ansible_ssh_host").or(() -> vars.get("ansible_host")).ifPresent(a -> addresses.put(host, String.valueOf(a)));
        }
        return addresses;
    }

    /** Every host prepared from its own facts (read-only, streamed helper): the path apply prepares a host by. */
    private List<HostPlan> onlinePlans(RunInputs inputs, PrintWriter err) {
        var resolver = sshOptions.resolver(err);
        inputs.checkSsh(resolver);
        RunContext context = new RunContext("plan", inputs.planner(), inputs.inventory(), resolver, sshOptions.connector(err),
                HelperScript.bundled(), HelperHome.DEFAULT, sshOptions.commandTimeout(), false, Map.of());
        List<HostPlan> plans = new ArrayList<>();
        for (Prepare.Prepared prepared : new Prepare(context, new Unknown("run id")).fleet(inputs.hosts(), sshOptions.forks(forks, 20, err))) {
            String host = prepared.host();
            plans.add(prepared.ok() ? prepared.plan()
                    : HostPlan.unplanned(host, prepared.facts().ok() ? prepared.planError() : prepared.facts().error()));
        }
        return plans;
    }
}
