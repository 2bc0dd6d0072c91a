package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal is a file users keep, copy and sometimes damage: whatever is wrong with it is their
 * error to fix (exit 2, one line naming the file and the record's line), never "internal error".
 */
class BadJournalTest {

    private static final String RUN = "20261125-183012-a1b2";
    private static final String START = "{\"seq\":1,\"ts\":\"2026-11-25T18:30:12Z\",\"type\":\"run-start\",\"run\":\"" + RUN
            + "\",\"playbook\":\"p.yml\",\"inventory\":[\"i.yml\"],\"hosts\":[\"web1\"]}";

    @TempDir
    Path runs;

    private Path journal(String... lines) throws IOException {
        Path dir = Files.createDirectories(runs.resolve(RUN));
        return Files.writeString(dir.resolve("journal.jsonl"), String.join("\n", lines) + "\n");
    }

    private Cli status() {
        return Cli.run("status", "--runs-dir", runs.toString(), RUN);
    }

    @Test
    void aValidJournalIsShown() throws IOException {
        journal(START, "{\"seq\":2,\"ts\":\"t\",\"type\":\"host-start\",\"host\":\"web1\"}");

        Cli cli = status();

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.OK);
        assertThat(cli.out()).contains("web1", "running");
    }

    @Test
    void statusListIsATableOfRunsAndNamesADamagedJournalInsteadOfFailing() throws IOException {
        journal(START.replace("}", ",\"operator\":{\"user\":\"alice\",\"controller\":\"ctl1\"}}"),
                "{\"seq\":2,\"ts\":\"t\",\"type\":\"host-start\",\"host\":\"web1\"}",
                "{\"seq\":3,\"ts\":\"t\",\"type\":\"host-end\",\"host\":\"web1\",\"status\":\"CHANGED\"}",
                "{\"seq\":4,\"ts\":\"t\",\"type\":\"run-end\",\"outcome\":\"done\"}");
        Path damaged = Files.createDirectories(runs.resolve("20261125-190000-ffff")).resolve("journal.jsonl");
        Files.writeString(damaged, "{\"level\":\"info\"}\n");

        Cli cli = Cli.run("status", "--runs-dir", runs.toString(), "--list");

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.OK);
        List<String> lines = cli.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("RUN                   STARTED (UTC)     BY          OUTCOME  PLAYBOOK  HOSTS");
        assertThat(lines.get(1)).isEqualTo(RUN + "  2026-11-25 18:30  alice@ctl1  done     p.yml     1: 1 changed");
        assertThat(lines.get(2)).startsWith("20261125-190000-ffff  unreadable: " + damaged + ":1:");
    }

    static Stream<Arguments> badJournals() {
        String hostStart = "{\"seq\":2,\"ts\":\"t\",\"type\":\"host-start\",\"host\":\"web1\"}";
        return Stream.of(
                Arguments.of("a corrupt line in the middle", List.of(START, "{\"seq\":2,\"type\":\"host-st",
                        "{\"seq\":3,\"type\":\"run-end\",\"outcome\":\"done\"}"), 2, "corrupt"),
                Arguments.of("another program's JSON lines", List.of("{\"level\":\"info\",\"msg\":\"started\"}"), 1,
                        "not a cutover run journal"),
                Arguments.of("records that do not start with run-start", List.of(hostStart), 1, "not a cutover run journal"),
                Arguments.of("a line that is no JSON object", List.of(START, "[1, 2, 3]", "{}"), 2, "not a journal record"),
                Arguments.of("a host-start for a host the run does not have",
                        List.of(START, hostStart.replace("web1", "db9")), 2, "db9"),
                Arguments.of("a host record without a host", List.of(START, "{\"seq\":2,\"type\":\"step-start\"}"), 2,
                        "step-start"),
                Arguments.of("a host-end with a status cutover never writes", List.of(START, hostStart,
                        "{\"seq\":3,\"type\":\"host-end\",\"host\":\"web1\",\"status\":\"GREAT\"}"), 3, "GREAT"),
                Arguments.of("a host-end whose status is a number", List.of(START, hostStart,
                        "{\"seq\":3,\"type\":\"host-end\",\"host\":\"web1\",\"status\":4}"), 3, "`status` 4"),
                Arguments.of("a host-end without its status", List.of(START, hostStart,
                        "{\"seq\":3,\"type\":\"host-end\",\"host\":\"web1\"}"), 3, "host-end without its `status`"),
                Arguments.of("a step-start without its step", List.of(START, hostStart,
                        "{\"seq\":3,\"type\":\"step-start\",\"host\":\"web1\"}"), 3, "step-start without its `step`"),
                Arguments.of("a step-done whose step is no number", List.of(START, hostStart,
                        "{\"seq\":3,\"type\":\"step-done\",\"host\":\"web1\",\"step\":\"three\"}"), 3, "`step` \"three\""),
                Arguments.of("a step-done whose changed is a text", List.of(START, hostStart,
                        "{\"seq\":3,\"type\":\"step-done\",\"host\":\"web1\",\"step\":1,\"changed\":\"yes\"}"), 3,
                        "`changed` \"yes\", not true or false"),
                Arguments.of("a host that is a list", List.of(START,
                        "{\"seq\":2,\"type\":\"host-start\",\"host\":[\"web1\"]}"), 2, "`host`"),
                Arguments.of("a run-start without its hosts", List.of(START.replaceAll(",\"hosts\":\\[[^]]*]", "")), 1,
                        "run-start without its `hosts`"),
                Arguments.of("a kind no cutover writes", List.of(START,
                        "{\"seq\":2,\"type\":\"host-exploded\",\"host\":\"web1\"}"), 2, "`host-exploded`"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJournals")
    void aBadJournalIsOneLineNamingTheFileAndTheRecordWithExit2(String what, List<String> lines, int line, String says)
            throws IOException {
        Path file = journal(lines.toArray(String[]::new));

        Cli cli = status();

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err().strip()).doesNotContain("internal error").doesNotContain("\n")
                .contains(file + ":" + line + ":").contains(says);
        assertThat(cli.out()).isEmpty();
    }
}
