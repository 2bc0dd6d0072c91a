package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.FleetPlan;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedStep;
import io.cutover.playbook.Action;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.yaml.YamlLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan's last lines say which hosts were not planned and which preflight would refuse: the counts alone hid them. */
class PlanSummaryTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();

    @Test
    void unreachableAndRefusedHostsAreNamedUnderTheCounts() {
        PlannedStep step = new PlannedStep(1, "bind-check", Action.BIND_CHECK, Map.of(), List.of(), null);
        HostPlan planned = new HostPlan("app1", List.of(step), null, List.of(), null, "r");
        HostPlan unreachable = new HostPlan("app2", List.of(), null, List.of("cannot plan: cannot connect"), null, "r");
        HostPlan refused = new HostPlan("app3", List.of(step), null, List.of("preflight would refuse this host: needs tcpdump"), null, "r");
        FleetPlan plan = new FleetPlan(new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml")),
                List.of(List.of(planned, unreachable, refused)), false);
        StringWriter text = new StringWriter();
        PlanText.print(plan, new PrintWriter(text));

        assertThat(text.toString()).endsWith("Nothing has been changed.\nNot planned (see each one's `!` line): app2.\n"
                + "Preflight would refuse, before any change: app3.\n");
    }
}
