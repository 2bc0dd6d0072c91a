package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalReader;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16's end-to-end case: one host running pgbouncer, nginx, HAProxy, a Node, a Java and a Go
 * service (the lab's test services, lab/services/), all named in refresh_processes. One rollout
 * switches every one of them without a restart, and each is proved by its own trigger — its own
 * fresh lookup captured reaching 127.0.0.1 with the old servers banned — the shipped playbook, given
 * one entry of its {@code triggers} var per daemon; then a rollback puts the host back byte for byte.
 */
class EveryDaemonLabIT {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();

    /** Each service (its pidfile /run/SVC.pid, as refresh_processes names it) and the triggers entry that makes it resolve. */
    private static final Map<String, String> TRIGGERS = new LinkedHashMap<>();

    static {
        TRIGGERS.put("nginx", "{via: reload, pidfile: /run/nginx.pid}");
        TRIGGERS.put("haproxy", "{via: reload, pidfile: /run/haproxy.pid}");
        TRIGGERS.put("node", http("node", 8084));
        TRIGGERS.put("java", http("java", 8083));
        TRIGGERS.put("go", http("go", 8082));
    }

    private static String http(String svc, int port) {
        return "{via: http, url: \"http://127.0.0.1:" + port + "/resolve?name={name}\", proves: [/run/" + svc + ".pid]}";
    }

    @TempDir
    Path dir;

    @RegisterExtension
    final Lab lab = Lab.fleet("ed", 1);

    private RunState lastRun(Path runs) {
        RunDirectory directory = new RunDirectory(runs);
        return RunState.replay(JournalReader.read(directory.journal(directory.latest().orElseThrow())));
    }

    /** pid and start time of each service's process, by its pidfile. */
    private Map<String, String> processes() {
        Map<String, String> processes = new LinkedHashMap<>();
        for (String pidfile : pidfiles()) {
            String pid = lab.exec("app1", "cat " + pidfile).trim();
            processes.put(pidfile, pid + " started " + lab.exec("app1", "cut -d' ' -f22 /proc/" + pid + "/stat").trim());
        }
        return processes;
    }

    private static List<String> pidfiles() {
        List<String> pidfiles = new ArrayList<>(List.of("/var/run/postgresql/pgbouncer.pid"));
        TRIGGERS.keySet().forEach(svc -> pidfiles.add("/run/" + svc + ".pid"));
        return pidfiles;
    }

    @Test
    void pgbouncerNginxHaproxyNodeJavaAndGoAreSwitchedWithoutARestartAndEachIsProvedByItsOwnLookup() {
        for (String svc : TRIGGERS.keySet()) {
            lab.exec("app1", "sh " + REPO.resolve("lab/services/" + svc + ".sh") + " start");
        }
        Map<String, String> before = processes();
        String snapshot = lab.snapshot("app1");
        Path runs = dir.resolve("runs");
        List<String> targets = new ArrayList<>(List.of("pgbouncer"));
        TRIGGERS.keySet().forEach(svc -> targets.add("/run/" + svc + ".pid"));

        // the shipped playbook as a user runs it: pgbouncer's trigger, then one per service, from one var
        String triggers = "triggers=[{via: pgbouncer}, " + String.join(", ", TRIGGERS.values()) + "]";
        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(),
                REPO.resolve("playbooks/local-caching-bind.yml").toString(), "--yes",
                "-e", "refresh_processes=[" + String.join(",", targets) + "]", "-e", triggers);

        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        RunState.HostState state = lastRun(runs).host("app1").orElseThrow();
        assertThat(state.status()).isEqualTo(HostStatus.CHANGED);
        JsonNode proof = state.proof();
        List<String> proved = new ArrayList<>();
        List<String> triggeredBy = new ArrayList<>();
        for (JsonNode capture : proof.path("captures")) {
            proved.add(capture.path("proves").get(0).asText());
            triggeredBy.add(capture.path("trigger").asText());
            assertThat(capture.path("capture").path("queries_to_expected").asInt()).as(capture.toString()).isPositive();
            assertThat(capture.path("capture").path("queries_to_forbidden").asInt()).as(capture.toString()).isZero();
        }
        assertThat(proved).containsExactlyElementsOf(targets);
        // each entry is a trigger and a verify of its own, by the name the journal and the line log give it
        assertThat(triggeredBy).containsExactly("trigger[1]", "trigger[2]", "trigger[3]", "trigger[4]", "trigger[5]", "trigger[6]");
        assertThat(apply.out()).contains("trigger[6]").contains("verify[6]");
        assertThat(proof.path("unproved")).isEmpty();
        assertThat(proof.path("refresh")).hasSize(targets.size())
                .allSatisfy(r -> assertThat(r.path("same_process").asBoolean()).as(r.toString()).isTrue());
        // none restarted: every service is the process it was, by pid and start time
        assertThat(processes()).isEqualTo(before);

        Cutover.Result rollback = Cutover.run(runs, "rollback", "--yes");
        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        assertThat(lab.snapshot("app1")).isEqualTo(snapshot);
        assertThat(processes()).isEqualTo(before);
    }
}
