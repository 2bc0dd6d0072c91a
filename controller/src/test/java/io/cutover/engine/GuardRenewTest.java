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
 * A slow but live controller is not reverted under itself: a block whose steps together outlast
 * the guard's window, each step well inside it, runs to the end because the controller moves the
 * deadline on once half the window has gone (at 200 hosts with forks 200, blocks of 47 s ran into
 * the 60 s guard). What a dead controller leaves is the fault suite's to prove.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class GuardRenewTest {

    private static final String RUN = "renew1";

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    private HelperHost host;

    @BeforeEach
    void host() throws IOException {
        host = hosts.web1();
    }

    /** A 4 s guard around three lookups of 1.5 s each (a fake getent): 4.5 s in all, after the install. */
    private Path slowBlock() throws IOException {
        host.fakeTool("getent", "sleep 1.5\nexit 2");
        Files.writeString(host.root.resolve("etc/cutover-test.conf"), "before\n");
        return hosts.playbook("slow",
                guarded("4s",
                        install("install", "/etc/cutover-test.conf"),
                        lookup("slow-lookup-1", "probe1.invalid", "10s"),
                        lookup("slow-lookup-2", "probe2.invalid", "10s"),
                        lookup("slow-lookup-3", "probe3.invalid", "10s")));
    }

    @Test
    void aBlockLongerThanItsGuardWhoseStepsKeepComingIsRenewedNotReverted() throws IOException {
        HostOutcome outcome = hosts.apply(hosts.run(RUN, slowBlock()));

        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.OK);
        assertThat(Files.exists(host.runDir(RUN).resolve("guard.fired"))).as("the guard never fired").isFalse();
        assertThat(host.root.resolve("etc/cutover-test.conf")).hasContent("after");
        assertThat(host.server().executed().stream().filter(c -> c.contains(" guard-renew --run " + RUN)).count())
                .as("the controller renewed the guard").isGreaterThanOrEqualTo(1);
    }
}
