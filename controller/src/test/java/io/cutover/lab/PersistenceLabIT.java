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

    @TempDir
    java.nio.file.Path runs;

    private Lab lab;

    @Test
    void theChangeSurvivesRebootsRenewalsAndOwnerRestartsAndRollbackIsExactUntilTheNextReboot() throws Exception {
        try (Lab started = Lab.upReal(Lab.instance("pe"), 0)) {
            lab = started;
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

            parallel(HOSTS, lab::reboot);
            for (String host : HOSTS) {
                assertThat(lab.exec(host, "grep ^nameserver /etc/resolv.conf")).as(host + " after a reboot").isEqualTo("nameserver 127.0.0.1\n");
            }
            // check's proof is pgbouncer's own fresh lookup: after the reboot, a pgbouncer that read resolv.conf at boot
            check(0, "after a reboot of every host");

            // dhclient-script writes a new resolv.conf (a new inode) on every lease, renewals included
            String renewed = lab.exec("bullseye-dhclient", "was=$(stat -c %i /etc/resolv.conf); for i in $(seq 300); do "
                    + "[ \"$(stat -c %i /etc/resolv.conf)\" != \"$was\" ] && echo renewed && break; sleep 0.1; done; "
                    + "journalctl -u networking --no-pager -n 1 -o cat; grep ^nameserver /etc/resolv.conf");
            assertThat(renewed).as("a DHCP renewal rewrote resolv.conf and kept 127.0.0.1").startsWith("renewed\n")
                    .endsWith("\nnameserver 127.0.0.1\n");
            lab.exec("bookworm-nm", "nmcli general reload; systemctl restart NetworkManager; nm-online -q -t 30; sleep 1");
            lab.exec("bookworm-resolvconf", "resolvconf -u");
            lab.exec("trixie-resolved", "systemctl restart systemd-resolved");
            for (String host : HOSTS) {
                assertThat(lab.exec(host, "grep ^nameserver /etc/resolv.conf")).as(host + " after its owner rewrote").isEqualTo("nameserver 127.0.0.1\n");
            }
            check(0, "after a renewal, NetworkManager reloaded and restarted, resolvconf -u, systemd-resolved restarted");

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
    }

    private void check(int code, String when) {
        Cutover.Result check = Cutover.run(runs, "check", "-i", lab.inventory().toString(), PLAYBOOK, "--limit", "real");
        System.out.printf("check %s:%n%s%n", when, check.out());
        assertThat(check.code()).as(when + ": " + check.out()).isEqualTo(code);
        assertThat(check.out()).as(when).contains("5 hosts: 5 ok");
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
