package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.plan.PlannedStep;
import io.cutover.playbook.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host's proof names, per trigger, the targets whose own lookup its capture shows, and what went unproved. */
class ProofTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PlannedStep step(String name, Action action, Map<String, Object> args) {
        return new PlannedStep(1, name, action, args, List.of(), "safe-cutover", List.of(), List.of());
    }

    private static JsonNode capture(String qname) throws Exception {
        return JSON.readTree("{\"qname\":\"" + qname + "\",\"packets\":[{\"src\":\"127.0.0.1.40000\",\"dst\":\"127.0.0.1.53\","
                + "\"qtype\":\"A\"}]}");
    }

    @Test
    void eachTriggersCaptureIsKeptWithWhatItProvesAndOnlyTheUnprovedRemainUnproved() throws Exception {
        Proof proof = new Proof();
        proof.add(step("refresh", Action.REFRESH, Map.of("processes", List.of("pgbouncer", "/run/app.pid", "/run/idle.pid"),
                "unproved", List.of("/run/idle.pid", "/run/app.pid"))), JSON.readTree("{\"pid\":55,\"method\":\"gdb-cares\"}"));
        proof.add(step("trigger", Action.TRIGGER, Map.of("via", "pgbouncer")), JSON.readTree("{\"qname\":\"probe.lab.test\"}"));
        proof.add(step("verify", Action.CAPTURE_VERIFY, Map.of()), capture("probe.lab.test"));
        proof.add(step("trigger-app", Action.TRIGGER, Map.of("via", "getent", "proves", List.of("/run/app.pid"))),
                JSON.readTree("{\"qname\":\"app.invalid\"}"));
        proof.add(step("verify-app", Action.CAPTURE_VERIFY, Map.of()), capture("app.invalid"));

        JsonNode json = proof.toJson();

        assertThat(json.path("capture").path("qname").asText()).isEqualTo("probe.lab.test");
        assertThat(json.path("captures")).hasSize(2);
        assertThat(json.path("captures").get(0).path("proves").toString()).isEqualTo("[\"pgbouncer\"]");
        assertThat(json.path("captures").get(1).path("trigger").asText()).isEqualTo("trigger-app");
        assertThat(json.path("captures").get(1).path("proves").toString()).isEqualTo("[\"/run/app.pid\"]");
        assertThat(json.path("captures").get(1).path("capture").path("qname").asText()).isEqualTo("app.invalid");
        // listed as unproved, but its trigger proved it after all
        assertThat(json.path("unproved").toString()).isEqualTo("[\"/run/idle.pid\"]");
        assertThat(Proof.summary(json)).isEqualTo("127.0.0.1.40000 > 127.0.0.1.53 A? probe.lab.test; "
                + "127.0.0.1.40000 > 127.0.0.1.53 A? app.invalid; /run/idle.pid not proved (unproved); pid 55 gdb-cares, "
                + "0 sockets lost");
    }

    @Test
    void oneTriggerAndNothingUnprovedKeepsTheProofAsItWas() throws Exception {
        Proof proof = new Proof();
        proof.add(step("trigger", Action.TRIGGER, Map.of("via", "pgbouncer")), JSON.readTree("{\"qname\":\"probe.lab.test\"}"));
        proof.add(step("verify", Action.CAPTURE_VERIFY, Map.of()), capture("probe.lab.test"));

        assertThat(proof.toJson().fieldNames()).toIterable().containsExactly("capture", "refresh", "files");
    }
}
