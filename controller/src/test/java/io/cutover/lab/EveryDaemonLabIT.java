package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalReader;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.io.IOException;
import java.nio.file.Files;
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
 * fresh lookup captured reaching 127.0.0.1 with the old servers banned; then a rollback puts the
 * host back byte for byte.
 */
class EveryDaemonLabIT {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();

    /** Each service's pidfile (as refresh_processes names it) and the trigger that makes it resolve. */
    private static final Map<String, String> TRIGGERS = new LinkedHashMap<>();

    static {
        TRIGGERS.put("nginx", "via: reload\npidfile: /run/nginx.pid");
        TRIGGERS.put("haproxy", "via: reload\npidfile: /run/haproxy.pid");
        TRIGGERS.put("node", http(8084));
        TRIGGERS.put("java", http(8083));
        TRIGGERS.put("go", http(8082));
    }

    private static String http(int port) {
        return "via: http\nurl: \"http://127.0.0.1:" + port + "/resolve?name={name}\"\nname: \"SVC-${run_id}.invalid\"";
    }

    @TempDir
    Path dir;

    @RegisterExtension
    final Lab lab = Lab.fleet("ed", 1);

    /**
     * The shipped playbook with one trigger and one capture-verify per service after pgbouncer's,
     * inside the same guarded block, as docs/playbooks.md tells a user to write it.
     */
    private Path playbook() throws IOException {
        String shipped = Files.readString(REPO.resolve("playbooks/local-caching-bind.yml"));
        StringBuilder pairs = new StringBuilder();
        TRIGGERS.forEach((svc, args) -> pairs.append("""
                - name: trigger-SVC
                  action: trigger
                  args:
                    ARGS
                    proves: [/run/SVC.pid]
                - name: verify-SVC
                  action: capture-verify
                  args:
                    forbid: "${cutover_old_nameservers}"
                """.replace("ARGS", args.replace("\n", "\n    ")).replace("SVC", svc).indent(6)));
        String unban = "      - name: unban                      # 5. lift the ban\n";
        assertThat(shipped).contains(unban);
        Files.createDirectories(dir.resolve("templates"));
        try (var templates = Files.list(REPO.resolve("playbooks/templates"))) {
            for (Path template : templates.toList()) {
                Files.copy(template, dir.resolve("templates").resolve(template.getFileName()));
            }
        }
        return Files.writeString(dir.resolve("every-daemon.yml"), shipped.replace(unban, pairs + unban));
    }

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
    void pgbouncerNginxHaproxyNodeJavaAndGoAreSwitchedWithoutARestartAndEachIsProvedByItsOwnLookup() throws IOException {
        for (String svc : TRIGGERS.keySet()) {
            lab.exec("app1", "sh " + REPO.resolve("lab/services/" + svc + ".sh") + " start");
        }
        Map<String, String> before = processes();
        String snapshot = lab.snapshot("app1");
        Path runs = dir.resolve("runs");
        List<String> targets = new ArrayList<>(List.of("pgbouncer"));
        TRIGGERS.keySet().forEach(svc -> targets.add("/run/" + svc + ".pid"));

        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), playbook().toString(), "--yes",
                "-e", "refresh_processes=[" + String.join(",", targets) + "]");

        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        RunState.HostState state = lastRun(runs).host("app1").orElseThrow();
        assertThat(state.status()).isEqualTo(HostStatus.CHANGED);
        JsonNode proof = state.proof();
        List<String> proved = new ArrayList<>();
        for (JsonNode capture : proof.path("captures")) {
            proved.add(capture.path("proves").get(0).asText());
            assertThat(capture.path("capture").path("queries_to_expected").asInt()).as(capture.toString()).isPositive();
            assertThat(capture.path("capture").path("queries_to_forbidden").asInt()).as(capture.toString()).isZero();
        }
        assertThat(proved).containsExactlyElementsOf(targets);
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
