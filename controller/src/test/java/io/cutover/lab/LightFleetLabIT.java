package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalReader;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A wider fleet: 20 light hosts (no pgbouncer: the proof's lookup goes through libc), 20 at a time. */
class LightFleetLabIT {

    @TempDir
    Path runs;

    @RegisterExtension
    final Lab lab = Lab.fleet("lt", 0, 20);

    @Test
    void twentyLightHostsAreSwitchedAndProvedTogetherThenRolledBack() {
        String before = lab.snapshot("light7");

        Cutover.Result apply = Cutover.run(runs, "apply", "-i", lab.inventory().toString(),
                "playbooks/local-caching-bind.yml", "--yes", "--serial", "100%", "--forks", "20");

        assertThat(apply.code()).as(apply.out()).isEqualTo(0);
        assertThat(apply.out()).contains("20 hosts: 20 changed");
        RunDirectory directory = new RunDirectory(runs);
        RunState run = RunState.replay(JournalReader.read(directory.journal(directory.latest().orElseThrow())));
        for (RunState.HostState host : run.hosts()) {
            assertThat(host.status()).as(host.host()).isEqualTo(HostStatus.CHANGED);
            assertThat(host.proof().path("capture").toString()).as(host.host()).contains("127.0.0.1.53");
        }
        assertThat(lab.exec("light7", "cat /etc/resolv.conf")).contains("nameserver 127.0.0.1");

        Cutover.Result rollback = Cutover.run(runs, "rollback", "--forks", "20");

        assertThat(rollback.code()).as(rollback.out()).isEqualTo(0);
        assertThat(rollback.out()).contains("20 hosts reverted and verified, 0 failed");
        assertThat(lab.snapshot("light7")).isEqualTo(before);
    }
}
