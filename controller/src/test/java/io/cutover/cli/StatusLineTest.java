package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The live view's status line at any width: never wrapping, the bar and the host list sized to it. */
class StatusLineTest {

    private static final StatusLine.Running TRIGGER = new StatusLine.Running("app1", "trigger 11/15",
            Duration.ofMillis(11_800), "pgbouncer's lookup of the probe name (up to 1.5 s)");
    private static final StatusLine.Running WAITING = new StatusLine.Running("app2", "before safe-cutover",
            Duration.ofSeconds(12), "pgbouncer's cached answer for the probe to expire");

    @ParameterizedTest
    @ValueSource(ints = {10, 20, 39, 40, 60, 80, 100, 200})
    void neverTakesTheLastColumn(int width) {
        List<StatusLine.Running> many = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            many.add(new StatusLine.Running("東京-app" + i, "refresh 7/15", Duration.ofSeconds(i), "process 54 to be idle, then gdb-cares"));
        }
        for (List<StatusLine.Running> running : List.of(List.<StatusLine.Running>of(), List.of(TRIGGER), List.of(TRIGGER, WAITING), many)) {
            String line = StatusLine.render(width, 3, 33, running);

            assertThat(Columns.of(line)).as(line).isLessThanOrEqualTo(width - 1);
            assertThat(line).doesNotContain("\n", "\r");
        }
    }

    @Test
    void theBarGrowsWithTheWidth() {
        assertThat(StatusLine.render(60, 1, 2, List.of())).startsWith("[#####-----] 1/2 hosts");
        assertThat(StatusLine.render(200, 1, 2, List.of())).startsWith("[" + "#".repeat(12) + "-".repeat(13) + "] 1/2 hosts");
    }

    @Test
    void aNarrowTerminalGetsNoBar() {
        assertThat(StatusLine.render(30, 1, 2, List.of())).isEqualTo("1/2 hosts");
    }

    @Test
    void aStepUnderASecondShowsNoTimeNorWait() {
        StatusLine.Running quick = new StatusLine.Running("app1", "bind-options 3/15", Duration.ofMillis(400), "named to reload");

        assertThat(StatusLine.render(200, 0, 2, List.of(quick))).endsWith("0/2 hosts  app1 bind-options 3/15");
    }

    @Test
    void aStepOverASecondSaysHowLongAndWhatItWaitsFor() {
        assertThat(StatusLine.render(200, 0, 2, List.of(TRIGGER)))
                .endsWith("  app1 trigger 11/15 11 s, waiting for pgbouncer's lookup of the probe name (up to 1.5 s)");
    }

    @Test
    void hostsThatDoNotFitAreCounted() {
        String line = StatusLine.render(80, 0, 3, List.of(TRIGGER, WAITING,
                new StatusLine.Running("app3", "connecting", Duration.ZERO, null)));

        assertThat(line).startsWith("[----------] 0/3 hosts  app1 trigger 11/15 11 s, waiting for");
        assertThat(line).endsWith("…  +2 more");
        assertThat(Columns.of(line)).isLessThanOrEqualTo(79);
    }

    @Test
    void theHostsAfterTheFirstDropWhatTheyWaitForBeforeTheyDropOut() {
        String line = StatusLine.render(200, 0, 2, List.of(TRIGGER, WAITING));

        assertThat(line).endsWith("(up to 1.5 s)  app2 before safe-cutover 12 s");
    }

    @Test
    void everyHostThatFitsIsShownWithTheRestCounted() {
        List<StatusLine.Running> hosts = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            hosts.add(new StatusLine.Running("app" + i, "bind-start 5/15", Duration.ZERO, null));
        }

        String line = StatusLine.render(120, 0, 9, hosts);

        assertThat(line).isEqualTo("[###############] ".replace('#', '-') + "0/9 hosts  app1 bind-start 5/15  app2 bind-start 5/15  "
                + "app3 bind-start 5/15  +6 more");
    }
}
