package io.cutover.engine;

import static io.cutover.engine.EngineHosts.install;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.HostStatus;
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
 * The operator's Ctrl-C, as the CLI hands it to the run ({@link RunContext#stopStarting} on the
 * first, {@link RunContext#abortNow} on the second): the first lets running hosts finish and
 * starts no new one; the second rolls running hosts back at their next step.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class InterruptTest {

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    private Path playbook;

    /** Two steps, so an interrupt during the first is seen before the second. One host at a time. */
    @BeforeEach
    void fleet() throws IOException {
        for (String name : List.of("web1", "web2")) {
            Files.writeString(hosts.host(name).file("/etc/first.conf"), "before\n");
            Files.writeString(hosts.host(name).file("/etc/second.conf"), "before\n");
        }
        playbook = hosts.playbook("two-steps",
                install("first", "/etc/first.conf"),
                install("second", "/etc/second.conf"));
    }

    @Test
    void aFirstInterruptLetsTheRunningHostFinishAndStartsNoOther() throws IOException {
        RunContext run = hosts.run("int1", playbook);

        Engine.Result result = hosts.apply(run, new Engine.Settings(1, 0), List.of(List.of("web1", "web2")), event -> {
            if (event instanceof Event.StepStarted started && started.host().equals("web1") && started.step() == 1) {
                run.stopStarting();
            }
        });

        assertThat(result.outcomes()).extracting(HostOutcome::status).containsExactly(HostStatus.CHANGED, HostStatus.SKIPPED);
        assertThat(result.outcomes().get(1).reason()).isEqualTo("interrupted by the operator before it started");
        assertThat(hosts.host("web1").file("/etc/second.conf")).as("web1 ran to its end").hasContent("after");
        assertThat(hosts.host("web2").contacted()).isFalse();
    }

    @Test
    void aSecondInterruptRollsTheRunningHostBackAtItsNextStep() throws IOException {
        RunContext run = hosts.run("int2", playbook);

        Engine.Result result = hosts.apply(run, new Engine.Settings(1, 0), List.of(List.of("web1", "web2")), event -> {
            if (event instanceof Event.StepStarted started && started.host().equals("web1") && started.step() == 1) {
                run.stopStarting();
                run.abortNow();
            }
        });

        HostOutcome web1 = result.outcomes().get(0);
        assertThat(web1.status()).as(web1.reason()).isEqualTo(HostStatus.ROLLED_BACK);
        assertThat(web1.reason()).isEqualTo("aborted by the operator (second interrupt)");
        assertThat(hosts.host("web1").file("/etc/first.conf")).as("its first step undone").hasContent("before");
        assertThat(hosts.host("web1").file("/etc/second.conf")).as("its second step never ran").hasContent("before");
        assertThat(result.outcomes().get(1).status()).isEqualTo(HostStatus.SKIPPED);
        assertThat(hosts.host("web2").contacted()).isFalse();
    }
}
