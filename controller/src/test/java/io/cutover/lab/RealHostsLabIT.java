package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalReader;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped playbook on a real Debian 13 host (systemd as PID 1, pgbouncer 1.24.1 with c-ares
 * 1.34 and two threads), where pgbouncer is switched with {@code ares_reinit}: before, the refresh
 * failed there ("c-ares channel … not found") and the host was rolled back.
 */
class RealHostsLabIT {

    private static final String HOST = "trixie-plain";
    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.realFleet("rh", 0);

    @Test
    void applyToDebian13UnderClientLoadSwitchesPgbouncerWithAresReinitAndProvesItWithTheOldServersBanned() throws Exception {
        applyAndRollBack(lab);
    }

    private void applyAndRollBack(Lab lab) throws Exception {
        String before = lab.snapshot(HOST);
        String pgbouncer = lab.exec(HOST, "p=$(cat /var/run/postgresql/pgbouncer.pid); echo $p $(cut -d' ' -f22 /proc/$p/stat)");
        Cutover.Result apply;
        JsonNode traffic;
        try (ClientLoad load = ClientLoad.start(lab, runs, List.of("--group", "real", "--hosts", HOST))) {
            apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes", "--limit", HOST);
            traffic = load.stop();
        }

        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        assertThat(apply.out()).contains("1 changed");
        JsonNode clients = traffic.path("hosts").path(HOST);
        assertThat(clients.path("sessions").asInt()).as(traffic.toPrettyString()).isGreaterThan(0);
        assertThat(clients.path("dropped").asInt()).as("sessions dropped").isZero();
        assertThat(clients.path("failed_queries").asInt()).as("failed queries").isZero();
        assertThat(clients.path("in_transaction_kept").asBoolean()).as("transactions kept").isTrue();
        System.out.printf("%s: %d sessions, longest client stall %.1f ms%n", HOST, clients.path("sessions").asInt(),
                clients.path("longest_stall_ms").asDouble());

        RunDirectory directory = new RunDirectory(runs);
        RunState.HostState state = RunState.replay(JournalReader.read(directory.journal(directory.latest().orElseThrow())))
                .host(HOST).orElseThrow();
        assertThat(state.status()).isEqualTo(HostStatus.CHANGED);
        JsonNode capture = state.proof().path("capture");
        // pgbouncer's own lookup of its probe name, captured going to 127.0.0.1 while the old
        // servers were banned (capture-verify forbids them: any query to them fails the step)
        assertThat(capture.path("packets").toString()).as(capture.toPrettyString()).contains("127.0.0.1.53");
        assertThat(capture.path("queries_to_forbidden").asInt()).isZero();
        // facts chose gdb-cares with ares_reinit: the refresh the helper made on the host
        assertThat(lab.exec(HOST, "cat /var/lib/cutover/runs/*/undo.log")).contains("gdb-cares");
        assertThat(state.facts().path("processes").path(0).path("cares").path("call").asText()).isEqualTo("ares_reinit");
        assertThat(lab.exec(HOST, "p=$(cat /var/run/postgresql/pgbouncer.pid); echo $p $(cut -d' ' -f22 /proc/$p/stat)"))
                .as("the same pgbouncer process (pid and start time)").isEqualTo(pgbouncer);

        Cutover.Result rollback = Cutover.run(runs, "rollback");

        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        assertThat(lab.snapshot(HOST)).isEqualTo(before);
    }
}
