package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped playbook on all five real hosts, one per resolv.conf owner (dhclient, NetworkManager,
 * resolvconf, systemd-resolved, none), and what the change must survive: a reboot (pgbouncer is then
 * a new process that read resolv.conf at boot), a DHCP renewal, NetworkManager reloaded and
 * restarted, {@code resolvconf -u}, systemd-resolved restarted. {@code cutover check} re-proves the
 * fleet after each. Then rollback: every file, link and unit as before, byte for byte, and after
 * another reboot the hosts resolve through the old servers again ({@code check} exits 1).
 */
class PersistenceLabIT {

    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";
    private static final List<String> HOSTS = List.of("bullseye-dhclient", "bookworm-nm", "bookworm-resolvconf", "trixie-resolved",
            "trixie-plain");

    /** What the rollback must give back exactly (lab/real/state.sh, shared with the fault suite). */
    private static final String STATE;

    static {
        try {
            STATE = java.nio.file.Files.readString(Lab.REPO.resolve("lab/real/state.sh"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** pgbouncer's pid and start time: another process after a reboot. */
    private static final String PGBOUNCER = "p=$(cat /var/run/postgresql/pgbouncer.pid); echo $p $(cut -d' ' -f22 /proc/$p/stat)";

    @TempDir
    java.nio.file.Path runs;

    @RegisterExtension
    final Lab lab = Lab.realFleet("pe", 0);

    @Test
    void theChangeSurvivesRebootsRenewalsAndOwnerRestartsAndRollbackIsExactUntilTheNextReboot() throws Exception {
        Map<String, String> before = new LinkedHashMap<>();
        for (String host : HOSTS) {
            before.put(host, lab.exec(host, STATE));
        }

        Cutover.Result apply;
        JsonNode traffic;
        try (ClientLoad load = ClientLoad.start(lab, runs, List.of("--group", "real"))) {
            apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes", "--limit", "real");
            traffic = load.stop();
        }
        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        assertThat(apply.out()).contains("5 changed");
        for (String host : HOSTS) {
            JsonNode clients = traffic.path("hosts").path(host);
            assertThat(clients.path("sessions").asInt()).as(host + ": " + traffic.toPrettyString()).isGreaterThan(0);
            assertThat(clients.path("dropped").asInt()).as(host + ": sessions dropped").isZero();
            assertThat(clients.path("failed_queries").asInt()).as(host + ": failed queries").isZero();
            System.out.printf("%s: %d sessions kept, longest client stall %.1f ms%n", host, clients.path("sessions").asInt(),
                    clients.path("longest_stall_ms").asDouble());
        }
        // per-profile timings, all five at once (forks 10): the recap's line per host
        System.out.println(apply.out().substring(Math.max(0, apply.out().indexOf("RECAP"))));
        check(0, "after the rollout");

        Map<String, String> pgbouncers = new LinkedHashMap<>();
        for (String host : HOSTS) {
            pgbouncers.put(host, lab.exec(host, PGBOUNCER));
        }
        parallel(HOSTS, lab::reboot);
        for (String host : HOSTS) {
            assertThat(lab.exec(host, "grep ^nameserver /etc/resolv.conf")).as(host + " after a reboot").isEqualTo("nameserver 127.0.0.1\n");
            assertThat(lab.exec(host, PGBOUNCER)).as(host + ": pgbouncer is a new process after the reboot").isNotEqualTo(pgbouncers.get(host));
        }
        // check's proof is pgbouncer's own fresh lookup: the new pgbouncer, which read resolv.conf at boot
        check(0, "after a reboot of every host");

        // dhclient-script writes a new resolv.conf (a new inode) on every lease, renewals included
        String renewed = lab.exec("bullseye-dhclient", "was=$(stat -c %i /etc/resolv.conf); for i in $(seq 300); do "
                + "[ \"$(stat -c %i /etc/resolv.conf)\" != \"$was\" ] && echo renewed && break; sleep 0.1; done; "
                + "journalctl -u networking --no-pager -n 1 -o cat; grep ^nameserver /etc/resolv.conf");
        assertThat(renewed).as("a DHCP renewal rewrote resolv.conf and kept 127.0.0.1").startsWith("renewed\n")
                .endsWith("\nnameserver 127.0.0.1\n");
        check(0, "after a DHCP renewal", "bullseye-dhclient");
        lab.exec("bookworm-nm", "nmcli general reload; sleep 1");
        check(0, "after nmcli general reload", "bookworm-nm");
        lab.exec("bookworm-nm", "systemctl restart NetworkManager; nm-online -q -t 30; sleep 1");
        check(0, "after a NetworkManager restart", "bookworm-nm");
        lab.exec("bookworm-resolvconf", "resolvconf -u");
        check(0, "after resolvconf -u", "bookworm-resolvconf");
        lab.exec("trixie-resolved", "systemctl restart systemd-resolved");
        check(0, "after a systemd-resolved restart", "trixie-resolved");

        Cutover.Result rollback = Cutover.run(runs, "rollback", "--yes");
        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        for (String host : HOSTS) {
            assertThat(lab.exec(host, STATE)).as(host + " after the rollback").isEqualTo(before.get(host));
        }

        parallel(HOSTS, lab::reboot);
        Cutover.Result check = Cutover.run(runs, "check", "-i", lab.inventory().toString(), PLAYBOOK, "--limit", "real");
        assertThat(check.code()).as(check.out()).isEqualTo(1);
        for (String host : HOSTS) {
            assertThat(check.out()).as(check.out()).containsPattern(host + " +DRIFTED +.*resolv.conf lists \\[(?!127\\.0\\.0\\.1\\])");
            assertThat(lab.exec(host, "grep ^nameserver /etc/resolv.conf")).as(host + " after the rollback and a reboot")
                    .doesNotContain("127.0.0.1");
        }
    }

    private void check(int code, String when) {
        check(code, when, "real");
    }

    /** {@code cutover check --limit PATTERN}: exit 0 and every host of the pattern ok. */
    private void check(int code, String when, String pattern) {
        Cutover.Result check = Cutover.run(runs, "check", "-i", lab.inventory().toString(), PLAYBOOK, "--limit", pattern);
        System.out.printf("check %s:%n%s%n", when, check.out());
        assertThat(check.code()).as(when + ": " + check.out()).isEqualTo(code);
        int hosts = pattern.equals("real") ? HOSTS.size() : 1;
        assertThat(check.out()).as(when).contains(hosts + (hosts == 1 ? " host: " : " hosts: ") + hosts + " ok");
    }

    private interface HostAction {
        void on(String host) throws Exception;
    }

    /** The hosts reboot at once, as in a reboot wave. */
    private static void parallel(List<String> hosts, HostAction action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
        try {
            List<Future<Void>> done = new java.util.ArrayList<>();
            for (String host : hosts) {
                done.add(pool.submit(() -> {
                    action.on(host);
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
