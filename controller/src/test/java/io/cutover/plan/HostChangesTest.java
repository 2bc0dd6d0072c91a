package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.render.Unknown;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one definition of changed, as the plan counts it: lasting, already as planned, transient, read-only. */
class HostChangesTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));
    private static final Planner PLANNER = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of()));
    private static final VarValues INVENTORY_VARS = VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.213.0.30")));

    /** A host a run already switched: resolv.conf says 127.0.0.1, named runs and forwards to the old servers. */
    private static Map<String, Object> switchedHost() {
        return Map.of(
                "resolv_conf", Map.of("nameservers", List.of("127.0.0.1"), "search", List.of("lab.test"), "options", List.of()),
                "bind", Map.of("installed", true, "running", true, "forwarders", List.of("10.213.0.21", "10.213.0.22")),
                "processes", List.of(Map.of("pid", 56, "name", "pgbouncer", "targets", List.of("pgbouncer"),
                        "refresh_method", "gdb-cares", "resolv_conf_seen", Map.of("nameservers", List.of("127.0.0.1")))));
    }

    /** The host's files: what the plan renders for each lasting file step (as a previous run installed them). */
    private static HostPlan planWithFilesAsRendered(Map<String, Object> facts) {
        HostPlan unknownFiles = PLANNER.plan("app1", INVENTORY_VARS, LiveFacts.of(facts, Map.of()), "r2");
        Map<String, CurrentFile> files = new LinkedHashMap<>();
        unknownFiles.steps().stream().filter(s -> !s.inBlock()).flatMap(s -> s.files().stream())
                .forEach(f -> files.put(f.path(), CurrentFile.of(f.after())));
        return PLANNER.plan("app1", INVENTORY_VARS, LiveFacts.of(facts, files), "r2");
    }

    private static PlannedStep step(HostPlan plan, String name) {
        return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aHostAlreadySwitchedIsConvergedOnlyTheProofBlockRunsAgain() {
        HostChanges changes = HostChanges.of(planWithFilesAsRendered(switchedHost()));

        assertThat(changes.converged()).isTrue();
        assertThat(changes).isEqualTo(new HostChanges(0, 5, 7, 4, 0, true));
        assertThat(changes.describe()).isEqualTo("16 steps: 0 changing, 5 already as planned, 7 transient (the proof block), 4 read-only");
    }

    @Test
    void aHostWhoseProcessStillSeesTheOldServersIsRefreshedAgain() {
        Map<String, Object> facts = new LinkedHashMap<>(switchedHost());
        facts.put("processes", List.of(Map.of("pid", 56, "name", "pgbouncer", "targets", List.of("pgbouncer"),
                "resolv_conf_seen", Map.of("nameservers", List.of("10.213.0.21")))));
        HostPlan plan = planWithFilesAsRendered(facts);

        assertThat(HostChanges.wouldChange(plan, step(plan, "refresh"))).isTrue();
        assertThat(HostChanges.of(plan).converged()).isFalse();
    }

    @Test
    void offlineEveryLastingStepCountsAsChangingAndNothingIsConverged() {
        HostPlan plan = PLANNER.plan("app1", INVENTORY_VARS, HostFacts.offline(), new Unknown("run id"));

        assertThat(HostChanges.of(plan)).isEqualTo(new HostChanges(5, 0, 7, 4, 2, false));
        assertThat(HostChanges.of(plan).converged()).isFalse();
    }

    @Test
    void theBlockChangesAreTransientVerifyIsReadOnlyWhateverTheHelperSays() {
        HostPlan plan = planWithFilesAsRendered(switchedHost());

        assertThat(Change.ran(step(plan, "bind-options"), true)).isEqualTo(Change.LASTING);
        assertThat(Change.ran(step(plan, "bind-options"), false)).isEqualTo(Change.NONE);
        assertThat(Change.ran(step(plan, "forwarders-alternate"), true)).isEqualTo(Change.TRANSIENT);
        assertThat(Change.ran(step(plan, "ban-old"), true)).isEqualTo(Change.TRANSIENT);
        // capture-verify --stop ends the capture: the helper says changed, the step changes nothing that lasts
        assertThat(Change.ran(step(plan, "verify"), true)).isEqualTo(Change.NONE);
        assertThat(Change.ran(step(plan, "trigger"), true).label()).isEqualTo("ok");
    }

    @Test
    void theBanLastsTheTriggersTimeoutPlusHalfASecondForEachOtherStep() {
        HostPlan plan = planWithFilesAsRendered(switchedHost());

        // trigger 2 (its timeout) + verify 0.5 + unban 0.5 = 3 s: the capture starts before the ban
        assertThat(BanWindow.of(plan).orElseThrow().seconds()).isEqualTo(3);
        assertThat(BanWindow.of(plan).orElseThrow().describe()).isEqualTo("about 3 s (at most the guard's 60s)");
    }
}
