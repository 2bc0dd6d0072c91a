package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.playbook.ExtraVars;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.yaml.InputException;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped playbook's `triggers`: one trigger and its verify per entry, and every way an entry can be wrong. */
class TriggerLoopTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));
    private static final VarValues INVENTORY_VARS = VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.213.0.30")));
    private static final String THREE = "triggers=[{via: pgbouncer}, {via: reload, pidfile: /run/nginx.pid}, "
            + "{via: http, url: \"http://127.0.0.1:8082/resolve?name={name}\", proves: [/run/go.pid]}]";

    @TempDir
    Path dir;

    private static HostPlan plan(String... extraVars) {
        VarValues overrides = ExtraVars.parse(List.of(extraVars), new YamlLoader());
        return new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), overrides).plan("app1", INVENTORY_VARS, HostFacts.offline(), "r1");
    }

    private static List<String> proofSteps(HostPlan plan) {
        return plan.steps().stream().filter(s -> s.action() == io.cutover.playbook.Action.TRIGGER
                || s.action() == io.cutover.playbook.Action.CAPTURE_VERIFY).map(PlannedStep::name).toList();
    }

    private static PlannedStep step(HostPlan plan, String name) {
        return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no step " + name));
    }

    private static List<String> shown(PlannedStep step) {
        return step.calls().get(0).shown().args();
    }

    @Test
    void withoutTriggersTheShippedPlaybookHasItsOneTriggerAndVerifyAsBefore() {
        HostPlan plan = plan();

        assertThat(proofSteps(plan)).containsExactly("trigger", "verify");
        assertThat(step(plan, "trigger").args().get("via")).isEqualTo("pgbouncer");
        assertThat(shown(step(plan, "verify"))).endsWith("--stop");
    }

    @Test
    void theSingleTriggerVarsReachAReloadTriggerThroughTriggerPidfile() {
        HostPlan plan = plan("trigger_via=reload trigger_pidfile=/run/nginx.pid");

        assertThat(shown(step(plan, "trigger"))).containsExactly("--run", "r1", "--via", "reload", "--pidfile", "/run/nginx.pid");
    }

    @Test
    void eachEntryIsATriggerAndAVerifyOfItsOwnNumberedInOrderAndOnlyTheLastVerifyEndsTheCapture() {
        HostPlan plan = plan(THREE);

        assertThat(proofSteps(plan)).containsExactly("trigger[1]", "verify[1]", "trigger[2]", "verify[2]", "trigger[3]", "verify[3]");
        assertThat(plan.steps().stream().map(PlannedStep::name)).doesNotHaveDuplicates();
        assertThat(step(plan, "trigger[1]").args().get("via")).isEqualTo("pgbouncer");
        assertThat(shown(step(plan, "trigger[2]"))).containsExactly("--run", "r1", "--via", "reload", "--pidfile", "/run/nginx.pid");
        assertThat(shown(step(plan, "trigger[3]"))).containsSequence("--url", "http://127.0.0.1:8082/resolve?name={name}",
                "--name", "cutover-probe-r1-3.invalid");
        assertThat(step(plan, "trigger[3]").args().get("proves")).isEqualTo(List.of("/run/go.pid"));
        assertThat(List.of("verify[1]", "verify[2]", "verify[3]")).map(name -> step(plan, name).args().get("stop"))
                .containsExactly(false, false, true);
        assertThat(step(plan, "verify[3]").inBlock()).isTrue();
    }

    @Test
    void anEntrysKeyReplacesTheVarAndWhatItLeavesOutComesFromTheVars() {
        HostPlan plan = plan("pgbouncer_port=6500", "{\"triggers\": [{\"via\": \"pgbouncer\"}, {\"via\": \"pgbouncer\", \"port\": 6433, "
                + "\"database\": \"probe2\"}]}");

        assertThat(step(plan, "trigger[1]").args()).containsEntry("port", 6500L).containsEntry("database", "probe");
        assertThat(step(plan, "trigger[2]").args()).containsEntry("port", 6433L).containsEntry("database", "probe2");
    }

    @Test
    void aPasswordAnEntryGivesReachesItsTriggerButNeverTheDisplayAndOtherWaysShowNoPassword() {
        HostPlan plan = plan("pgbouncer_probe_password=pw1", "{\"triggers\": [{\"via\": \"pgbouncer\", \"password\": \"s3cret\"}, "
                + "{\"via\": \"getent\"}]}");

        assertThat(step(plan, "trigger[1]").args().get("password")).isEqualTo(new io.cutover.playbook.Secret("s3cret"));
        assertThat(step(plan, "trigger[1]").args().toString()).doesNotContain("s3cret").contains("password=***");
        // a getent trigger uses none of pgbouncer's args: the plan does not carry them
        assertThat(step(plan, "trigger[2]").args().keySet()).containsExactlyInAnyOrder("via", "name", "timeout");
    }

    @Test
    void twoHttpEntriesWithoutANameEachLookUpTheirOwn() {
        HostPlan plan = plan("triggers=[{via: http, url: \"http://127.0.0.1:8082/r?n={name}\"}, "
                + "{via: http, url: \"http://127.0.0.1:8083/r?n={name}\"}]");

        assertThat(List.of("trigger[1]", "trigger[2]")).map(name -> step(plan, name).args().get("name"))
                .containsExactly("cutover-probe-r1.invalid", "cutover-probe-r1-2.invalid");
    }

    @Test
    void anInventoryVarWrittenAsTextIsReadAsTheList() {
        VarValues inventory = VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.213.0.30"),
                "triggers", "[{via: getent}, {via: getent, name: app.lab.test}]"));
        HostPlan plan = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.NONE)
                .plan("app1", inventory, HostFacts.offline(), "r1");

        assertThat(List.of("trigger[1]", "trigger[2]")).map(name -> step(plan, name).args().get("name"))
                .containsExactly("cutover-probe-r1.invalid", "app.lab.test");
    }

    @Test
    void aLoopThatWouldNameAStepAsAnotherIsIsRefusedAtTheOtherStep() throws IOException {
        Files.createDirectories(dir.resolve("templates"));
        Path file = Files.writeString(dir.resolve("p.yml"), """
                name: p
                vars:
                  probes: {type: mapping-list, default: [{}, {}]}
                steps:
                  - {name: t, action: trigger, loop: "${probes}"}
                  - {name: "t[2]", action: bind-check}
                """);
        Playbook playbook = new PlaybookLoader(new YamlLoader()).load(file);

        assertThatThrownBy(() -> new Planner(playbook, new Renderer(playbook.templateDir()), VarValues.NONE)
                .plan("app1", VarValues.NONE, HostFacts.offline(), "r1")).isInstanceOf(InputException.class)
                .hasMessage(file + ":6:5: name: two steps are named `t[2]` once the loop is expanded; step names identify steps "
                        + "in the journal and must be unique");
    }

    // ---- bad input: one error, naming the file, line and field; nothing planned

    private String error(String vars) throws IOException {
        Path file = Files.writeString(dir.resolve("vars.yml"), vars);
        try {
            plan("@" + file);
        } catch (InputException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + vars);
    }

    @Test
    void aTriggersValueThatIsNoListIsRefusedAtItsLine() throws IOException {
        assertThat(error("refresh_processes: [pgbouncer]\ntriggers: pgbouncer\n")).isEqualTo(dir.resolve("vars.yml")
                + ":2:1: triggers: host app1, -e: `pgbouncer` is not a list of mappings: write it as [{key: value, ...}, ...]"
                + " (expected: list of mappings ([{key: value, ...}, ...]))");
        assertThat(error("triggers: [{via: pgbouncer}, /run/nginx.pid]\n")).contains(":1:1: triggers: ")
                .contains("has entry 2 `/run/nginx.pid`, which is not a mapping");
    }

    @Test
    void anEntryWithAKeyNoStepTakesIsRefusedAtThatKeyWithTheKeysThereAre() throws IOException {
        assertThat(error("triggers:\n  - via: pgbouncer\n  - via: reload\n    pidfle: /run/nginx.pid\n"))
                .startsWith(dir.resolve("vars.yml") + ":4:5: triggers[2].pidfle: host app1, -e: unknown key `pidfle` "
                        + "(did you mean `pidfile`?); an entry of the loop at ")
                .contains("(steps trigger, verify) sets their arguments: via, name, url, pidfile, port, database, user, password, "
                        + "admin_user, admin_password, timeout, proves, expect, forbid");
        // the block's last verify ends the capture: no entry decides that
        assertThat(error("triggers: [{via: pgbouncer, stop: true}]\n")).contains(":1:29: triggers[1].stop: host app1, -e: unknown key `stop`");
    }

    @Test
    void aReloadEntryWithoutAPidfileIsRefusedAtTheEntry() throws IOException {
        assertThat(error("triggers:\n  - via: pgbouncer\n  - via: reload\n")).isEqualTo(dir.resolve("vars.yml")
                + ":3:5: triggers[2]: host app1, -e: trigger via reload needs `pidfile`: the nginx or HAProxy master to reload "
                + "(e.g. /run/nginx.pid)");
    }

    @Test
    void anHttpEntryWhoseUrlHasNoPlaceForTheNameIsRefusedAtTheUrl() throws IOException {
        assertThat(error("triggers:\n  - {via: http, url: \"http://127.0.0.1:8082/resolve\"}\n")).isEqualTo(dir.resolve("vars.yml")
                + ":2:17: triggers[1].url: host app1, -e: trigger via http needs `url`, with {name} where the name goes (e.g. "
                + "http://127.0.0.1:8082/resolve?name={name}); it is `http://127.0.0.1:8082/resolve`");
    }

    @Test
    void anEntryValueOfTheWrongTypeIsRefusedAtIt() throws IOException {
        assertThat(error("triggers:\n  - via: pgbouncer\n    port: 99999\n")).isEqualTo(dir.resolve("vars.yml")
                + ":3:5: triggers[1].port: host app1, -e: `99999` is not a port number (1-65535) (expected: port)");
        assertThat(error("triggers: [{via: carrier-pigeon}]\n")).contains(":1:13: triggers[1].via: ")
                .contains("`carrier-pigeon` is not one of pgbouncer, getent, http, reload");
    }

    @Test
    void anEmptyListIsRefusedRatherThanLeavingTheProofOut() throws IOException {
        assertThat(error("triggers: []\n")).startsWith(dir.resolve("vars.yml") + ":1:1: triggers: host app1, -e: an empty list: "
                + "the loop at ").endsWith("would run none of its steps; give at least one entry ([{}] runs them once, with their own arguments)");
    }

    @Test
    void onTheCommandLineTheErrorNamesTheEntry() {
        assertThatThrownBy(() -> plan("triggers=[{via: pgbouncer}, {via: reload}]")).isInstanceOf(InputException.class)
                .hasMessage("host app1: -e triggers[2]: trigger via reload needs `pidfile`: the nginx or HAProxy master to reload "
                        + "(e.g. /run/nginx.pid)");
        assertThatThrownBy(() -> plan("triggers=[{via: http, url: http://x/{name}}]")).hasMessageStartingWith(
                "host app1: -e triggers: `[{via: http, url: http://x/{name}}]` is not a list of mappings in YAML ([{key: value}, ...]; "
                        + "quote a value that holds { } [ ] or a comma)");
    }

    @Test
    void theSingleTriggerVarsBreakTheSameRuleWithTheVarToSet() {
        assertThatThrownBy(() -> plan("trigger_via=reload")).hasMessageEndingWith("pidfile: trigger via reload needs `pidfile`: the "
                + "nginx or HAProxy master to reload (e.g. /run/nginx.pid); the step's pidfile is ${trigger_pidfile}: give -e trigger_pidfile=...");
        assertThatThrownBy(() -> plan("trigger_via=http")).hasMessageContaining("url: trigger via http needs `url`, with {name}");
    }
}
