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
import java.util.List;
import java.util.Map;
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
        j.append("run-start", Map.of("run", "r1", "hosts", List.of("app1", "app2", "app3")));
    }

    @Test
    void statusCountsTheLastAttemptsLastingAndTransientStepsAsTheJournalRecordsThem() {
        Path file = journalWith(j -> {
            start(j);
            j.append("host-start", Map.of("host", "app1"));
            j.append("step-done", Map.of("host", "app1", "step", 1, "changed", true, "transient", false));
            j.append("host-end", Map.of("host", "app1", "status", "FAILED"));
            // resume: a new attempt, counted from zero
            j.append("host-start", Map.of("host", "app1"));
            j.append("step-done", Map.of("host", "app1", "step", 1, "changed", false, "transient", false));
            j.append("step-done", Map.of("host", "app1", "step", 2, "changed", true, "transient", false));
            j.append("step-done", Map.of("host", "app1", "step", 3, "changed", false, "transient", true));
            j.append("step-done", Map.of("host", "app1", "step", 4, "changed", false, "transient", true));
            j.append("host-end", Map.of("host", "app1", "status", "CHANGED", "changed_steps", 1, "transient_steps", 2));
        });

        RunState.HostState app1 = RunState.replay(JournalReader.read(file)).host("app1").orElseThrow();

        assertThat(app1.changedSteps()).isEqualTo(1);
        assertThat(app1.transientSteps()).isEqualTo(2);
    }

    @Test
    void replayGivesEachHostItsStatusAndProgress() {
        Path file = journalWith(j -> {
            start(j);
            j.append("host-start", Map.of("host", "app1"));
            j.append("step-start", Map.of("host", "app1", "step", 1));
            j.append("step-done", Map.of("host", "app1", "step", 1));
            j.append("host-end", Map.of("host", "app1", "status", "CHANGED"));
            j.append("host-start", Map.of("host", "app2"));
            j.append("step-start", Map.of("host", "app2", "step", 7));
            j.append("guard-armed", Map.of("host", "app2", "deadline_ms", 60000));
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
            j.append("host-start", Map.of("host", "app1"));
            j.append("step-failed", Map.of("host", "app1", "step", 3, "error", "named-checkconf failed"));
            j.append("host-end", Map.of("host", "app1", "status", "ROLLED_BACK", "reason", "named-checkconf failed"));
            j.append("host-start", Map.of("host", "app1"));
            j.append("host-end", Map.of("host", "app1", "status", "OK"));
            j.append("run-end", Map.of("outcome", "done"));
        });

        RunState.HostState app1 = RunState.replay(JournalReader.read(file)).host("app1").orElseThrow();
        assertThat(app1.status()).isEqualTo(HostStatus.OK);
        assertThat(app1.reason()).isNull();
    }

    @Test
    void aTornLastLineFromACrashIsIgnoredButCorruptionElsewhereIsNot() throws IOException {
        Path file = journalWith(j -> {
            start(j);
            j.append("host-start", Map.of("host", "app1"));
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
            assertThat(again.append("run-end", Map.of("outcome", "done")).seq()).isEqualTo(2);
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
