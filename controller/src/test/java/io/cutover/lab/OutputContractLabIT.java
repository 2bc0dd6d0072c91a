package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.cli.OutputSchemas;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine output contract (docs/output.md) on a real lab of two pgbouncer hosts and a light
 * one: every document and every JSON Lines event each verb prints validates against docs/schema/,
 * stdout carries nothing else (resume's and rollback's notes go to stderr), and host-finished
 * carries the same proof `status` shows.
 */
class OutputContractLabIT {

    private static final List<String> HOSTS = List.of("app1", "app2", "light1");
    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.fleet("oc", 2, 1);

    @Test
    void everyVerbsJsonOnARealFleetValidatesAgainstTheSchemas() {
        String inventory = lab.inventory().toString();

        JsonNode plan = OutputSchemas.assertDocument("plan", ok(Cutover.runApart(runs, "plan", "-i", inventory, PLAYBOOK, "-o", "json")));
        assertThat(plan.path("offline").asBoolean()).isFalse();
        assertThat(plan.path("hosts")).hasSize(3);

        JsonNode facts = OutputSchemas.assertDocument("facts", ok(Cutover.runApart(runs, "facts", "-i", inventory, "-o", "json")));
        assertThat(facts.path("hosts").findValues("error")).allSatisfy(e -> assertThat(e.isNull()).isTrue());

        Cutover.Result apply = Cutover.runApart(runs, "apply", "-i", inventory, PLAYBOOK, "--yes", "--serial", "100%", "-o", "json");
        List<JsonNode> events = OutputSchemas.assertEvents(ok(apply));
        assertThat(events.get(0).path("event").asText()).isEqualTo("run-started");
        assertThat(events.get(events.size() - 1).path("event").asText()).isEqualTo("run-finished");
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        events.stream().filter(e -> e.path("event").asText().equals("host-finished")).forEach(e -> finished.put(e.path("host").asText(), e));
        assertThat(finished).containsOnlyKeys(HOSTS);
        for (JsonNode host : finished.values()) {
            assertThat(host.path("status").asText()).as(host.toString()).isEqualTo("changed");
            assertThat(host.path("proof").path("capture").toString()).as(host.toString()).contains("127.0.0.1.53");
        }
        assertThat(finished.get("app1").path("proof").path("refresh").toString()).contains("\"method\"");

        JsonNode status = OutputSchemas.assertDocument("status", ok(Cutover.runApart(runs, "status", "-o", "json")));
        for (JsonNode host : status.path("hosts")) {
            assertThat(host.path("proof")).as("host-finished carries what status shows for %s", host.path("host"))
                    .isEqualTo(finished.get(host.path("host").asText()).path("proof"));
        }
        OutputSchemas.assertDocument("runs", ok(Cutover.runApart(runs, "status", "--list", "-o", "json")));
        Cutover.Result resume = Cutover.runApart(runs, "resume", "-o", "json");
        assertThat(ok(resume)).as("resume of a finished run prints no text on stdout").isEmpty();
        assertThat(resume.err()).contains("nothing to resume");

        JsonNode check = OutputSchemas.assertDocument("check", ok(Cutover.runApart(runs, "check", "-i", inventory, PLAYBOOK, "-o", "json")));
        assertThat(check.path("hosts").findValues("ok")).hasSize(3).allSatisfy(o -> assertThat(o.asBoolean()).isTrue());

        Cutover.Result rollback = Cutover.runApart(runs, "rollback", "--yes", "-o", "json");
        List<JsonNode> undone = OutputSchemas.assertEvents(ok(rollback));
        assertThat(undone).filteredOn(e -> e.path("event").asText().equals("host-finished"))
                .extracting(e -> e.path("status").asText()).containsOnly("reverted").hasSize(3);
        assertThat(rollback.err()).as("the summary goes to stderr, stdout stays JSON Lines").contains("3 hosts reverted and verified");
    }

    /** The command's stdout, after checking it exited 0. */
    private static String ok(Cutover.Result result) {
        assertThat(result.code()).as("exit code; stderr:%n%s%nstdout:%n%s", result.err(), result.out()).isZero();
        return result.out();
    }
}
