package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code cutover} itself, before any verb. */
class TopLevelTest {

    @Test
    void noVerbIsAUsageErrorWithTheListOfCommandsOnStderr() {
        Cli cli = Cli.run();

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("which command?", "plan", "apply", "check", "rollback");
    }

    @Test
    void helpIsNotAnError() {
        Cli cli = Cli.run("--help");

        assertThat(cli.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(cli.out()).contains("Usage: cutover", "check");
    }
}
