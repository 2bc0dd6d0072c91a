package io.cutover.cli;

import io.cutover.engine.FactsGatherer;
import io.cutover.engine.RunContext;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.inventory.Inventory;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutover facts}: what the helper sees on each host. Read-only: nothing is written on any host. */
@Command(
        name = "facts",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Show what the helper sees on each host (resolv.conf, BIND, firewall, tools, processes). Read-only.",
        description = {
            "",
            "The helper is streamed to `sh -s` over SSH: nothing is written on the host. For each target process: pid, "
                    + "start time, user, the resolver libraries it has mapped (libc, c-ares, libevent, musl), the "
                    + "resolv.conf it sees, and the refresh method that would switch it without a restart.",
        },
        footer = {
            "",
            "Examples:",
            "  cutover facts -i inventory.yml --limit app1",
            "  cutover facts -i inventory.yml --proc pgbouncer --proc nginx -o json | jq '.hosts[].facts.processes'",
        })
final class FactsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventoryOptions;

    @Mixin
    SshOptions sshOptions;

    @Option(names = "--proc", paramLabel = "NAME", description = "A process to inspect (repeatable; default: pgbouncer, named).")
    List<String> processes = new ArrayList<>();

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Hosts at a time (default: $ANSIBLE_FORKS, ansible.cfg forks, 20).")
    Integer forks;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Inventory inventory = sshOptions.apply(inventoryOptions.load(err), err);
        List<String> hosts = inventoryOptions.select(inventory);
        var resolver = sshOptions.resolver(err);
        RunInputs.checkSsh(resolver, inventory, hosts);
        RunContext context = new RunContext("facts", null, inventory, resolver, sshOptions.connector(err),
                HelperScript.bundled(), HelperHome.DEFAULT, sshOptions.commandTimeout(), false, Map.of());
        List<FactsGatherer.HostFactsResult> results = new FactsGatherer(context, sshOptions.forks(forks, 20, err))
                .gather(hosts, processes.isEmpty() ? List.of("pgbouncer", "named") : processes, List.of());
        if (output.json()) {
            List<Map<String, Object>> hostFacts = results.stream().map(r -> {
                Map<String, Object> host = new LinkedHashMap<>();
                host.put("host", r.host());
                host.put("facts", r.ok() ? r.facts() : null);
                host.put("error", r.ok() ? null : r.error());
                return host;
            }).toList();
            out.println(JsonOutput.document("facts", Clock.systemUTC(), Map.of("hosts", hostFacts)));
        } else {
            results.forEach(r -> FactsText.print(r, out));
        }
        out.flush();
        return results.stream().allMatch(FactsGatherer.HostFactsResult::ok) ? ExitCode.OK : ExitCode.HOSTS_FAILED;
    }
}
