package io.cutover.engine;

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
 * The rollout's failure threshold, checked after each batch: a batch whose failed share is above
 * max_fail_percentage (0 by default: any failure, so a failed canary stops everything) starts no
 * later batch, and its hosts are never contacted; a share at the threshold goes on.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class MaxFailTest {

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    private Path playbook;

    /** web1 fails its only step (its /etc/cutover has no directory); web2 and web3 succeed. */
    @BeforeEach
    void fleet() throws IOException {
        hosts.web1();
        for (String name : List.of("web2", "web3")) {
            Files.createDirectories(hosts.host(name).file("/etc/cutover"));
        }
        playbook = hosts.playbook("one-file",
                install("install", "/etc/cutover/test.conf"));
    }

    @Test
    void aFailedCanaryStartsNoLaterBatchAndItsHostsAreNeverContacted() throws IOException {
        Engine.Result result = hosts.apply(hosts.run("canary1", playbook), new Engine.Settings(5, 0),
                List.of(List.of("web1"), List.of("web2", "web3")), event -> { });

        assertThat(result.aborted()).isTrue();
        assertThat(result.abortReason()).isEqualTo("batch 1: 1 of 1 hosts failed, above max_fail_percentage 0%");
        assertThat(result.outcomes()).extracting(HostOutcome::host, HostOutcome::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("web1", HostStatus.ROLLED_BACK),
                org.assertj.core.groups.Tuple.tuple("web2", HostStatus.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("web3", HostStatus.SKIPPED));
        assertThat(hosts.host("web2").contacted()).isFalse();
        assertThat(hosts.host("web3").contacted()).isFalse();
        assertThat(hosts.events(JournalEvent.BatchStart.class)).hasSize(1);
        assertThat(hosts.events(JournalEvent.Aborted.class)).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(result.abortReason()));
    }

    @Test
    void aBatchFailingAtTheThresholdButNotAboveItLetsTheNextBatchRun() throws IOException {
        Engine.Result result = hosts.apply(hosts.run("half1", playbook), new Engine.Settings(5, 50),
                List.of(List.of("web1", "web2"), List.of("web3")), event -> { });

        assertThat(result.aborted()).isFalse();
        assertThat(result.outcomes()).extracting(HostOutcome::status)
                .containsExactly(HostStatus.ROLLED_BACK, HostStatus.CHANGED, HostStatus.CHANGED);
        assertThat(hosts.host("web3").file("/etc/cutover/test.conf")).hasContent("after");
        assertThat(hosts.events(JournalEvent.Aborted.class)).isEmpty();
    }

    @Test
    void aBatchFailingAboveTheThresholdStopsTheRollout() throws IOException {
        Engine.Result result = hosts.apply(hosts.run("above1", playbook), new Engine.Settings(5, 49),
                List.of(List.of("web1", "web2"), List.of("web3")), event -> { });

        assertThat(result.aborted()).isTrue();
        assertThat(result.abortReason()).isEqualTo("batch 1: 1 of 2 hosts failed, above max_fail_percentage 49%");
        assertThat(hosts.host("web3").contacted()).isFalse();
    }
}
