package io.cutover.engine;

import static io.cutover.engine.EngineHosts.guarded;
import static io.cutover.engine.EngineHosts.install;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.Record;
import io.cutover.journal.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A controller killed inside the guarded block leaves a host with a half-done block, an armed
 * guard and its lock, and a journal that stops at the step it had started. Resume reconciles the
 * host (reverts what the attempt left, through the host's undo log), takes the dead attempt's lock
 * over, and runs the steps again from the facts journaled before the run changed anything.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class ResumeAfterCrashTest {

    private static final String RUN = "crash1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    @Test
    void resumeReconcilesAHostLeftMidBlockByAKilledControllerAndFinishesIt() throws IOException {
        HelperHost host = hosts.web1();
        Files.writeString(host.file("/etc/cutover-test.conf"), "before\n");
        Files.writeString(host.file("/etc/second.conf"), "before\n");
        Path playbook = hosts.playbook("two-in-block",
                guarded("60s",
                        install("install", "/etc/cutover-test.conf"),
                        install("second", "/etc/second.conf")));

        killedAtStep(2, hosts.run(RUN, playbook), host);
        assertThat(host.file("/etc/cutover-test.conf")).as("the attempt left its first step done").hasContent("after");
        assertThat(RunState.load(hosts.journal()).host("web1").orElseThrow().status().finished()).isFalse();

        host.start();
        Map<String, Map<String, Object>> journaled = journaledFacts();
        Engine.Result resumed = hosts.apply(hosts.run(RUN, playbook, journaled), new Engine.Settings(1, 0),
                List.of(List.of("web1")), event -> { });

        HostOutcome outcome = resumed.outcomes().get(0);
        // the block's changes are transient (it restores what it swaps): a host whose steps all ran is OK
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.OK);
        assertThat(outcome.transientSteps()).as("both steps ran again").isEqualTo(2);
        assertThat(hosts.events(JournalEvent.LockTakenOver.class)).as("the dead attempt's lock").hasSize(1);
        assertThat(hosts.events(JournalEvent.Reconciled.class)).singleElement().satisfies(r -> {
            assertThat(r.revertedRecords()).as("the half-done block's record").isEqualTo(1);
            assertThat(r.guardWasArmed()).isTrue();
            assertThat(r.verified()).isTrue();
        });
        assertThat(hosts.events(JournalEvent.Facts.class)).as("planned from the journaled facts, not read again").hasSize(1);
        assertThat(host.file("/etc/cutover-test.conf")).hasContent("after");
        assertThat(host.file("/etc/second.conf")).hasContent("after");
        assertThat(Files.exists(host.runDir(RUN).resolve("guard.fired"))).as("the guard never fired").isFalse();
    }

    /**
     * Runs {@code run} until step {@code step} of web1 starts, then kills the controller there: the
     * host's link goes at once (its SSH server stops), the journal keeps what was written before the
     * step's first call, and the lock it held on the host names a controller whose SSH session is gone.
     */
    private void killedAtStep(int step, RunContext run, HelperHost host) throws IOException {
        hosts.apply(run, new Engine.Settings(1, 0), List.of(List.of("web1")), event -> {
            if (event instanceof Event.StepStarted started && started.step() == step) {
                try {
                    host.stop();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        List<String> kept = new ArrayList<>();
        List<String> lines = Files.readAllLines(hosts.journal());
        for (Record record : hosts.records()) {
            kept.add(lines.get(record.line() - 1));
            if (record.event() instanceof JournalEvent.StepStart start && start.step() == step) {
                break; // a killed controller writes nothing after the record of the step it was in
            }
        }
        Files.write(hosts.journal(), kept);
        assertThat(host.state.resolve("lock")).as("the killed controller's lock").exists();
        host.lockedBy("ctl=elsewhere pid=4242 run=" + RUN, true);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> journaledFacts() {
        RunState.HostState web1 = RunState.load(hosts.journal()).host("web1").orElseThrow();
        return Map.of("web1", MAPPER.convertValue(web1.facts(), Map.class));
    }
}
