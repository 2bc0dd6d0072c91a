package io.cutover.engine;

import static io.cutover.engine.EngineHosts.guarded;
import static io.cutover.engine.EngineHosts.install;
import static io.cutover.engine.EngineHosts.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.HostStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The controller's rollback meets the guard's own revert still running on the host — as at 200
 * hosts with forks 200, where a guard fired at its deadline while the controller was slow. The
 * helper answers the second revert "busy" (exit 75); the controller must wait for the guard's
 * revert and then verify, never leave the host FAILED for a human.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class GuardRaceTest {

    private static final String RUN = "race1";

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    private HelperHost host;

    @BeforeEach
    void host() throws IOException {
        host = hosts.web1();
    }

    /**
     * A block under a 3 s guard (it fires 2 to 3 s after it is armed, once the install is done): install a file, then a trigger whose lookup (a fake getent) waits
     * until the guard has fired and its revert holds the run's revert lock, then a step that fails
     * (its directory does not exist). The guard's restore of the file is slowed down (a fake cp,
     * only for copies out of the run's backups) so it is still running when the controller reverts.
     */
    private Path racingPlaybook() throws IOException {
        Path runDir = host.runDir(RUN);
        host.fakeTool("getent", "n=0\n"
                + "while [ ! -d '" + runDir + "/revert.lock' ] && [ ! -e '" + runDir + "/guard.result' ] && [ $n -lt 200 ]; do\n"
                + "  sleep 0.05; n=$((n + 1))\ndone\n"
                + "exit 2");
        host.fakeTool("cp", "case $1 in '" + runDir + "'/backup/*) sleep 3 ;; esac\n"
                + "PATH=${PATH#*:} exec cp \"$@\"");
        Files.writeString(host.root.resolve("etc/cutover-test.conf"), "before\n");
        return hosts.playbook("race",
                guarded("3s",
                        install("install", "/etc/cutover-test.conf"),
                        lookup("until-the-guard-fires", "probe.invalid", "30s"),
                        install("fails", "/etc/no-such-dir/x.conf")));
    }

    @Test
    void aRollbackThatMeetsTheGuardsRevertWaitsForItAndThenVerifies() throws IOException {
        HostOutcome outcome = hosts.apply(hosts.run(RUN, racingPlaybook()));

        assertThat(Files.isDirectory(host.runDir(RUN).resolve("guard.fired"))).as("the guard fired").isTrue();
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.ROLLED_BACK);
        // the step after the long lookup would renew the guard first, and finds it fired
        assertThat(outcome.reason()).startsWith("guard-renew: ").contains("\"status\":\"fired\"");
        assertThat(host.root.resolve("etc/cutover-test.conf")).hasContent("before");
        assertThat(host.server().executed().stream().filter(c -> c.contains(" revert " + RUN)).count())
                .as("the controller's revert met the guard's (busy) and was retried").isGreaterThan(1);
    }
}
