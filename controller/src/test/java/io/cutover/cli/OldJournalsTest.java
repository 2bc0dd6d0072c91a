package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Journals stay on users' disks for years: those written by cutover before its journal became
 * typed events (src/test/resources/journal/0d04f98, from a lab run) read, and status and report say
 * of them exactly what that cutover said.
 */
class OldJournalsTest {

    static final Path OLD = Path.of("src/test/resources/journal/0d04f98").toAbsolutePath();

    /** Where the journals were when that cutover's report named them. */
    private static final String RUNS_THEN = "/tmp/hjrnl-runs";

    @TempDir
    Path runs;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"apply-then-rollback", "failed-then-resumed"})
    void statusAndReportOfAJournalWrittenBeforeTheTypedEventsSayWhatTheySaidThen(String name) throws IOException {
        String journal = Files.readString(OLD.resolve(name + ".jsonl"));
        String runId = journal.substring(journal.indexOf("\"run\":\"") + 7, journal.indexOf("\"run\":\"") + 27);
        Files.writeString(Files.createDirectories(runs.resolve(runId)).resolve("journal.jsonl"), journal);

        Cli status = Cli.run("status", "--runs-dir", runs.toString(), runId, "-o", "json");
        Cli report = Cli.run("report", "--runs-dir", runs.toString(), runId, "--format", "markdown");

        assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
        assertThat(without(status.out(), "  \"generated_at\"")).isEqualTo(Files.readString(OLD.resolve(name + ".status.json")));
        assertThat(report.exitCode()).as(report.err()).isEqualTo(ExitCode.OK);
        assertThat(without(report.out(), "Generated ")).isEqualTo(Files.readString(OLD.resolve(name + ".report.md"))
                .replace(RUNS_THEN, runs.toString()));
    }

    /** {@code text} without its lines that start with {@code prefix} (the time it was generated). */
    private static String without(String text, String prefix) {
        return text.lines().filter(l -> !l.startsWith(prefix)).map(l -> l + "\n").collect(Collectors.joining());
    }
}
