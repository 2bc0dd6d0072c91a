package io.cutover.engine;

import static io.cutover.engine.EngineHosts.guarded;
import static io.cutover.engine.EngineHosts.install;
import static io.cutover.engine.EngineHosts.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What the guarded block's guard undoes: with {@code rollback: block}, a failure inside the block
 * reverts the block and keeps what came before it; a guard whose deadline passes while the
 * controller is silent reverts the block by itself, on the host, without the controller.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class GuardScopeTest {

    private static final String RUN = "scope1";

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    private HelperHost host;

    @BeforeEach
    void host() throws IOException {
        host = hosts.web1();
        Files.writeString(host.file("/etc/kept.conf"), "before\n");
        Files.writeString(host.file("/etc/cutover-test.conf"), "before\n");
    }

    @Test
    void aFailureInsideTheBlockRevertsOnlyTheBlockAndTheHostEndsRolledBack() throws IOException {
        HostOutcome outcome = hosts.apply(hosts.run(RUN, hosts.playbook("in-block",
                install("kept", "/etc/kept.conf"),
                guarded("30s",
                        install("install", "/etc/cutover-test.conf"),
                        install("fails", "/etc/no-such-dir/x.conf")))));

        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.ROLLED_BACK);
        assertThat(outcome.reason()).startsWith("fails: ");
        assertThat(host.file("/etc/cutover-test.conf")).as("the block's change is undone").hasContent("before");
        assertThat(host.file("/etc/kept.conf")).as("the step before the block stays").hasContent("after");
        assertThat(hosts.events(JournalEvent.RollbackStart.class)).singleElement()
                .satisfies(r -> assertThat(r.scope()).isEqualTo(JournalEvent.Scope.BLOCK));
        assertThat(hosts.events(JournalEvent.RollbackDone.class)).singleElement()
                .satisfies(r -> assertThat(r.verified()).isTrue());
        assertThat(hosts.events(JournalEvent.HostEnd.class)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(HostStatus.ROLLED_BACK));
        assertThat(Files.exists(host.runDir(RUN).resolve("guard.fired"))).as("the controller reverted, not the guard").isFalse();
    }

    /**
     * The block's second step hangs (a fake getent) until the guard's revert has written its
     * result (4 s: the install before it must end inside the window on a loaded machine too), and
     * copies what the host's file holds then: the guard restored it while the
     * controller was still waiting on the step, with no call from it.
     */
    @Test
    void aGuardWhoseDeadlinePassesRevertsTheBlockOnTheHostByItself() throws IOException {
        Path seen = host.root.resolve("seen-while-waiting");
        Path result = host.runDir(RUN).resolve("guard.result");
        host.fakeTool("getent", "n=0\nwhile [ ! -s '" + result + "' ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n + 1)); done\n"
                + "cp '" + host.file("/etc/cutover-test.conf") + "' '" + seen + "'\nexit 2");

        HostOutcome outcome = hosts.apply(hosts.run(RUN, hosts.playbook("silent",
                guarded("4s",
                        install("install", "/etc/cutover-test.conf"),
                        lookup("hangs", "probe.invalid", "30s")))));

        assertThat(Files.isDirectory(host.runDir(RUN).resolve("guard.fired"))).as("the guard fired").isTrue();
        assertThat(seen).as("restored by the guard while the controller waited").hasContent("before");
        assertThat(host.file("/etc/cutover-test.conf")).hasContent("before");
        assertThat(outcome.status().finished()).as("a host its guard reverted is not done: " + outcome.reason()).isFalse();
    }
}
