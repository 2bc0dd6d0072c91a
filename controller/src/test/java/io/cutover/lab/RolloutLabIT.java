package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalReader;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The rollout end to end on a real 3-host lab: apply, rollback, per-host failure, crash and resume, host keys. */
class RolloutLabIT {

    private static final List<String> HOSTS = List.of("app1", "app2", "app3");
    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.fleet("it", 3);

    private Map<String, String> snapshots() {
        Map<String, String> snapshots = new LinkedHashMap<>();
        HOSTS.forEach(h -> snapshots.put(h, lab.snapshot(h)));
        return snapshots;
    }

    private RunState lastRun() {
        RunDirectory directory = new RunDirectory(runs);
        return RunState.replay(JournalReader.read(directory.journal(directory.latest().orElseThrow())));
    }

    /**
     * Independent of cutover's own proof: our own tcpdump in the host while pgbouncer looks up its
     * probe name (the helper's trigger only causes the lookup). Only pgbouncer asks for that name.
     */
    private String dnsQueriesOfPgbouncer(String host) {
        // --fresh waits out a negative answer pgbouncer cached from the rollout's own trigger (up to 15 s);
        // a trigger that caused no lookup at all (an answer still in flight) is tried again, up to 3 times.
        return lab.exec(host, "rm -f /tmp/it.cap; timeout 90 tcpdump -n -l -i any udp port 53 > /tmp/it.cap 2>/dev/null & "
                + "pid=$!; for i in $(seq 100); do dig +time=1 +tries=1 @127.0.0.1 it-ready.lab.test >/dev/null 2>&1; "
                + "grep -q it-ready /tmp/it.cap && break; sleep 0.1; done; for attempt in 1 2 3; do "
                + "printf 'app-lab-pw\\npgbadmin-lab-pw\\n' | sh /var/lib/cutover/bin/cutover-helper trigger --port 6432 "
                + "--db probe --user app --admin-user pgbadmin --fresh --password-stdin 2>&1; sleep 1; "
                + "grep -q xaxa-probe /tmp/it.cap && break; sleep 2; done; kill $pid; wait $pid; cat /tmp/it.cap");
    }

    private static String probeLines(String capture) {
        return capture.lines().filter(l -> l.contains("xaxa-probe")).collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void applyUnderLiveClientLoadDropsNoSessionAndRollbackRestoresEveryHostByteForByte() throws Exception {
        Map<String, String> before = snapshots();
        Cutover.Result apply;
        JsonNode traffic;
        try (ClientLoad load = ClientLoad.start(lab, runs)) {
            apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes", "--serial", "1,100%");
            traffic = load.stop();
        }

        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        assertThat(apply.out()).contains("done in").contains("3 changed");
        assertThat(traffic.path("ok").asBoolean()).as(traffic.toPrettyString()).isTrue();
        for (String host : HOSTS) {
            JsonNode clients = traffic.path("hosts").path(host);
            assertThat(clients.path("sessions").asInt()).as(host).isGreaterThan(0);
            assertThat(clients.path("dropped").asInt()).as(host + " sessions dropped").isZero();
            assertThat(clients.path("failed_queries").asInt()).as(host + " failed queries").isZero();
            assertThat(clients.path("in_transaction_kept").asBoolean()).as(host + " transactions kept").isTrue();
            System.out.printf("%s: %d sessions, longest client stall %.1f ms%n", host, clients.path("sessions").asInt(),
                    clients.path("longest_stall_ms").asDouble());
            assertThat(lab.exec(host, "cat /etc/resolv.conf")).contains("nameserver 127.0.0.1").doesNotContain("nameserver 10.");
            assertThat(lab.exec(host, "nft list ruleset; iptables-save")).doesNotContain("cutover");
            String seen = dnsQueriesOfPgbouncer(host);
            assertThat(probeLines(seen)).as("pgbouncer on %s now asks 127.0.0.1:\n%s", host, seen).contains("> 127.0.0.1.53:");
            RunState.HostState state = lastRun().host(host).orElseThrow();
            assertThat(state.status()).isEqualTo(HostStatus.CHANGED);
            assertThat(state.proof().path("capture").path("packets").toString()).contains("127.0.0.1.53");
        }

        Cutover.Result rollback = Cutover.run(runs, "rollback");

        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        assertThat(snapshots()).isEqualTo(before);
        for (String host : HOSTS) {
            String seen = dnsQueriesOfPgbouncer(host);
            assertThat(probeLines(seen)).as("pgbouncer on %s is back on the old servers:\n%s", host, seen)
                    .doesNotContain("> 127.0.0.1.53:").contains(".53:");
        }
    }

    @Test
    void theOnlinePlanShowsRealDiffsAndChangesNothingOnAnyHost() {
        Map<String, String> before = snapshots();

        Cutover.Result plan = Cutover.run(runs, "plan", "-i", lab.inventory().toString(), PLAYBOOK);

        assertThat(plan.code()).as(plan.out()).isEqualTo(0);
        assertThat(plan.out()).contains("-nameserver 10.", "+nameserver 127.0.0.1", "refresh --run '<run id>' --step refresh",
                "gdb-cares", "Nothing has been changed.");
        assertThat(snapshots()).isEqualTo(before);
        for (String host : HOSTS) {
            assertThat(lab.exec(host, "ls -A /var/lib/cutover 2>/dev/null | wc -l").trim()).as(host).isEqualTo("0");
        }
    }

    @Test
    void aSecondApplyChangesNothingAndProvesAgain() {
        assertThat(Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes", "--serial", "100%").code())
                .isEqualTo(0);
        Map<String, String> applied = snapshots();

        Cutover.Result again = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes", "--serial", "100%");

        assertThat(again.code()).as(again.out()).isEqualTo(0);
        assertThat(again.out()).contains("3 ok").doesNotContain("changed=1");
        assertThat(snapshots()).isEqualTo(applied);
        for (String host : HOSTS) {
            assertThat(lastRun().host(host).orElseThrow().proof().path("capture").toString()).contains("127.0.0.1.53");
        }

        // rolling back the rerun restores nothing, and says which run to roll back instead
        String first = new RunDirectory(runs).runs().get(0);
        Cutover.Result rollback = Cutover.run(runs, "rollback", "--limit", "app1");
        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        assertThat(rollback.out()).contains("app1: run " + lastRun().runId() + " changed nothing here (already done); run "
                + first + " made the change: cutover rollback " + first + " --limit app1").contains("nothing to roll back");
        assertThat(snapshots()).isEqualTo(applied);
    }

    @Test
    void aHostWhoseStepFailsIsRolledBackWhileTheOthersFinish() {
        lab.exec("app2", "echo 'zone {' >> /etc/bind/named.conf.local");
        Map<String, String> before = snapshots();

        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes",
                "--serial", "100%", "--max-fail-percentage", "50");

        assertThat(apply.code()).as(apply.out()).isEqualTo(1);
        RunState run = lastRun();
        assertThat(run.host("app2").orElseThrow().status()).isEqualTo(HostStatus.ROLLED_BACK);
        assertThat(run.host("app2").orElseThrow().reason()).contains("bind-check");
        assertThat(run.host("app1").orElseThrow().status()).isEqualTo(HostStatus.CHANGED);
        assertThat(run.host("app3").orElseThrow().status()).isEqualTo(HostStatus.CHANGED);
        assertThat(lab.snapshot("app2")).isEqualTo(before.get("app2"));
        assertThat(apply.out()).contains("app2  rolled back");
    }

    @Test
    void aControllerKilledInsideTheBlockIsResumedToEveryHostCorrect() throws Exception {
        Path output = Files.createTempFile(runs, "apply", ".jsonl");
        Process apply = Cutover.start(runs, output, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes",
                "--serial", "1,100%", "--output", "json");
        waitForStepStarted(output, "app1", "trigger", 60);
        apply.destroyForcibly().waitFor();   // SIGKILL, between "ban" and "trigger" on app1

        assertThat(lastRun().host("app1").orElseThrow().status()).isEqualTo(HostStatus.RUNNING);
        assertThat(lastRun().host("app1").orElseThrow().inBlock()).isTrue();
        assertThat(lab.exec("app1", "nft list ruleset")).as("the ban is in place when the controller dies").contains("cutover");

        Cutover.Result resume = Cutover.run(runs, "resume");

        assertThat(resume.code()).as(resume.out()).isEqualTo(0);
        for (String host : HOSTS) {
            assertThat(lastRun().host(host).orElseThrow().status().finished()).as(host).isTrue();
            assertThat(lab.exec(host, "nft list ruleset; iptables-save")).doesNotContain("cutover");
            assertThat(lab.exec(host, "cat /etc/bind/named.conf.options")).contains(".11;").doesNotContain(".13;");
            String state = lab.exec(host, "sh /var/lib/cutover/bin/cutover-helper state " + lastRun().runId());
            assertThat(new ObjectMapper().readTree(state).path("data").path("guard").path("status").asText()).isNotEqualTo("armed");
        }
        assertThat(Files.readString(runs.resolve(lastRun().runId()).resolve("journal.jsonl"))).contains("\"type\":\"reconciled\"");
    }

    @Test
    void aFirstInterruptLetsTheRunningHostFinishStartsNoOtherAndResumeDoesTheRest() throws Exception {
        // A shell without job control starts background jobs with SIGINT ignored, and a JVM that
        // starts so never sees one: say that, not "the interrupt did nothing".
        String ignored = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .findFirst().orElse("SigIgn: 0").split("\\s+")[1];
        assertThat(Long.parseLong(ignored, 16) & 2).as("SIGINT is ignored in this test's process (run in the background "
                + "by a shell without job control): run the suite in the foreground, or under `set -m`").isZero();
        Path output = Files.createTempFile(runs, "apply", ".jsonl");
        Process apply = Cutover.start(runs, output, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes",
                "--serial", "1,100%", "--output", "json");
        waitForStepStarted(output, "app1", "bind-check", 60);
        new ProcessBuilder("kill", "-INT", Long.toString(apply.pid())).start().waitFor();

        assertThat(apply.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(apply.exitValue()).as(Files.readString(output)).isEqualTo(3);
        RunState interrupted = lastRun();
        assertThat(interrupted.host("app1").orElseThrow().status()).isEqualTo(HostStatus.CHANGED);
        assertThat(interrupted.host("app2").orElseThrow().status()).isEqualTo(HostStatus.SKIPPED);
        assertThat(lab.exec("app2", "cat /etc/resolv.conf")).doesNotContain("127.0.0.1");

        Cutover.Result resume = Cutover.run(runs, "resume");

        assertThat(resume.code()).as(resume.out()).isEqualTo(0);
        for (String host : HOSTS) {
            assertThat(lastRun().host(host).orElseThrow().status().finished()).as(host).isTrue();
        }
    }

    @Test
    void aChangedHostKeyRefusesTheHostAndNothingRunsThere() throws IOException {
        List<String> lines = Files.readAllLines(lab.knownHosts());
        String app1Key = lines.stream().filter(l -> l.contains(".21 ")).findFirst().orElseThrow().split(" ", 2)[1];
        List<String> forged = lines.stream().map(l -> l.contains(".23 ") ? l.split(" ", 2)[0] + " " + app1Key : l).toList();
        Files.write(lab.knownHosts(), forged);

        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes", "--limit", "app3");

        assertThat(apply.code()).isEqualTo(1);
        assertThat(apply.out()).contains("app3  refused").containsIgnoringCase("host key");
        assertThat(lab.exec("app3", "ls /var/lib/cutover 2>/dev/null | wc -l").trim()).isEqualTo("0");
    }

    /**
     * Waits for the JSON event of {@code host} starting the step named {@code step}: by name, not by
     * number (a step added to the playbook once moved the kill before the ban it was meant to follow).
     */
    private static void waitForStepStarted(Path file, String host, String step, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(file).stream().anyMatch(l -> l.contains("\"event\":\"step-started\"")
                    && l.contains("\"host\":\"" + host + "\"") && l.contains("\"name\":\"" + step + "\""))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no step-started of " + step + " on " + host + " in " + seconds + " s:\n" + Files.readString(file));
    }
}
