package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.plan.HelperFacts;
import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.Planner;
import io.cutover.plan.Preflight;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx and HAProxy on the lab's app1 (lab/services: nginx 20597 resolving its upstream at load,
 * HAProxy 20616 with a resolvers section naming the old servers), as the helper's facts reported
 * them: auto picks proxy-reload and proxy-resolver, and the proof's trigger can reload a master.
 */
class ProxyTargetsTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Playbook PLAYBOOK = new PlaybookLoader(new YamlLoader()).load(REPO.resolve("playbooks/local-caching-bind.yml"));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labFacts() throws Exception {
        return new ObjectMapper().readValue(ProxyTargetsTest.class.getResourceAsStream("/facts/lab-app1-proxies.json"), Map.class);
    }

    @Test
    void autoReloadsNginxAndRewritesHaproxysResolversBesidePgbouncer() throws Exception {
        Planner planner = new Planner(PLAYBOOK, new Renderer(PLAYBOOK.templateDir()), VarValues.of(Map.of()));
        HostPlan plan = planner.plan("app1", VarValues.of(Map.of("cutover_alt_forwarders", List.of("10.213.45.13"),
                "refresh_processes", List.of("pgbouncer", "/run/nginx.pid", "/run/haproxy.pid"),
                // the shipped playbook's one trigger proves pgbouncer: the proxies are accepted unproved here
                "refresh_unproved", List.of("/run/nginx.pid", "/run/haproxy.pid"))), LiveFacts.of(labFacts(), Map.of()), "r1");
        PlannedStep refresh = plan.steps().stream().filter(s -> s.name().equals("refresh")).findFirst().orElseThrow();

        assertThat(refresh.calls().stream().map(c -> c.shown().display()).toList()).containsExactly(
                "cutover-helper refresh --run r1 --step refresh 56 gdb-cares",
                "cutover-helper refresh --run r1 --step refresh 20597 proxy-reload",
                "cutover-helper refresh --run r1 --step refresh 20616 proxy-resolver");
        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).isEmpty();
    }

    @Test
    void theRecapCountsAProxysKeepAliveClientsNotItsReplacedWorkerSockets() throws Exception {
        Proof proof = new Proof();
        proof.add(new PlannedStep(7, "refresh", io.cutover.playbook.Action.REFRESH, Map.of(), List.of(), null, List.of(), List.of()),
                new ObjectMapper().readTree("{\"pid\":82,\"method\":\"proxy-reload\",\"sockets_lost\":4,"
                + "\"client_sockets_before\":3,\"client_sockets_lost\":3,\"workers_new\":[301,302],\"nameservers_seen\":[\"127.0.0.1\"]}"));
        assertThat(Proof.summary(proof.toJson())).isEqualTo("pid 82 proxy-reload reloaded, 3 of 3 keep-alive clients closed by the old workers");
    }

    @Test
    void aReloadTriggerNeedsThePidfileOfTheMaster(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("p.yml"), "name: p\nsteps:\n  - action: trigger\n    args: {via: reload}\n");
        assertThatThrownBy(() -> new PlaybookLoader(new YamlLoader()).load(dir.resolve("p.yml")))
                .hasMessageContaining("via reload needs `pidfile`");

        Files.writeString(dir.resolve("p.yml"), "name: p\nsteps:\n  - action: trigger\n    args: {via: reload, pidfile: /run/nginx.pid}\n");
        Playbook playbook = new PlaybookLoader(new YamlLoader()).load(dir.resolve("p.yml"));
        HostPlan plan = new Planner(playbook, new Renderer(playbook.templateDir()), VarValues.of(Map.of()))
                .plan("app1", VarValues.of(Map.of()), LiveFacts.of(labFacts(), Map.of()), "r1");
        assertThat(plan.steps().get(0).calls().stream().map(c -> c.shown().display()).toList())
                .containsExactly("cutover-helper trigger --run r1 --via reload --pidfile /run/nginx.pid");
    }
}
