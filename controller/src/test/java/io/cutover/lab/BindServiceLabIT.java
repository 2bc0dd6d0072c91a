package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.helper.HelperScript;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIND as a service on the lab's real hosts (systemd as PID 1): the shipped playbook leaves named
 * enabled and supervised, a reboot brings it back, rollback returns the unit exactly; where BIND is
 * missing it is installed from the host's own sources and the rollback purges exactly that.
 * {@code cutover check} says ok after the apply and after a reboot, and names the drift once the
 * rollback and another reboot left the host on the old servers.
 */
class BindServiceLabIT {

    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";
    private static final String PLAIN = "trixie-plain";
    private static final String RESOLVED = "trixie-resolved";
    private static final String HELPER = "/var/lib/cutover/bin/cutover-helper";
    /** What the undo must return byte for byte: files, named's unit state and every link that enables it. */
    private static final String SERVICE_SNAPSHOT = "for f in /etc/resolv.conf /etc/bind/named.conf.options; do echo \"== $f\"; "
            + "cat $f 2>&1; done; echo '== unit'; systemctl is-enabled named.service; systemctl is-active named.service; "
            + "find /etc/systemd /run/systemd/system /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d "
            + "/etc/rc6.d -name '*named*' -o -name '*bind9*' 2>/dev/null | sort | while read -r f; do "
            + "echo \"$f -> $(readlink $f)\"; done; echo '== fw'; nft list ruleset";
    /** The first DNS query pgbouncer sends for its probe name, from our own tcpdump in the host. */
    private static final String PGBOUNCER_QUERY = "rm -f /tmp/it.cap; timeout 60 tcpdump -n -l -i any udp port 53 > /tmp/it.cap "
            + "2>/dev/null & pid=$!; for i in $(seq 100); do dig +time=1 +tries=1 @127.0.0.1 it-ready.lab.test >/dev/null 2>&1; "
            + "grep -q it-ready /tmp/it.cap && break; sleep 0.1; done; for attempt in 1 2 3; do printf 'app-lab-pw\\npgbadmin-lab-pw\\n' "
            + "| sh " + HELPER + " trigger --port 6432 --db probe --user app --admin-user pgbadmin --fresh --password-stdin "
            + ">/dev/null 2>&1; sleep 1; grep -q xaxa-probe /tmp/it.cap && break; sleep 2; done; kill $pid; wait $pid; "
            + "grep xaxa-probe /tmp/it.cap | head -n 1";

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.realFleet("bs", 1);

    @Test
    void namedRunsEnabledUnderSystemdSurvivesSigkillAndRebootAndRollbackRestoresTheUnitExactly() throws Exception {
        String before = lab.exec(PLAIN, SERVICE_SNAPSHOT);
        assertThat(before).contains("== unit\ndisabled\ninactive\n");
        Cutover.Result plan = Cutover.run(runs, "plan", "-i", lab.inventory().toString(), PLAYBOOK, "--limit", PLAIN);
        assertThat(plan.out()).as(plan.out()).contains("bind-start --run '<run id>' --step bind-start --init systemd --unit named.service",
                "systemd: named.service is disabled/inactive: enabled and started", "undo returns it to disabled/inactive",
                "BIND is installed: nothing to install");

        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--limit", PLAIN, "--yes");
        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        assertThat(lab.exec(PLAIN, "systemctl is-enabled named; systemctl is-active named")).isEqualTo("enabled\nactive\n");
        assertCheck(0, " ok ");

        // systemd, not cutover, brings named back when it dies
        String pid = lab.exec(PLAIN, "systemctl show -p MainPID --value named").trim();
        String restarted = lab.exec(PLAIN, "kill -KILL " + pid + "; t0=$(date +%s%N); for i in $(seq 100); do "
                + "n=$(systemctl show -p MainPID --value named); if [ \"$n\" != 0 ] && [ \"$n\" != " + pid + " ] && "
                + "dig +time=1 +tries=1 @127.0.0.1 db.lab.test >/dev/null 2>&1; then echo \"$n $(( ($(date +%s%N) - t0) / 1000000 ))\"; "
                + "exit; fi; sleep 0.1; done; echo none");
        assertThat(restarted).as("named restarted by systemd after SIGKILL of %s", pid).doesNotStartWith("none");
        System.out.printf("%s: named %s killed, systemd's new named (pid %s) answered after %s ms%n", PLAIN, pid,
                restarted.split(" ")[0], restarted.split(" ")[1].trim());

        lab.reboot(PLAIN);
        assertThat(lab.exec(PLAIN, "systemctl is-enabled named; systemctl is-active named")).isEqualTo("enabled\nactive\n");
        assertThat(lab.exec(PLAIN, PGBOUNCER_QUERY)).as("pgbouncer, started by the boot, asks the local BIND")
                .contains("> 127.0.0.1.53:");
        assertCheck(0, " ok ");

        Cutover.Result rollback = Cutover.run(runs, "rollback");
        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        assertThat(lab.exec(PLAIN, SERVICE_SNAPSHOT)).isEqualTo(before);

        lab.reboot(PLAIN);
        assertThat(lab.exec(PLAIN, "systemctl is-active named; pidof named || echo no-named")).isEqualTo("inactive\nno-named\n");
        assertThat(lab.exec(PLAIN, PGBOUNCER_QUERY)).as("pgbouncer is back on the old servers")
                .doesNotContain("127.0.0.1.53:").contains(".53:");
        assertCheck(1, "named is not running", "named.service is disabled");
    }

    /** {@code cutover check} on trixie-plain: its exit code and what its line says. */
    private void assertCheck(int code, String... says) {
        Cutover.Result check = Cutover.run(runs, "check", "-i", lab.inventory().toString(), PLAYBOOK, "--limit", PLAIN);
        assertThat(check.code()).as(check.out()).isEqualTo(code);
        assertThat(check.out()).as(check.out()).contains(says);
    }

    @Test
    void whereBindIsMissingItIsInstalledFromTheHostsSourcesBesideResolvedAndPurgedExactly() throws Exception {
        // the helper directly, as apply calls it: only the install, the options and the start (PersistenceLabIT does the rest)
        String packages = "dpkg-query -W -f='${binary:Package} ${Version} ${db:Status-Abbrev}\\n' | sort; "
                + "find /etc /usr/sbin /usr/lib/systemd /var/lib/systemd/deb-systemd-helper-enabled -xdev | sort; "
                + "grep -c . /etc/passwd /etc/group";
        String before = lab.exec(RESOLVED, packages);
        lab.push(RESOLVED, Files.write(runs.resolve("cutover-helper"), HelperScript.bundled().content()), HELPER);
        String facts = lab.exec(RESOLVED, "sh " + HELPER + " facts --proc none");
        assertThat(facts).contains("\"installed\":false", "\"package\":{\"manager\":\"apt\",\"name\":\"bind9\",\"candidate\":\"1:9.20");

        String installed = lab.exec(RESOLVED, "sh " + HELPER + " bind-install --run it1 2>/dev/null");
        assertThat(installed).contains("\"changed\":true", "\"packages\":[\"bind9\"");
        assertThat(lab.exec(RESOLVED, "systemctl is-active named || true")).as("nothing started during the install").isEqualTo("inactive\n");
        lab.exec(RESOLVED, "printf 'options {\\n\\tdirectory \"/var/cache/bind\";\\n\\tlisten-on { 127.0.0.1; };\\n\\tlisten-on-v6 { none; };\\n"
                + "\\tforwarders { " + oldResolver() + "; };\\n\\tforward only;\\n\\tdnssec-validation no;\\n};\\n' | sh " + HELPER
                + " file-install --run it1 --step options --target /etc/bind/named.conf.options >/dev/null 2>&1");
        String started = lab.exec(RESOLVED, "sh " + HELPER + " bind-start --run it1 --init systemd --verify-name db.lab.test 2>/dev/null");
        assertThat(started).contains("\"ok\":true", "\"unit\":\"named.service\"", "\"active_state\":\"active\"",
                "\"unit_file_state\":\"enabled\"");
        // named on 127.0.0.1:53 beside systemd-resolved's stub on 127.0.0.53:53: both listen, neither took the other's port
        assertThat(lab.exec(RESOLVED, "ss -Hlun 'sport = :53' | awk '{ print $4 }' | sort"))
                .contains("127.0.0.1:53", "127.0.0.53%lo:53");
        assertThat(lab.exec(RESOLVED, "systemctl is-active systemd-resolved")).isEqualTo("active\n");

        String reverted = lab.exec(RESOLVED, "sh " + HELPER + " revert it1 2>/dev/null");
        assertThat(reverted).contains("\"failed\":0", "purged bind9");
        assertThat(lab.exec(RESOLVED, packages)).isEqualTo(before);
        assertThat(lab.exec(RESOLVED, "systemctl is-active systemd-resolved")).isEqualTo("active\n");
    }

    /** The lab's first old resolver (dns-old1), from its inventory. */
    private String oldResolver() throws java.io.IOException {
        String line = Files.readAllLines(lab.inventory()).stream().filter(l -> l.contains("cutover_old_nameservers:")).findFirst()
                .orElseThrow();
        return line.substring(line.indexOf('[') + 1, line.indexOf(',')).trim();
    }
}
