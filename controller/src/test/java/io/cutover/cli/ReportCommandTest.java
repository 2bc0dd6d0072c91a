package io.cutover.cli;

import io.cutover.journal.JournalEvent;
import io.cutover.journal.HostStatus;
import io.cutover.journal.Events;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.Journal;
import io.cutover.journal.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutover report}: which run, where it goes, in which format; errors the user can act on. */
class ReportCommandTest {

    private static final String FIRST = "20261125-183000-a1b2";
    private static final String LAST = "20261126-090000-c3d4";

    @TempDir
    Path runs;

    private void run(String id, String host) {
        Path file = new RunDirectory(runs).create(id);
        try (Journal journal = Journal.open(file, Clock.fixed(Instant.parse("2026-11-25T18:30:00Z"), ZoneOffset.UTC))) {
            journal.append(Events.runStart(id, "p.yml", host));
            journal.append(new JournalEvent.HostStart(host));
            journal.append(Events.hostEnd(host, HostStatus.CHANGED));
            journal.append(new JournalEvent.RunEnd("done", 0));
        }
    }

    @Test
    void withoutARunItReportsTheLastOneAsHtmlOnStdout() {
        run(FIRST, "web1");
        run(LAST, "web2");

        Cli cli = Cli.run("report", "--runs-dir", runs.toString());

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.OK);
        assertThat(cli.out()).startsWith("<!DOCTYPE html>").contains(LAST, "data-host=\"web2\"").doesNotContain("web1");
    }

    @Test
    void outWritesTheFileAndSaysSoOnStderr() throws IOException {
        run(FIRST, "web1");
        Path file = runs.resolve("report.md");

        Cli cli = Cli.run("report", FIRST, "--runs-dir", runs.toString(), "--format", "markdown", "--out", file.toString());

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.OK);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("report of run " + FIRST + " written to " + file);
        assertThat(Files.readString(file)).startsWith("# cutover run " + FIRST + ": done").contains("| web1 | changed |");
    }

    @Test
    void anUnknownRunOrFormatIsTheUsersErrorToFix() {
        run(FIRST, "web1");

        Cli missing = Cli.run("report", "20990101-000000-ffff", "--runs-dir", runs.toString());
        Cli format = Cli.run("report", "--runs-dir", runs.toString(), "--format", "pdf");
        Cli none = Cli.run("report", "--runs-dir", runs.resolve("empty").toString());

        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("no run 20990101-000000-ffff in " + runs, "cutover status --list");
        assertThat(format.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(format.err()).containsIgnoringCase("html, markdown");
        assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).contains("no runs in");
    }

    @Test
    void helpSaysWhatIsInTheReportWithExamples() {
        Cli cli = Cli.run("report", "--help");

        assertThat(cli.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(cli.out()).contains("--format", "--out", "--runs-dir", "self-contained", "cutover report --out run.html",
                "--format markdown");
    }
}
