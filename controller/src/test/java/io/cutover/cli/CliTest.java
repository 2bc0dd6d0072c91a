package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The CLI test harness: a run that does not exit as expected fails with everything it printed. */
class CliTest {

    @Test
    void aRunThatExitsOtherwiseThanExpectedFailsShowingItsArgsExitCodeStdoutAndStderr() {
        assertThatThrownBy(() -> Cli.run("status", "--no-such-option").exits(ExitCode.OK))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected exit 0, got 2")
                .hasMessageContaining("$ cutover status --no-such-option")
                .hasMessageContaining("--- stdout ---")
                .hasMessageContaining("--- stderr ---\ncutover: error: Unknown option: '--no-such-option'");
    }

    @Test
    void theRunsOfATestAreKeptForItsFailureReport() {
        Cli ok = Cli.runOk("--version");

        assertThat(Cli.ran()).containsExactly(ok);
    }
}
