package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.Event;
import io.cutover.journal.HostStatus;
import io.cutover.ssh.PassphraseSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The live view's drawing: what it writes to the terminal for events, waits, resizes and messages. */
class LiveViewTest {

    private static final String ERASE = "\r\033[J";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger columns = new AtomicInteger(60);
    private final AtomicLong clock = new AtomicLong();
    private final LiveView view = new LiveView(new PrintWriter(out), columns::get, clock::get);

    @Test
    void everyStatusLineIsDrawnFromColumnZeroWithinTheWidthAndLeavesTheCursorThere() {
        run();

        for (String drawn : statusLines()) {
            assertThat(Columns.of(drawn)).as(drawn).isLessThanOrEqualTo(59);
        }
        assertThat(out.toString()).doesNotContain("\n[");
    }

    @Test
    void aHostThatWaitsSaysWhatForOnceItHasWaitedASecond() {
        view.on(new Event.RunStarted("r1", 1, List.of(List.of("app1")), 1));
        view.on(new Event.HostStarted("app1"));
        view.on(new Event.StepStarted("app1", 11, 15, "trigger"));
        view.on(new Event.HostWaiting("app1", "trigger", "pgbouncer's lookup of the probe name (up to 1.5 s)"));
        columns.set(200);
        clock.addAndGet(Duration.ofMillis(2300).toNanos());

        view.redraw();

        assertThat(last(statusLines())).endsWith("app1 trigger 11/15 2 s, waiting for pgbouncer's lookup of the probe name (up to 1.5 s)");
    }

    @Test
    void aWaitOutsideTheStepsIsShownUnderItsOwnName() {
        view.on(new Event.RunStarted("r1", 1, List.of(List.of("app1")), 1));
        view.on(new Event.StepStarted("app1", 7, 15, "refresh"));
        view.on(new Event.StepFinished("app1", 7, 15, "refresh", true, true, null, Duration.ofMillis(80), false));
        view.on(new Event.HostWaiting("app1", "before safe-cutover", "pgbouncer's cached answer for the probe to expire"));
        columns.set(200);
        clock.addAndGet(Duration.ofSeconds(12).toNanos());

        view.redraw();

        assertThat(last(statusLines())).endsWith("app1 before safe-cutover 12 s, waiting for pgbouncer's cached answer for the probe to expire");
    }

    @Test
    void aResizeRedrawsAtTheNewWidth() {
        columns.set(200);
        view.on(new Event.RunStarted("r1", 2, List.of(List.of("app1", "app2")), 2));
        view.on(new Event.StepStarted("app1", 5, 15, "bind-start"));
        view.on(new Event.StepStarted("app2", 5, 15, "bind-start"));
        assertThat(last(statusLines())).contains("app2");

        columns.set(40);
        view.redraw();

        assertThat(Columns.of(last(statusLines()))).isLessThanOrEqualTo(39);
    }

    @Test
    void aMessageIsPrintedAboveTheStatusLineWhichIsThenDrawnAgain() {
        view.on(new Event.RunStarted("r1", 1, List.of(List.of("app1")), 1));
        view.on(new Event.StepStarted("app1", 5, 15, "bind-start"));
        String before = out.toString();

        view.writerAbove(new PrintWriter(err, true)).println("cutover: interrupt: no new host starts");

        assertThat(err.toString()).isEqualTo("cutover: interrupt: no new host starts" + System.lineSeparator());
        String after = out.toString().substring(before.length());
        assertThat(after).startsWith(ERASE).endsWith("app1 bind-start 5/15\r");
    }

    @Test
    void nothingIsDrawnOverAPassphrasePromptAndTheStatusLineComesBackAfterIt() {
        view.on(new Event.RunStarted("r1", 1, List.of(List.of("app1")), 1));
        view.on(new Event.HostStarted("app1"));
        StringBuilder whileAsked = new StringBuilder();
        PassphraseSource asking = key -> {
            int before = out.toString().length();
            view.on(new Event.StepStarted("app1", 1, 15, "preflight"));
            view.redraw();
            whileAsked.append(out.toString().substring(before));
            return Optional.empty();
        };

        view.pausedFor(asking).passphraseFor(Path.of("id_ed25519"));

        assertThat(whileAsked.toString()).isEmpty();
        assertThat(last(statusLines())).endsWith("app1 preflight 1/15");
    }

    @Test
    void theRunsEndErasesTheStatusLineAndNothingIsDrawnAfter() {
        run();
        int drawn = statusLines().size();

        view.redraw();
        view.close();

        assertThat(out.toString()).endsWith(ERASE);
        assertThat(statusLines()).hasSize(drawn);
    }

    @Test
    void hostLinesStayWholeOnTheirOwnLines() {
        run();

        assertThat(out.toString().replace(ERASE, "\n")).contains("\napp1     CHANGED in 2.4 s\n", "\nbatch 1/1: app1, app2\n");
    }

    private void run() {
        view.on(new Event.RunStarted("r1", 2, List.of(List.of("app1", "app2")), 2));
        view.on(new Event.BatchStarted(1, 1, List.of("app1", "app2")));
        for (String host : List.of("app1", "app2")) {
            view.on(new Event.HostStarted(host));
            view.on(new Event.StepStarted(host, 11, 15, "trigger"));
            view.on(new Event.HostWaiting(host, "trigger", "pgbouncer's lookup of the probe name (up to 1.5 s)"));
        }
        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        view.redraw();
        view.on(new Event.HostFinished("app1", HostStatus.CHANGED, null, 4, 7, Duration.ofMillis(2400), null));
        view.on(new Event.HostFinished("app2", HostStatus.CHANGED, null, 4, 7, Duration.ofMillis(2500), null));
        view.on(new Event.RunFinished("r1", "done", 0));
    }

    /** What each redraw drew: the text between an erase and the carriage return that ends it. */
    private List<String> statusLines() {
        return Arrays.stream(out.toString().split("\r\033\\[J", -1)).filter(s -> s.endsWith("\r"))
                .map(s -> s.substring(s.lastIndexOf('\n') + 1, s.length() - 1)).toList();
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }
}
