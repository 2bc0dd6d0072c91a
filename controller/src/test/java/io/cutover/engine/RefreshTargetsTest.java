package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.plan.HelperFacts;
import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.Planner;
import io.cutover.plan.RefreshPlan;
import io.cutover.plan.StepNotes;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import io.cutover.plan.Preflight;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped playbook's refresh step planned from facts the helper reported on the lab's app1
 * (pgbouncer 55 by name, a python3 glibc process 60 by its pidfile /run/app.pid, and a pidfile
 * /run/gone.pid that does not exist): every target is refreshed, or the host is refused.
 */
class RefreshTargetsTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labFacts() throws Exception {
        return new ObjectMapper().readValue(RefreshTargetsTest.class.getResourceAsStream("/facts/lab-app1-pidfile.json"), Map.class);
    }

    private static HostPlan plan(Map<String, Object> facts, List<String> processes) {
        return plan(PLAYBOOK, facts, Map.of("refresh_processes", processes));
    }

    private static HostPlan plan(Playbook playbook, Map<String, Object> facts, Map<String, Object> vars) {
        Planner planner = new Planner(playbook, new Renderer(playbook.templateDir()), VarValues.of(Map.of()));
        Map<String, Object> all = new java.util.HashMap<>(vars);
        all.put("cutover_alt_forwarders", List.of("10.213.216.13"));
        return planner.plan("app1", VarValues.of(all), LiveFacts.of(facts, Map.of()), "r1");
    }

    private static List<String> verifyCalls(HostPlan plan) {
        return plan.steps().stream().filter(s -> s.action() == io.cutover.playbook.Action.CAPTURE_VERIFY)
                .map(s -> s.calls().get(0).shown().display()).toList();
    }

    private static PlannedStep refreshStep(HostPlan plan) {
        return plan.steps().stream().filter(s -> s.name().equals("refresh")).findFirst().orElseThrow();
    }

    private static List<String> refreshCalls(HostPlan plan) {
        return refreshStep(plan).calls().stream().map(c -> c.shown().display()).toList();
    }

    @Test
    void aProcessNamedByItsPidfileBesidePgbouncerIsRefreshedToo() throws Exception {
        HostPlan plan = plan(PLAYBOOK, labFacts(), Map.of("refresh_processes", List.of("pgbouncer", "/run/app.pid"),
                "refresh_unproved", List.of("/run/app.pid")));

        assertThat(refreshCalls(plan)).containsExactly(
                "cutover-helper refresh --run r1 --step refresh 55 gdb-cares",
                "cutover-helper refresh --run r1 --step refresh 60 none");
        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).isEmpty();
        assertThat(StepNotes.of(plan, refreshStep(plan))).satisfiesExactly(
                pgbouncer -> assertThat(pgbouncer).startsWith("pgbouncer pid 55: ").endsWith("; proved by trigger `trigger`"),
                app -> assertThat(app).startsWith("python3 pid 60 (/run/app.pid): ")
                        .endsWith("; not proved: accepted without a proof (the refresh step's unproved)"));
    }

    /** The shipped trigger asks pgbouncer's probe database: it proves pgbouncer, and nothing else. */
    @Test
    void aRefreshedProcessNoTriggerProvesRefusesTheHost() throws Exception {
        HostPlan plan = plan(labFacts(), List.of("pgbouncer", "/run/app.pid"));

        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).singleElement().asString()
                .startsWith("refresh /run/app.pid: no trigger proves it (nothing would make python3 pid 60 look a fresh name "
                        + "up while the old servers are banned); add a trigger step whose `proves` names /run/app.pid");
    }

    /**
     * A playbook with a trigger per daemon, each followed by its verify: every process is proved by
     * its own trigger, and only the last verify ends the capture the others read too.
     */
    @Test
    void eachTriggerProvesTheTargetsItNamesAndOnlyTheLastVerifyStopsTheCapture(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String shipped = java.nio.file.Files.readString(REPO.resolve("playbooks/local-caching-bind.yml"));
        String second = """
                      - name: trigger-app
                        action: trigger
                        args:
                          via: getent
                          name: "app-probe-${run_id}.invalid"
                          proves: [/run/app.pid]
                      - name: verify-app
                        action: capture-verify
                        args:
                          forbid: "${cutover_old_nameservers}"
                      - name: unban                      # 5. lift the ban
                """;
        String twoTriggers = shipped.replace("      - name: unban                      # 5. lift the ban\n", second);
        assertThat(twoTriggers).isNotEqualTo(shipped);
        java.nio.file.Files.writeString(dir.resolve("two-triggers.yml"), twoTriggers);
        java.nio.file.Files.createDirectory(dir.resolve("templates"));
        try (var templates = java.nio.file.Files.list(REPO.resolve("playbooks/templates"))) {
            for (Path template : templates.toList()) {
                java.nio.file.Files.copy(template, dir.resolve("templates").resolve(template.getFileName()));
            }
        }
        Playbook playbook = new PlaybookLoader(new YamlLoader()).load(dir.resolve("two-triggers.yml"));

        HostPlan plan = plan(playbook, labFacts(), Map.of("refresh_processes", List.of("pgbouncer", "/run/app.pid")));

        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).isEmpty();
        assertThat(StepNotes.of(plan, refreshStep(plan))).satisfiesExactly(
                pgbouncer -> assertThat(pgbouncer).endsWith("; proved by trigger `trigger`"),
                app -> assertThat(app).endsWith("; proved by trigger `trigger-app`"));
        assertThat(verifyCalls(plan)).satisfiesExactly(
                first -> assertThat(first).doesNotContain("--stop"),
                last -> assertThat(last).endsWith(" --stop"));

        // a second trigger that looks up what the first does: neither verify could tell the lookups apart
        java.nio.file.Files.writeString(dir.resolve("same-name.yml"), twoTriggers.replace("name: \"app-probe-${run_id}.invalid\"",
                "name: \"cutover-probe-${run_id}.invalid\"").replace("via: \"${trigger_via}\"", "via: getent"));
        HostPlan same = plan(new PlaybookLoader(new YamlLoader()).load(dir.resolve("same-name.yml")), labFacts(),
                Map.of("refresh_processes", List.of("/run/app.pid")));
        assertThat(Preflight.problems(same, HelperFacts.of(labFacts()))).singleElement().asString()
                .isEqualTo("triggers `trigger` and `trigger-app` both look up cutover-probe-r1.invalid: each verify could pass "
                        + "on the other's lookup; give each trigger its own name");
    }

    @Test
    void aPidfileThatNamesNoRunningProcessRefusesTheHostWithTheReason() throws Exception {
        HostPlan plan = plan(labFacts(), List.of("pgbouncer", "/run/gone.pid"));

        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).singleElement().asString()
                .startsWith("refresh /run/gone.pid: refused: pidfile /run/gone.pid does not exist: nothing to switch");
        assertThat(refreshCalls(plan)).containsExactly("cutover-helper refresh --run r1 --step refresh 55 gdb-cares");
    }

    @Test
    void aNameNoProcessHasRefusesTheHost() throws Exception {
        HostPlan plan = plan(labFacts(), List.of("pgbouncer", "nginx"));

        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).singleElement().asString()
                .startsWith("refresh nginx: refused: no running process matches nginx");
    }

    @Test
    void aProcessNamedTwiceByNameAndPidfileIsRefreshedOnce() throws Exception {
        Map<String, Object> facts = labFacts();
        @SuppressWarnings("unchecked")
        Map<String, Object> pgbouncer = ((List<Map<String, Object>>) facts.get("processes")).get(0);
        pgbouncer.put("targets", List.of("pgbouncer", "/var/run/postgresql/pgbouncer.pid"));

        assertThat(refreshCalls(plan(facts, List.of("pgbouncer", "/var/run/postgresql/pgbouncer.pid"))))
                .containsExactly("cutover-helper refresh --run r1 --step refresh 55 gdb-cares");
    }

    @Test
    void anEmptyListRefreshesNothingAndRefusesNothing() throws Exception {
        HostPlan plan = plan(labFacts(), List.of());

        assertThat(refreshCalls(plan)).isEmpty();
        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).isEmpty();
        assertThat(RefreshPlan.of(List.of(), "auto", HelperFacts.of(labFacts()))).isEmpty();
        assertThat(StepNotes.of(plan, refreshStep(plan)))
                .containsExactly("no processes named (refresh_processes is empty): no process is refreshed on this host");
    }

    @Test
    void thePlanSaysPerProcessWhichMethodAndWhy() throws Exception {
        HostPlan plan = plan(labFacts(), List.of("pgbouncer", "/run/app.pid", "/run/gone.pid"));

        assertThat(StepNotes.of(plan, refreshStep(plan))).hasSize(3)
                .first().asString().startsWith("pgbouncer pid 55: c-ares 1.18.1 → gdb-cares");
        assertThat(StepNotes.of(plan, refreshStep(plan)).get(1)).startsWith("python3 pid 60 (/run/app.pid): ");
        assertThat(StepNotes.of(plan, refreshStep(plan)).get(2)).startsWith("/run/gone.pid: refused: pidfile /run/gone.pid does not exist");
    }

    @Test
    void aRefreshMethodTheHelperDoesNotHaveIsRefusedBeforeAnyChange() throws Exception {
        Map<String, Object> facts = labFacts();

        assertThat(RefreshPlan.of(List.of("pgbouncer"), "restart", HelperFacts.of(facts))).singleElement()
                .satisfies(c -> assertThat(c.refusal()).contains("refresh_method restart is not a method the helper has"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> daemons() throws Exception {
        return new ObjectMapper().readValue(RefreshTargetsTest.class.getResourceAsStream("/facts/lab-app1-daemons.json"), Map.class);
    }

    /** Facts as the helper reported them for pgbouncer, a Go binary, HAProxy, Node, a glibc app and nginx. */
    @Test
    void autoPicksAMethodPerProcessAndThePlanSaysWhichAndWhy() throws Exception {
        HostPlan plan = plan(PLAYBOOK, daemons(), Map.of("refresh_processes", List.of("pgbouncer", "/run/app.pid"),
                "refresh_unproved", List.of("/run/app.pid")));

        assertThat(StepNotes.of(plan, refreshStep(plan))).containsExactly(
                "pgbouncer pid 55: c-ares 1.18.1 → gdb-cares (ares_set_servers_csv with resolv.conf's servers: no ares_reinit before "
                        + "c-ares 1.22); proved by trigger `trigger`",
                "python3 pid 104 (/run/app.pid): glibc 2.36 → none (glibc >= 2.26 re-reads resolv.conf when it changes); not "
                        + "proved: accepted without a proof (the refresh step's unproved)");
        assertThat(refreshCalls(plan)).containsExactly("cutover-helper refresh --run r1 --step refresh 55 gdb-cares",
                "cutover-helper refresh --run r1 --step refresh 104 none");
        assertThat(Preflight.problems(plan, HelperFacts.of(daemons()))).isEmpty();
    }

    @Test
    void processesWhoseMethodIsNotImplementedAreRefusedAtPreflightWithTheReason() throws Exception {
        HostPlan plan = plan(daemons(), List.of("pgbouncer", "gosvc", "haproxy"));

        assertThat(Preflight.problems(plan, HelperFacts.of(daemons()))).satisfiesExactly(
                go -> assertThat(go).startsWith("refresh gosvc pid 101: Go go1.21.4: its own resolver re-reads resolv.conf at most every 5 s → "
                        + "no safe method yet").contains(": refused: no method that switches it without a restart is implemented yet"),
                haproxy -> assertThat(haproxy).startsWith("refresh haproxy pid 102: haproxy asks the resolver 10.0.0.4 10.0.0.5 named in "
                        + "/etc/lab/haproxy.cfg itself").doesNotContain("bans"));
        assertThat(refreshCalls(plan)).containsExactly("cutover-helper refresh --run r1 --step refresh 55 gdb-cares");
    }

    @Test
    void nodeIsRefreshedWithGdbCaresAndThePlanSaysWhyItsChannelsNeedIt() throws Exception {
        // the shipped trigger proves pgbouncer only: Node is accepted unproved here
        HostPlan plan = plan(PLAYBOOK, daemons(), Map.of("refresh_processes", List.of("node"), "refresh_unproved", List.of("node")));

        assertThat(StepNotes.of(plan, refreshStep(plan))).singleElement().asString()
                .startsWith("node pid 103: Node 20.20.2: dns.lookup follows resolv.conf")
                .contains("dns.resolve* use c-ares 1.34.6 channels, which never re-read it → gdb-cares (ares_reinit in every channel");
        assertThat(refreshCalls(plan)).containsExactly("cutover-helper refresh --run r1 --step refresh 103 gdb-cares");
        assertThat(Preflight.problems(plan, HelperFacts.of(daemons()))).isEmpty();
    }

    @Test
    void nginxWhoseOwnResolverIsAServerTheCutoverBansIsRefusedSayingSo() throws Exception {
        HostPlan plan = plan(daemons(), List.of("nginx"));

        assertThat(Preflight.problems(plan, HelperFacts.of(daemons()))).singleElement().asString()
                .startsWith("refresh nginx pid 105: nginx asks the resolver 10.0.0.3 10.213.216.11 2001:db8::1 named in /etc/lab/nginx.conf")
                .endsWith("its own resolver 10.213.216.11 is a server the cutover bans: it would lose DNS during the proof");
    }

    /** pgbouncer whose c-ares cannot be called into safely, as the helper reports it (no method advised). */
    private static Map<String, Object> unsafeCares() {
        Map<String, Object> process = new java.util.HashMap<>();
        process.put("pid", 55);
        process.put("name", "pgbouncer");
        process.put("targets", List.of("pgbouncer"));
        process.put("refresh_method", null);
        process.put("refresh_why", "c-ares 1.34.5 → no safe method (/usr/lib/libcares.so.2 was replaced on disk after the process "
                + "started (an upgrade?); pgbouncer-online-restart would replace the process and once lost a client connection: "
                + "name it in refresh_method to accept that, see docs/resolver-refresh.md)");
        return Map.of("processes", List.of(process));
    }

    @Test
    void autoNeverPicksTheOnlineRestartWhereTheInProcessCallIsUnsafe() {
        RefreshPlan.Choice choice = RefreshPlan.of(List.of("pgbouncer"), "auto", HelperFacts.of(unsafeCares())).get(0);

        assertThat(choice.refused()).isTrue();
        assertThat(choice.describe()).contains("no safe method (", "name it in refresh_method to accept that")
                .endsWith("refused: auto picks no method for it (docs/resolver-refresh.md)");
    }

    @Test
    void aPlaybookThatNamesTheOnlineRestartIsWarnedOfItsRiskInThePlan() {
        RefreshPlan.Choice choice = RefreshPlan.of(List.of("pgbouncer"), "pgbouncer-online-restart", HelperFacts.of(unsafeCares())).get(0);

        assertThat(choice.refused()).isFalse();
        assertThat(choice.describe()).startsWith("pgbouncer pid 55: the playbook's refresh_method (warning: pgbouncer -R replaces "
                + "the process, and it lost a client connection in 1 of 5 benchmark runs; auto never picks it")
                .endsWith("→ pgbouncer-online-restart");
    }
}
