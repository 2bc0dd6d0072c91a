package io.cutover.cli;

import io.cutover.engine.CheckResult;
import io.cutover.engine.FleetCheck;
import io.cutover.engine.RunContext;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cutover check}: re-proves, read-only, that every selected host is as the playbook leaves it. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Re-prove a fleet after the fact: is every host still as the playbook left it? Read-only.",
        description = {
            "",
            "Per host, one line: `ok` with the proof, or what drifted. A host is ok when every file the playbook "
                    + "installs is what it would install now, resolv.conf lists 127.0.0.1 only, named runs and "
                    + "answers on 127.0.0.1:53, and each refresh target (e.g. pgbouncer) runs and its fresh lookup, "
                    + "made by the playbook's own trigger, is captured by tcpdump reaching 127.0.0.1:53.",
            "",
            "Nothing is banned and no configuration is changed. The capture needs the helper as a file: it is pushed "
                    + "to /run/cutover-check/ID (tmpfs) with a state directory of its own, and removed before the "
                    + "host is left; /var/lib/cutover is not touched. Run it after a reboot wave, a DHCP or "
                    + "NetworkManager change, or a week later.",
            "",
            "Exit codes: 0 every host is as the playbook leaves it; 1 a host drifted or could not be checked; "
                    + "2 bad input (nothing was contacted).",
        },
        footer = {
            "",
            "Examples:",
            "  cutover check -i inventory.yml playbooks/local-caching-bind.yml",
            "  cutover check -i inventory.yml playbooks/local-caching-bind.yml --limit dc1 -o json | jq '.hosts[] | select(.ok | not)'",
        })
final class CheckCommand implements Callable<Integer> {

    private static final DateTimeFormatter CHECK_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventoryOptions;

    @Mixin
    PlaybookOptions playbook;

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Hosts at a time (default: $ANSIBLE_FORKS, ansible.cfg forks, 20).")
    Integer forks;

    @Mixin
    OutputOptions output;

    @Mixin
    SshOptions sshOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunInputs inputs = RunInputs.load(playbook, inventoryOptions, List.of(), err).connecting(sshOptions, err);
        if (playbook.listedHosts(inputs, output, out)) {
            return ExitCode.OK;
        }
        var resolver = sshOptions.resolver(err);
        inputs.checkSsh(resolver);
        // names the scratch directory and the capture on each host; no journal: a check changes nothing
        String checkId = "check-" + CHECK_TIME.format(Instant.now()) + "-" + String.format("%04x", new SecureRandom().nextInt(0x10000));
        RunContext context = new RunContext(checkId, inputs.planner(), inputs.inventory(), resolver, sshOptions.connector(err),
                HelperScript.bundled(), HelperHome.DEFAULT, sshOptions.commandTimeout(), false, Map.of());
        List<CheckResult> results = new FleetCheck(context, sshOptions.forks(forks, 20, err)).check(inputs.hosts());
        if (output.json()) {
            out.println(json(checkId, results));
        } else {
            text(results, out);
        }
        out.flush();
        return results.stream().allMatch(CheckResult::ok) ? ExitCode.OK : ExitCode.HOSTS_FAILED;
    }

    private static void text(List<CheckResult> results, PrintWriter out) {
        int width = results.stream().mapToInt(r -> r.host().length()).max().orElse(4);
        long drifted = 0;
        long unchecked = 0;
        for (CheckResult r : results) {
            String host = String.format("%-" + width + "s", r.host());
            if (r.error() != null) {
                unchecked++;
                out.println(host + "  UNCHECKED  " + r.error());
            } else if (r.ok()) {
                out.println(host + "  ok         " + r.proofSummary() + "  (resolv.conf: " + r.owner() + ")");
            } else {
                drifted++;
                out.println(host + "  DRIFTED    " + String.join("; ", r.drift()));
            }
        }
        out.println();
        out.println(results.size() + (results.size() == 1 ? " host: " : " hosts: ") + (results.size() - drifted - unchecked)
                + " ok, " + drifted + " drifted, "
                + unchecked + " could not be checked.");
    }

    private static String json(String checkId, List<CheckResult> results) {
        List<Map<String, Object>> hosts = results.stream().map(r -> {
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("host", r.host());
            host.put("ok", r.ok());
            host.put("resolv_conf_owner", r.owner());
            host.put("drift", r.drift());
            host.put("proof", r.proof());
            host.put("error", r.error());
            return host;
        }).toList();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("check", checkId);
        doc.put("hosts", hosts);
        return JsonOutput.document("check", Clock.systemUTC(), doc);
    }
}
