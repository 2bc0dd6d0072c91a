package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutover check} on a real 2-host lab: drift before the rollout, proof after it, drift made by hand. */
class CheckLabIT {

    private static final List<String> HOSTS = List.of("app1", "app2");
    private static final String PLAYBOOK = "playbooks/local-caching-bind.yml";

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.fleet("ck", HOSTS.size());

    /** What a check must leave as it was: the snapshot, cutover's state on the host, no scratch, no capture. */
    private String untouched(String host) {
        return lab.snapshot(host) + lab.exec(host, "echo '== state'; find /var/lib/cutover 2>/dev/null | sort; "
                + "echo '== scratch'; ls -A /run/cutover-check 2>/dev/null; echo '== tcpdump'; pgrep -a tcpdump; true");
    }

    private Cutover.Result check(String... more) {
        List<String> args = new ArrayList<>(List.of("check", "-i", lab.inventory().toString(), PLAYBOOK));
        args.addAll(List.of(more));
        return Cutover.run(runs, args.toArray(String[]::new));
    }

    private static String line(Cutover.Result result, String host) {
        return result.out().lines().filter(l -> l.startsWith(host + " ")).findFirst().orElse("(no line for " + host + ")");
    }

    @Test
    void checkFindsDriftBeforeTheRolloutProvesEveryHostAfterItAndNamesAHandEditedResolvConf() throws Exception {
        String pristine = untouched("app1");

        Cutover.Result before = check();

        assertThat(before.code()).as(before.out()).isEqualTo(1);
        for (String host : HOSTS) {
            assertThat(line(before, host)).contains("DRIFTED", "resolv.conf lists", "named is not running");
        }
        assertThat(untouched("app1")).as("a check changes nothing").isEqualTo(pristine);

        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(), PLAYBOOK, "--yes", "--serial", "100%");
        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        String applied = untouched("app1");

        Cutover.Result after = check();

        assertThat(after.code()).as(after.out()).isEqualTo(0);
        for (String host : HOSTS) {
            assertThat(line(after, host)).as(after.out()).contains(" ok ").contains("> 127.0.0.1.53 A? xaxa-probe.lab.test");
        }
        assertThat(after.out()).contains("2 hosts: 2 ok, 0 drifted, 0 could not be checked.");
        assertThat(untouched("app1")).as("a check changes nothing, leaves no scratch and no capture").isEqualTo(applied);

        // in place: the lab's resolv.conf is a bind mount
        lab.exec("app2", "printf 'nameserver " + oldServer() + "\\n' >/etc/resolv.conf");
        Cutover.Result drifted = check("-o", "json");

        assertThat(drifted.code()).as(drifted.out()).isEqualTo(1);
        JsonNode hosts = new ObjectMapper().readTree(drifted.out().substring(drifted.out().indexOf("{\n"))).path("hosts");
        assertThat(hosts.get(0).path("host").asText()).isEqualTo("app1");
        assertThat(hosts.get(0).path("ok").asBoolean()).as(hosts.toPrettyString()).isTrue();
        assertThat(hosts.get(1).path("ok").asBoolean()).isFalse();
        assertThat(hosts.get(1).path("drift").toString()).contains("resolv.conf lists [" + oldServer() + "], not 127.0.0.1 only");
    }

    /** dns-old1's address: the first of the inventory's cutover_old_nameservers. */
    private String oldServer() throws IOException {
        String line = Files.readAllLines(lab.inventory()).stream()
                .filter(l -> l.trim().startsWith("cutover_old_nameservers:")).findFirst().orElseThrow();
        return line.substring(line.indexOf('[') + 1, line.indexOf(',')).trim();
    }
}
