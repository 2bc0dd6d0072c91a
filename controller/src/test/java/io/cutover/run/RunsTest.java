package io.cutover.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.Engine;
import io.cutover.engine.EngineHosts;
import io.cutover.engine.Event;
import io.cutover.engine.HostOutcome;
import io.cutover.helper.HelperScript;
import io.cutover.journal.HostStatus;
import io.cutover.journal.Events;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.JournalReader;
import io.cutover.journal.Record;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import io.cutover.playbook.Playbook;
import io.cutover.ssh.PassphraseSource;
import io.cutover.ssh.SshConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * apply, resume and rollback as the run layer runs them, without the command line: on hosts that
 * run the real helper behind in-process SSH servers, with a run directory and clocks of the test's.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class RunsTest {

    private static final List<String> HOSTS = List.of("web1", "web2");
    private static final Function<String, JournalEvent.RunStart> START = id -> Events.runStart(id, "p.yml", "web1", "web2");
    private static final Engine.Settings ONE_AT_A_TIME = new Engine.Settings(1, 0);

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    @TempDir
    Path runsRoot;

    private RunDirectory runs;
    private Playbook playbook;
    private final List<Event> events = new ArrayList<>();

    /** web1 and web2 in two batches, one file to install in /etc/cutover, which only web1 has: web2 fails. */
    @BeforeEach
    void twoHosts() throws IOException {
        runs = new RunDirectory(runsRoot);
        Files.createDirectories(hosts.web1().file("/etc/cutover"));
        hosts.host("web2");
        playbook = EngineHosts.load(hosts.playbook("one-file",
                EngineHosts.install("install", "/etc/cutover/test.conf")));
    }

    @Test
    void applyJournalsANewRunFromItsStartToItsEndAndEndsWithTheOutcomesExitCode() throws IOException {
        List<String> told = new ArrayList<>();

        Runs.Finished finished = runs(at("2026-11-25T18:30:12Z")).apply(fleet(), START,
                ONE_AT_A_TIME, events::add, context -> told.add("context before " + events.size() + " events"));

        assertThat(finished.runId()).startsWith("20261125-183012-");
        assertThat(finished.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(finished.outcome().exitCode()).isEqualTo(1);
        assertThat(finished.result().outcomes()).extracting(HostOutcome::status)
                .containsExactly(HostStatus.CHANGED, HostStatus.ROLLED_BACK);
        assertThat(told).containsExactly("context before 0 events");
        assertThat(events.get(0)).isEqualTo(new Event.RunStarted(finished.runId(), 2, fleet().batches(), 1));
        assertThat(events.get(events.size() - 1)).isEqualTo(new Event.RunFinished(finished.runId(), "failed", 1));
        List<Record> journal = JournalReader.read(runs.journal(finished.runId()));
        Record start = journal.get(0);
        assertThat(start.event()).isInstanceOfSatisfying(JournalEvent.RunStart.class, s -> {
            assertThat(s.run()).as("the run's id is the record's").isEqualTo(finished.runId());
            assertThat(s.hosts()).isEqualTo(HOSTS);
        });
        assertThat(start.ts()).isEqualTo("2026-11-25T18:30:12Z");
        assertThat(journal.get(journal.size() - 1).event()).isEqualTo(new JournalEvent.RunEnd("failed", 1));
    }

    @Test
    void resumeSkipsTheHostsThatAreDoneAndFinishesTheOthers() throws IOException {
        String runId = runs(at("2026-11-25T18:30:12Z")).apply(fleet(), START, ONE_AT_A_TIME, e -> { }, c -> { }).runId();
        Files.createDirectories(hosts.host("web2").file("/etc/cutover"));
        int web1Calls = hosts.web1().server().executed().size();
        RunState state = RunState.load(runs.journal(runId));

        Runs.Finished resumed = runs(at("2026-11-25T18:40:00Z")).resume(runId, fleet(), Map.of(), Runs.done(state),
                ONE_AT_A_TIME, events::add, c -> { });

        assertThat(Runs.done(state)).containsExactly("web1");
        assertThat(resumed.outcome()).isEqualTo(RunOutcome.DONE);
        assertThat(resumed.result().outcomes()).extracting(HostOutcome::host, HostOutcome::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web2", HostStatus.CHANGED));
        assertThat(hosts.web1().server().executed()).as("web1 is not touched again").hasSize(web1Calls);
        assertThat(hosts.host("web2").file("/etc/cutover/test.conf")).hasContent(EngineHosts.INSTALLED);
        assertThat(events.get(0)).isEqualTo(new Event.RunStarted(runId, 1, fleet().batches(), 1));
        List<Record> journal = JournalReader.read(runs.journal(runId));
        assertThat(journal.stream().map(Record::event).filter(JournalEvent.Resume.class::isInstance).toList())
                .containsExactly(new JournalEvent.Resume(List.of("web1")));
        assertThat(journal.get(journal.size() - 1).event()).isEqualTo(new JournalEvent.RunEnd("done", 0));
        assertThat(RunState.load(runs.journal(runId)).hosts()).allSatisfy(h -> assertThat(h.status().finished()).isTrue());
    }

    @Test
    void rollbackOfARunUndoesItsChangeAndARerunThatChangedNothingNamesTheRunThatDid() throws IOException {
        Files.createDirectories(hosts.host("web2").file("/etc/cutover"));
        String first = runs(at("2026-11-25T18:30:12Z")).apply(fleet(), START, ONE_AT_A_TIME, e -> { }, c -> { }).runId();
        String rerun = runs(at("2026-11-25T18:40:00Z")).apply(fleet(), START, ONE_AT_A_TIME, e -> { }, c -> { }).runId();

        Runs.RollbackScope ofRerun = Runs.rollbackScope(RunState.load(runs.journal(rerun)), List.of("web1", "web2"));
        assertThat(ofRerun.changed()).isEmpty();
        assertThat(ofRerun.unchanged()).containsExactly("web1", "web2");
        assertThat(Runs.lastChange(runs, rerun, "web1")).contains(first);

        Runs.RollbackScope ofFirst = Runs.rollbackScope(RunState.load(runs.journal(first)), List.of("web1"));
        List<HostOutcome> reverted = runs(at("2026-11-25T18:50:00Z")).rollback(first, fleet(), ofFirst.changed(), 1, e -> { });

        assertThat(reverted).extracting(HostOutcome::host, HostOutcome::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web1", HostStatus.REVERTED));
        assertThat(hosts.web1().file("/etc/cutover/test.conf")).as("web1 as before the first run").doesNotExist();
        assertThat(hosts.host("web2").file("/etc/cutover/test.conf")).as("not selected").hasContent(EngineHosts.INSTALLED);
        assertThat(RunState.load(runs.journal(first)).host("web1").orElseThrow().status()).isEqualTo(HostStatus.REVERTED);
    }

    private Fleet fleet() throws IOException {
        return new Fleet(EngineHosts.planner(playbook), hosts.inventory(), HOSTS,
                List.of(List.of("web1"), List.of("web2")), false);
    }

    private Runs runs(Clock clock) {
        return new Runs(runs, new RunServices(hosts.resolver(), new SshConnector(PassphraseSource.none()), HelperScript.bundled(),
                hosts.home(), Duration.ofSeconds(30), clock));
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }
}
