package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.FleetPlan;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedStep;
import io.cutover.playbook.Action;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan's last lines say which hosts were not planned and which preflight would refuse: the counts alone hid them.
 * {@code plan --summary} prints hosts with identical plans once.
 */
class PlanSummaryTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final String PLAYBOOK = REPO.resolve("playbooks/local-caching-bind.yml").toString();

    @TempDir
    Path dir;

    /** app1..app{@code n} alike (their own names and addresses aside), and odd1 with other upstreams. */
    private String fleet(int n) throws IOException {
        StringBuilder text = new StringBuilder("""
                all:
                  vars:
                    cutover_alt_forwarders: [192.0.2.153]
                    upstream_forwarders: [192.0.2.53]
                    cutover_old_nameservers: [192.0.2.53]
                  children:
                    app:
                      hosts:
                """);
        for (int i = 1; i <= n; i++) {
            text.append("        app").append(i).append(":\n          ansible_host: 10.0.0.").append(i).append('\n');
        }
        text.append("""
                    odd:
                      hosts:
                        odd1:
                          upstream_forwarders: [198.51.100.53]
                """);
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, text.toString());
        return file.toString();
    }

    @Test
    void identicalHostsArePrintedOnceWithTheirRangeAndADifferentOneInFull() throws IOException {
        Cli grouped = Cli.run("plan", "--offline", "--summary", "-i", fleet(4), PLAYBOOK);
        Cli full = Cli.run("plan", "--offline", "-i", fleet(4), PLAYBOOK);

        assertThat(grouped.exitCode()).isEqualTo(0);
        assertThat(grouped.out()).contains("hosts app[1:4] (4 hosts with the same plan; <host> stands for each one's name",
                "// Generated for <host>;", "\nhost odd1\n", "// Generated for odd1;", "+\t\t198.51.100.53;")
                .doesNotContain("host app1\n", "Generated for app1");
        assertThat(grouped.out().lines().filter(l -> l.startsWith("  ┌ guarded block")).count()).isEqualTo(2);
        assertThat(full.out().lines().filter(l -> l.startsWith("  ┌ guarded block")).count()).isEqualTo(5);
        // the totals are the whole fleet's either way
        String totals = "Plan: 5 hosts in 3 batches, 80 steps: 25 changing, 35 transient (the proof block), 20 read-only; "
                + "10 files to change. Nothing has been changed.";
        assertThat(grouped.out()).contains(totals);
        assertThat(full.out()).contains(totals);
    }

    @Test
    void aboveTwentyHostsGroupingIsTheDefaultAndNoSummaryPrintsEveryHost() throws IOException {
        String inventory = fleet(PlanCommand.GROUP_ABOVE);

        Cli byDefault = Cli.run("plan", "--offline", "-i", inventory, PLAYBOOK);
        Cli every = Cli.run("plan", "--offline", "--no-summary", "-i", inventory, PLAYBOOK);

        assertThat(byDefault.out()).contains("hosts app[1:20] (20 hosts with the same plan");
        assertThat(every.out()).contains("host app20\n").doesNotContain("hosts app[");
        assertThat(byDefault.out().lines().count()).isLessThan(every.out().lines().count() / 5);
    }

    @Test
    void unreachableAndRefusedHostsAreNamedUnderTheCounts() {
        PlannedStep step = new PlannedStep(1, "bind-check", Action.BIND_CHECK, Map.of(), List.of(), null, List.of(), List.of());
        HostPlan planned = new HostPlan("app1", List.of(step), null, List.of(), List.of(), null, "r");
        HostPlan unreachable = new HostPlan("app2", List.of(), null, List.of("cannot plan: cannot connect"), List.of(), null, "r");
        HostPlan refused = new HostPlan("app3", List.of(step), null, List.of("preflight would refuse this host: needs tcpdump"), List.of(), null, "r");
        FleetPlan plan = new FleetPlan(new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml")),
                List.of(List.of(planned, unreachable, refused)), false);
        StringWriter text = new StringWriter();
        PlanText.print(plan, new PrintWriter(text));

        assertThat(text.toString()).endsWith("Nothing has been changed.\nNot planned (see each one's `!` line): app2.\n"
                + "Preflight would refuse, before any change: app3.\n");
    }
}
