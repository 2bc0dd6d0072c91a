package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.render.Unknown;
import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));
    private static final VarValues INVENTORY_VARS = VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.213.0.30")));

    private static Planner planner(Map<String, Object> overrides) {
        return planner(VarValues.of(overrides));
    }

    private static Planner planner(VarValues overrides) {
        return new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), overrides);
    }

    /** A step by its name: positions move whenever the playbook gains a step. */
    private static PlannedStep step(HostPlan plan, String name) {
        return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no step " + name));
    }

    /** Facts as the helper reports them for a host still on its old resolvers. */
    private static HostFacts liveFacts() {
        Map<String, Object> helper = Map.of("resolv_conf", Map.of(
                "nameservers", List.of("10.213.0.21", "10.213.0.22"),
                "search", List.of("lab.test"),
                "options", List.of("timeout:1")));
        return LiveFacts.of(helper, Map.of(
                "/etc/resolv.conf", CurrentFile.of("search lab.test\nnameserver 10.213.0.21\nnameserver 10.213.0.22\noptions timeout:1\n"),
                "/etc/bind/named.conf.options", CurrentFile.ABSENT));
    }

    @Test
    void offlinePlanMarksWhatOnlyFactsCanDecide() {
        HostPlan plan = planner(Map.of()).plan("app1", INVENTORY_VARS, HostFacts.offline(), new Unknown("run id"));

        PlannedStep ban = plan.steps().stream().filter(s -> s.name().equals("ban-old")).findFirst().orElseThrow();
        assertThat(ban.args().get("addresses")).isEqualTo(new Unknown("facts.upstreams"));
        FileChange options = step(plan, "bind-options").files().get(0);
        assertThat(options.before().known()).isFalse();
        assertThat(options.after()).contains("<facts.upstreams>;").contains("listen-on port 53 { 127.0.0.1; };");
    }

    @Test
    void theSixStepsAreOneGuardedBlockAfterTheSetup() {
        HostPlan plan = planner(Map.of()).plan("app1", INVENTORY_VARS, liveFacts(), "r1");

        assertThat(plan.steps()).extracting(PlannedStep::name).containsExactly("preflight", "bind-install", "bind-options", "bind-check",
                "bind-start", "resolv-conf", "refresh", "forwarders-alternate", "reload-alternate", "capture", "ban-old",
                "trigger", "verify", "unban", "forwarders-restore", "reload-restore");
        assertThat(plan.steps().stream().filter(PlannedStep::inBlock).map(PlannedStep::name)).containsExactly("forwarders-alternate",
                "reload-alternate", "capture", "ban-old", "trigger", "verify", "unban", "forwarders-restore", "reload-restore");
        assertThat(plan.guardedBlock().name()).isEqualTo("safe-cutover");
    }

    @Test
    void resolvConfDiffKeepsSearchAndOptionsAndPointsAtTheLocalResolver() {
        HostPlan plan = planner(Map.of()).plan("app1", INVENTORY_VARS, liveFacts(), "r1");

        FileChange resolv = step(plan, "resolv-conf").files().get(0);
        assertThat(resolv.diff()).isEqualTo("""
                --- a/etc/resolv.conf
                +++ b/etc/resolv.conf
                @@ -1,4 +1,5 @@
                +# Managed by cutover: the local caching BIND on 127.0.0.1 answers for this host.
                +# The previous file is kept by cutover-helper; `cutover rollback` restores it.
                +nameserver 127.0.0.1
                 search lab.test
                -nameserver 10.213.0.21
                -nameserver 10.213.0.22
                 options timeout:1
                """);
    }

    @Test
    void theForwarderSwapDiffsAgainstThePreviousStepsFileNotTodays() {
        HostPlan plan = planner(Map.of()).plan("app1", INVENTORY_VARS, liveFacts(), "r1");

        FileChange swap = step(plan, "forwarders-alternate").files().get(0);
        FileChange restore = step(plan, "forwarders-restore").files().get(0);
        assertThat(swap.diff()).contains("-\t\t10.213.0.21;\n-\t\t10.213.0.22;\n+\t\t10.213.0.30;\n");
        assertThat(restore.diff()).contains("-\t\t10.213.0.30;\n+\t\t10.213.0.21;\n+\t\t10.213.0.22;\n");
        assertThat(step(plan, "bind-options").files().get(0).before().exists()).isFalse();
    }

    @Test
    void aRerunOnAHostAlreadyOnTheLocalResolverKeepsForwardingToTheRealUpstreams() {
        Map<String, Object> rerun = Map.of(
                "resolv_conf", Map.of("nameservers", List.of("127.0.0.1"), "search", List.of(), "options", List.of()),
                "bind", Map.of("forwarders", List.of("10.213.0.21", "10.213.0.22")));
        HostPlan plan = planner(Map.of()).plan("app1", INVENTORY_VARS, LiveFacts.of(rerun, Map.of()), "r2");

        assertThat(step(plan, "bind-options").files().get(0).after()).contains("\t\t10.213.0.21;\n\t\t10.213.0.22;\n")
                .doesNotContain("\t\t127.0.0.1;");
    }

    @Test
    void secretsReachTheStepButNeverItsDisplay() {
        Map<String, Object> vars = Map.of("cutover_alt_forwarders", List.of("10.213.0.30"), "pgbouncer_probe_password", "s3cret");
        PlannedStep trigger = step(planner(Map.of()).plan("app1", VarValues.of(vars), liveFacts(), "r1"), "trigger");

        assertThat(trigger.args().get("password")).isEqualTo(new io.cutover.playbook.Secret("s3cret"));
        assertThat(trigger.args().toString()).doesNotContain("s3cret").contains("password=***");
        assertThat(trigger.args()).doesNotContainKey("admin_user");
    }

    @Test
    void theShippedPlaybooksTriggerGetsTheServicesUrlWithTheRunsFreshNameAndWithoutAUrlIsRefused() {
        HostPlan plan = planner(Map.of("trigger_via", "http", "trigger_url", "http://127.0.0.1:8082/resolve?name={name}"))
                .plan("app1", INVENTORY_VARS, HostFacts.offline(), "r1");
        assertThat(step(plan, "trigger").calls().get(0).shown().args()).containsSequence("--via", "http", "--url",
                "http://127.0.0.1:8082/resolve?name={name}", "--name", "cutover-probe-r1.invalid");

        assertThatThrownBy(() -> planner(Map.of("trigger_via", "http")).plan("app1", INVENTORY_VARS, HostFacts.offline(), "r1"))
                .isInstanceOf(InputException.class).hasMessageContaining("trigger via http needs `url`, with {name} where the name goes");
    }

    @Test
    void aRequiredVarMissingForAHostNamesTheHostTheVarAndTheFix() {
        assertThatThrownBy(() -> planner(Map.of()).plan("app2", VarValues.NONE, HostFacts.offline(), "r1"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("vars.cutover_alt_forwarders: host app2 has no value for this required var (list of IP addresses")
                .hasMessageContaining("pass -e cutover_alt_forwarders=...");
    }

    @Test
    void aHostileInventoryValueIsRefusedBeforeAnyHostIsContacted() {
        Map<String, Object> hostile = Map.of("cutover_alt_forwarders", List.of("10.0.0.1; touch /tmp/pwned"));
        assertThatThrownBy(() -> planner(Map.of()).plan("app1", VarValues.of(hostile), HostFacts.offline(), "r1"))
                .hasMessage("host app1: inventory var cutover_alt_forwarders: `10.0.0.1; touch /tmp/pwned` is not an IP address (expected: list of IP addresses)");
    }

    @Test
    void aBadValueFromAFileIsReportedAtTheFileLineAndColumnItWasWrittenAt() {
        Location where = new Location(Path.of("group_vars/app.yml"), 3, 1);
        VarValues hostile = new VarValues(Map.of("cutover_alt_forwarders", List.of("10.0.0.1; touch /tmp/pwned")),
                Map.of("cutover_alt_forwarders", where));
        assertThatThrownBy(() -> planner(Map.of()).plan("app1", hostile, HostFacts.offline(), "r1"))
                .hasMessage("group_vars/app.yml:3:1: cutover_alt_forwarders: host app1, inventory var: "
                        + "`10.0.0.1; touch /tmp/pwned` is not an IP address (expected: list of IP addresses)");
    }

    @Test
    void anExtraVarsFileKeyThePlaybookDoesNotDeclareIsReportedAtItsLine() {
        VarValues fromFile = new VarValues(Map.of("cutover_alt_forwarder", "10.0.0.9"),
                Map.of("cutover_alt_forwarder", new Location(Path.of("extra.yml"), 2, 1)));
        assertThatThrownBy(() -> planner(fromFile))
                .hasMessageStartingWith("extra.yml:2:1: cutover_alt_forwarder: -e: the playbook ")
                .hasMessageContaining("(did you mean `cutover_alt_forwarders`?)");
    }

    @Test
    void extraVarsOverrideInventoryVarsWhichOverrideDefaults() {
        Map<String, Object> inventory = Map.of("cutover_alt_forwarders", "10.0.0.7", "upstream_forwarders", List.of("10.0.0.8"));
        HostPlan plan = planner(Map.of("cutover_alt_forwarders", "10.0.0.9,10.0.0.10")).plan("app1", VarValues.of(inventory), liveFacts(), "r1");

        assertThat(step(plan, "bind-options").files().get(0).after()).contains("\t\t10.0.0.8;\n").doesNotContain("10.213.0.21");
        assertThat(step(plan, "forwarders-alternate").files().get(0).after()).contains("\t\t10.0.0.9;\n\t\t10.0.0.10;\n");
    }

    @Test
    void anExtraVarThePlaybookDoesNotDeclareIsRefused() {
        assertThatThrownBy(() -> planner(Map.of("cutover_alt_forwarder", "10.0.0.9")))
                .hasMessageContaining("-e cutover_alt_forwarder: the playbook").hasMessageContaining("(did you mean `cutover_alt_forwarders`?)");
    }
}
