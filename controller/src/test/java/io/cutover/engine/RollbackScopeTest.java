package io.cutover.engine;

import static io.cutover.engine.EngineHosts.guarded;
import static io.cutover.engine.EngineHosts.install;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What a rollback undoes: a failure after the guarded block rolls back every step of the run on
 * the host; {@code cutover rollback} of a run reverts that run's changes and no other run's.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class RollbackScopeTest {

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
    void aFailureAfterTheBlockRollsBackEveryStepOfTheRun() throws IOException {
        HostOutcome outcome = hosts.apply(hosts.run("all1", hosts.playbook("after-block",
                install("first", "/etc/kept.conf"),
                guarded("30s",
                        install("install", "/etc/cutover-test.conf")),
                install("fails", "/etc/no-such-dir/x.conf"))));

        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.ROLLED_BACK);
        assertThat(host.file("/etc/kept.conf")).as("the step before the block is undone too").hasContent("before");
        assertThat(host.file("/etc/cutover-test.conf")).as("the block is undone").hasContent("before");
        assertThat(hosts.events(JournalEvent.RollbackStart.class)).singleElement()
                .satisfies(r -> assertThat(r.scope()).isEqualTo(JournalEvent.Scope.ALL));
    }

    @Test
    void rollingBackARunRevertsThatRunsChangesAndLeavesAnotherRunsInPlace() throws IOException {
        Path first = hosts.playbook("first", install("install", "/etc/kept.conf"));
        Path second = hosts.playbook("second", install("install", "/etc/cutover-test.conf"));
        assertThat(hosts.apply(hosts.run("run1", first)).status()).isEqualTo(HostStatus.CHANGED);
        assertThat(hosts.apply(hosts.run("run2", second)).status()).isEqualTo(HostStatus.CHANGED);

        List<HostOutcome> reverted = hosts.rollback(hosts.run("run1", first), List.of("web1"));

        assertThat(reverted).singleElement().satisfies(o -> assertThat(o.status()).as(o.reason()).isEqualTo(HostStatus.REVERTED));
        assertThat(host.file("/etc/kept.conf")).as("run1's change is undone").hasContent("before");
        assertThat(host.file("/etc/cutover-test.conf")).as("run2's change stays").hasContent("after");
    }
}
