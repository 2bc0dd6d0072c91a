package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.Planner;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Online plans of hosts alike: what is each host's own (name, address, pids) does not split the group; the rest does. */
class PlanGroupsTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));
    private static final Planner PLANNER = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of()));

    private static HostPlan host(String name, int pgbouncerPid, String upstream) {
        Map<String, Object> facts = Map.of(
                "resolv_conf", Map.of("nameservers", List.of(upstream), "search", List.of("lab.test"), "options", List.of()),
                "bind", Map.of("installed", true, "running", false),
                "processes", List.of(Map.of("pid", pgbouncerPid, "name", "pgbouncer", "targets", List.of("pgbouncer"),
                        "refresh_method", "gdb-cares", "refresh_why", "c-ares 1.18.1")));
        return PLANNER.plan(name, VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.213.0.30"))), LiveFacts.of(facts, Map.of()), "r1");
    }

    @Test
    void hostsThatDifferOnlyInNameAddressAndPidsAreOneGroup() {
        List<PlanGroups.Group> groups = PlanGroups.identical(List.of(host("app1", 56, "10.213.0.21"), host("app2", 58, "10.213.0.21")),
                Map.of("app1", "10.213.0.41", "app2", "10.213.0.42"));

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).hosts()).containsExactly("app1", "app2");
        assertThat(groups.get(0).body()).contains("--step refresh <pid> gdb-cares", "pgbouncer pid <pid>", "Generated for <host>;")
                .doesNotContain("app1", "app2", " 56 ", " 58 ");
        assertThat(PlanGroups.legend(groups.get(0))).startsWith("; <host> stands for each one's name").contains("<pid> for its processes' ids");
    }

    @Test
    void aHostWithOtherUpstreamsIsAGroupOfItsOwnPrintedAsItIs() {
        List<PlanGroups.Group> groups = PlanGroups.identical(List.of(host("app1", 56, "10.213.0.21"), host("app2", 58, "10.213.0.21"),
                host("app3", 60, "10.213.0.99")), Map.of());

        assertThat(groups).extracting(PlanGroups.Group::hosts).containsExactly(List.of("app1", "app2"), List.of("app3"));
        assertThat(groups.get(1).body()).contains("Generated for app3;", "--step refresh 60 gdb-cares", "10.213.0.99");
        assertThat(PlanGroups.legend(groups.get(1))).isEmpty();
    }
}
