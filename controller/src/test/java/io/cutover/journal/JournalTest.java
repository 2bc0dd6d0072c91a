package io.cutover.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T18:30:00Z"), ZoneOffset.UTC);

    private Path journalWith(java.util.function.Consumer<Journal> writes) {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.open(file, clock)) {
            writes.accept(journal);
        }
        return file;
    }

    private static void start(Journal j) {
        j.append(Events.runStart("r1", "p.yml", "app1", "app2", "app3"));
    }

    @Test
    void statusCountsTheLastAttemptsLastingAndTransientStepsAsTheJournalRecordsThem() {
        Path file = journalWith(j -> {
            start(j);
            j.append(new JournalEvent.HostStart("app1"));
            j.append(Events.stepDone("app1", 1, true, false));
            j.append(Events.hostEnd("app1", HostStatus.FAILED));
            // resume: a new attempt, counted from zero
            j.append(new JournalEvent.HostStart("app1"));
            j.append(Events.stepDone("app1", 1, false, false));
            j.append(Events.stepDone("app1", 2, true, false));
            j.append(Events.stepDone("app1", 3, false, true));
            j.append(Events.stepDone("app1", 4, false, true));
            j.append(new JournalEvent.HostEnd("app1", HostStatus.CHANGED, null, 10L, 1, 2, null));
        });

        RunState.HostState app1 = RunState.replay(JournalReader.read(file)).host("app1").orElseThrow();

        assertThat(app1.changedSteps()).isEqualTo(1);
        assertThat(app1.transientSteps()).isEqualTo(2);
    }

    @Test
    void replayGivesEachHostItsStatusAndProgress() {
        Path file = journalWith(j -> {
            start(j);
            j.append(new JournalEvent.HostStart("app1"));
            j.append(new JournalEvent.StepStart("app1", 1, "bind-install", "bind-install"));
            j.append(Events.stepDone("app1", 1, false, false));
            j.append(Events.hostEnd("app1", HostStatus.CHANGED));
            j.append(new JournalEvent.HostStart("app2"));
            j.append(new JournalEvent.StepStart("app2", 7, "ban-old", "fw-ban"));
            j.append(new JournalEvent.GuardArmed("app2", 3, 60));
        });

        RunState state = RunState.replay(JournalReader.read(file));

        assertThat(state.runId()).isEqualTo("r1");
        assertThat(state.host("app1").orElseThrow().status()).isEqualTo(HostStatus.CHANGED);
        RunState.HostState app2 = state.host("app2").orElseThrow();
        assertThat(app2.status()).isEqualTo(HostStatus.RUNNING);
        assertThat(app2.inBlock()).isTrue();
        assertThat(app2.lastStepStarted()).isEqualTo(7);
        assertThat(state.host("app3").orElseThrow().status()).isEqualTo(HostStatus.PENDING);
        assertThat(state.outcome()).isEmpty();
    }

    @Test
    void aRetriedHostStartsAfreshAndKeepsTheNewOutcome() {
        Path file = journalWith(j -> {
            start(j);
            j.append(new JournalEvent.HostStart("app1"));
            j.append(new JournalEvent.StepFailed("app1", 3, "bind-check", "named-checkconf failed"));
            j.append(JournalEvent.HostEnd.before("app1", HostStatus.ROLLED_BACK, "named-checkconf failed"));
            j.append(new JournalEvent.HostStart("app1"));
            j.append(Events.hostEnd("app1", HostStatus.OK));
            j.append(new JournalEvent.RunEnd("done", 0));
        });

        RunState.HostState app1 = RunState.replay(JournalReader.read(file)).host("app1").orElseThrow();
        assertThat(app1.status()).isEqualTo(HostStatus.OK);
        assertThat(app1.reason()).isNull();
    }

    @Test
    void aTornLastLineFromACrashIsIgnoredButCorruptionElsewhereIsNot() throws IOException {
        Path file = journalWith(j -> {
            start(j);
            j.append(new JournalEvent.HostStart("app1"));
        });
        Files.writeString(file, "{\"seq\":3,\"type\":\"step-st", StandardOpenOption.APPEND);
        assertThat(JournalReader.read(file)).hasSize(2);

        Files.writeString(file, "\n{\"seq\":4}\n", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> JournalReader.read(file)).hasMessageContaining("journal.jsonl:3: corrupt journal line");
    }

    @Test
    void reopeningContinuesTheSequence() {
        Path file = journalWith(JournalTest::start);
        try (Journal again = Journal.open(file, clock)) {
            assertThat(again.append(new JournalEvent.RunEnd("done", 0)).seq()).isEqualTo(2);
        }
    }

    @Test
    void runDirectoriesArePrivateAndTheLatestRunIsFound() throws IOException {
        RunDirectory runs = new RunDirectory(dir.resolve(".cutover/runs"));
        Path first = runs.create("20261125-180000-aaaa");
        Files.writeString(first, "");
        Path second = runs.create("20261125-183000-bbbb");
        Files.writeString(second, "");

        assertThat(runs.latest()).contains("20261125-183000-bbbb");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".cutover/runs")))).isEqualTo("rwx------");
        assertThat(runs.newRunId(clock)).startsWith("20261125-183000-");
    }
}
