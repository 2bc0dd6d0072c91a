package io.cutover.report;

import io.cutover.journal.JournalEvent;
import io.cutover.journal.HostStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report as written: one self-contained HTML page with the chart, or Markdown tables; every value escaped. */
class ReportRendererTest {

    private static final String HOSTILE_HOST = "<script>alert(1)</script>|x";
    private static final String HOSTILE_REASON = "bind-check: </td><img src=x onerror=alert(2)> [link](http://evil) `code` | *";

    @TempDir
    Path dir;

    private RunReport report(Consumer<RunJournal> writes) {
        return RunJournal.report(dir, writes);
    }

    private static String render(RunReport report, ReportRenderer.Format format) {
        return new ReportRenderer().render(report, format, Instant.parse("2026-11-26T09:00:00Z"), "cutover 1.0-test");
    }

    private RunReport doneAndRolledBack() {
        return report(j -> j.start("app1", "app2").provedHost("app1").host("app2")
                .failedStep("app2", 4, "bind-check", "bind-check", 90, "bind-check: named-checkconf failed")
                .record(new JournalEvent.RollbackStart("app2", "bind-check: named-checkconf failed", JournalEvent.Scope.ALL))
                .record(new JournalEvent.RollbackDone("app2", true, JournalEvent.json(Map.of("undone", List.of(Map.of("seq", 1))))))
                .record(new JournalEvent.HostEnd("app2", HostStatus.ROLLED_BACK, "bind-check: named-checkconf failed",
                        1000L, 0, 0, null))
                .end("failed", 1));
    }

    @Test
    void theHtmlIsOnePageWithNoScriptNoExternalUrlAndAnSvgRowPerHost() {
        String html = render(doneAndRolledBack(), ReportRenderer.Format.HTML);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>", "<svg class=\"timeline\"")
                .doesNotContain("<script", "<link", "src=", "http://", "https://", "@import", "url(");
        assertThat(count(html, "<g class=\"row\" data-host=")).isEqualTo(2);
        assertThat(html).contains("data-host=\"app1\"", "data-host=\"app2\"", "class=\"ban\"", "class=\"rollback\"",
                "class=\"step-failed\"");
        assertThat(html).contains("cutover run <span class=\"mono\">" + RunJournal.RUN + "</span>", "deploy (sudo from alice)",
                "bastion1", "a".repeat(64), "b".repeat(64), "c".repeat(64));
        assertThat(html).contains("127.0.0.1:53", "xaxa-probe.lab.test", "gdb-cares", "stopped 360 ms", "verified",
                "bind-check: named-checkconf failed", "automatic, all scope");
        assertThat(html).contains("Generated 2026-11-26 09:00:00 UTC by <code>cutover report</code> (cutover 1.0-test)");
    }

    @Test
    void aHostileHostNameAndReasonAreEscapedInTheHtml() {
        String html = render(hostile(), ReportRenderer.Format.HTML);

        assertThat(html).doesNotContain("<script", "<img", "</td><img").contains("&lt;script&gt;alert(1)&lt;/script&gt;|x",
                "&lt;img src=x onerror=alert(2)&gt;");
        assertThat(html).contains("data-host=\"&lt;script&gt;alert(1)&lt;/script&gt;|x\"");
    }

    @Test
    void aHostileHostNameAndReasonCannotBreakTheMarkdownTables() {
        String markdown = render(hostile(), ReportRenderer.Format.MARKDOWN);

        assertThat(markdown).doesNotContain("<script", "<img", " [link](").contains("&lt;script&gt;alert(1)&lt;/script&gt;\\|x",
                "\\[link\\](http://evil) \\`code\\` \\| \\*");
        // every row of the hosts table still has its 8 cells
        markdown.lines().filter(l -> l.startsWith("| &lt;script")).forEach(l ->
                assertThat(count(l.replace("\\|", ""), "|")).as(l).isEqualTo(9));
    }

    @Test
    void theMarkdownHasTheSameFactsAsTables() {
        String markdown = render(doneAndRolledBack(), ReportRenderer.Format.MARKDOWN);

        assertThat(markdown).startsWith("# cutover run " + RunJournal.RUN + ": failed")
                .contains("| Ran by | deploy (sudo from alice) |")
                .contains("| app1 | changed | ")
                .contains("| app2 | rolled back | ")
                .contains("| 18:30:", " | query | **127.0.0.1:52017** | **127.0.0.1:53** | A |")
                .contains("| 54 | gdb-cares | stopped 360 ms (gdb attached) | 0 lost (0 client) |")
                .contains("**Ban window**: 10.0.0.11, 10.0.0.12 banned from 18:30:")
                .contains("| automatic, all scope | bind-check: named-checkconf failed | verified | 1 |")
                .contains("| playbook | " + "a".repeat(64) + " |")
                .doesNotContain("<svg", "${");
        assertThat(markdown).doesNotContainPattern("\n\n\n");
    }

    private RunReport hostile() {
        return report(j -> j.start(HOSTILE_HOST).host(HOSTILE_HOST)
                .failedStep(HOSTILE_HOST, 4, "bind-check", "bind-check", 90, HOSTILE_REASON)
                .record(new JournalEvent.HostEnd(HOSTILE_HOST, HostStatus.FAILED, HOSTILE_REASON, 100L, 0, 0, null))
                .end("failed", 1));
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
