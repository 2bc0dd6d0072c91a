package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.plan.HelperFacts;
import io.cutover.plan.BindNotes;
import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.Planner;
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
 * The shipped playbook planned from facts as the helper reports them on the lab's real and namespace
 * hosts (init, named's unit, apt's candidate): the helper calls apply runs, and what preflight refuses.
 */
class BindServicePreflightTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));
    private static final String TOOLS = "\"tools\":{\"tcpdump\":true,\"rndc\":true,\"named-checkconf\":true,\"gdb\":true},"
            + "\"firewall\":{\"ban_backend\":\"nft\"},\"processes\":[],"
            + "\"resolv_conf\":{\"manager\":\"none\",\"nameservers\":[\"10.0.0.11\"]}";
    /** trixie-plain: systemd, BIND installed, named.service disabled and stopped (facts of the lab host). */
    private static final String SYSTEMD = "{" + TOOLS + ",\"init\":{\"system\":\"systemd\",\"pid1\":\"systemd\"},"
            + "\"bind\":{\"installed\":true,\"service\":{\"unit\":\"named.service\",\"load_state\":\"loaded\","
            + "\"unit_file_state\":\"disabled\",\"active_state\":\"inactive\",\"restart\":\"on-failure\",\"restarts\":true},"
            + "\"package\":null}}";

    private static Map<String, Object> facts(String json) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = new ObjectMapper().readValue(json, Map.class);
        return tree;
    }

    private static HostPlan plan(Map<String, Object> facts) {
        Planner planner = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of()));
        return planner.plan("h1", VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.0.0.13"), "refresh_processes", List.of())),
                LiveFacts.of(facts, Map.of()), "r1");
    }

    private static List<String> calls(HostPlan plan, String step) {
        PlannedStep planned = plan.steps().stream().filter(s -> s.name().equals(step)).findFirst().orElseThrow();
        return planned.calls().stream().map(c -> c.shown().display()).toList();
    }

    @Test
    void underSystemdBindStartNamesTheInitAndTheUnitTheFactsFound() throws Exception {
        HostPlan plan = plan(facts(SYSTEMD));

        assertThat(calls(plan, "bind-start")).containsExactly("cutover-helper bind-start --run r1 --step bind-start --init systemd --unit named.service");
        assertThat(calls(plan, "bind-install")).containsExactly("cutover-helper bind-install --run r1 --step bind-install --package bind9");
        assertThat(Preflight.problems(plan, HelperFacts.of(facts(SYSTEMD)))).isEmpty();
        assertThat(BindNotes.of(io.cutover.playbook.Action.BIND_START, plan.facts().parsed().bind()))
                .containsExactly("systemd: named.service is disabled/inactive: enabled and started; its Restart=on-failure restarts "
                        + "named if it dies; undo returns it to disabled/inactive");
    }

    @Test
    void aUnitThatWouldNotRestartNamedGetsTheDropInInThePlan() throws Exception {
        HostPlan plan = plan(facts(SYSTEMD.replace("\"restart\":\"on-failure\",\"restarts\":true", "\"restart\":\"no\",\"restarts\":false")));

        assertThat(BindNotes.of(io.cutover.playbook.Action.BIND_START, plan.facts().parsed().bind()).get(0))
                .contains("Restart=no would not restart named", "zz-cutover-restart.conf (Restart=on-failure), which the undo removes");
    }

    @Test
    void whereBindIsMissingTheInstallIsPinnedToTheCandidateAndTheBindToolsCountAsComing() throws Exception {
        String missing = "{" + TOOLS.replace("\"rndc\":true,\"named-checkconf\":true", "\"rndc\":false,\"named-checkconf\":false")
                + ",\"init\":{\"system\":\"systemd\",\"pid1\":\"systemd\"},\"bind\":{\"installed\":false,\"service\":null,"
                + "\"package\":{\"manager\":\"apt\",\"name\":\"bind9\",\"candidate\":\"1:9.20.30-1~deb13u1\",\"source\":\"http://10.0.0.10/trixie ./ Packages\"}}}";
        HostPlan plan = plan(facts(missing));

        assertThat(calls(plan, "bind-install")).containsExactly(
                "cutover-helper bind-install --run r1 --step bind-install --package bind9 --version '1:9.20.30-1~deb13u1'");
        assertThat(calls(plan, "bind-start")).containsExactly("cutover-helper bind-start --run r1 --step bind-start --init systemd");
        assertThat(Preflight.problems(plan, HelperFacts.of(facts(missing)))).isEmpty();
    }

    @Test
    void bindMissingWithNoSourceThatHasItIsRefusedBeforeAnyChange() throws Exception {
        String none = "{" + TOOLS + ",\"init\":{\"system\":\"systemd\",\"pid1\":\"systemd\"},\"bind\":{\"installed\":false,"
                + "\"service\":null,\"package\":{\"manager\":\"apt\",\"name\":\"bind9\",\"candidate\":null,\"source\":null}}}";

        assertThat(Preflight.problems(plan(facts(none)), HelperFacts.of(facts(none)))).contains("needs named, which is not installed",
                "BIND is not installed and no package source of the host has bind9 (apt-cache policy: no candidate); "
                        + "add a source that has it, or install BIND yourself");
    }

    @Test
    void anInitSystemCutoverDoesNotKnowIsRefused() throws Exception {
        String runit = SYSTEMD.replace("{\"system\":\"systemd\",\"pid1\":\"systemd\"}", "{\"system\":\"unknown\",\"pid1\":\"runit\"}")
                .replace("\"service\":{", "\"ignored\":{");

        assertThat(Preflight.problems(plan(facts(runit)), HelperFacts.of(facts(runit)))).singleElement().asString()
                .startsWith("PID 1 is runit, an init system cutover does not know");
    }

    @Test
    void withoutAServiceManagerNamedIsStartedByHandAndThePlanSaysSo() throws Exception {
        String shell = SYSTEMD.replace("{\"system\":\"systemd\",\"pid1\":\"systemd\"}", "{\"system\":\"none\",\"pid1\":\"sh\"}")
                .replace("\"service\":{", "\"ignored\":{");
        HostPlan plan = plan(facts(shell));

        assertThat(calls(plan, "bind-start")).containsExactly("cutover-helper bind-start --run r1 --step bind-start --init none");
        assertThat(BindNotes.of(io.cutover.playbook.Action.BIND_START, plan.facts().parsed().bind()))
                .containsExactly("no service manager (PID 1 is sh): named is started by hand and does not come back after a reboot; undo stops it");
        assertThat(Preflight.problems(plan, HelperFacts.of(facts(shell)))).isEmpty();
    }

    @Test
    void aUnitStateCutoverCouldNotRestoreIsRefused() throws Exception {
        String stat = SYSTEMD.replace("\"unit_file_state\":\"disabled\"", "\"unit_file_state\":\"linked\"");

        assertThat(Preflight.problems(plan(facts(stat)), HelperFacts.of(facts(stat)))).singleElement().asString()
                .startsWith("named.service is 'linked', which cutover could not restore exactly");
    }
}
