package io.cutover.report;

import io.cutover.journal.JournalEvent;
import io.cutover.journal.HostStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.journal.JournalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's facts, read from journals the real Journal wrote. */
class ReportReaderTest {

    @TempDir
    Path dir;

    private RunReport report(Consumer<RunJournal> writes) {
        return RunJournal.report(dir, writes);
    }

    private static HostReport host(RunReport report, String name) {
        return report.hosts().stream().filter(h -> h.host().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aDoneRunShowsWhoRanItItsInputsAndEachHostsProofRefreshAndBanWindow() {
        RunReport report = report(j -> j.start("app1", "app2").provedHost("app1").provedHost("app2").end("done", 0));

        assertThat(report.runId()).isEqualTo(RunJournal.RUN);
        assertThat(report.outcome()).isEqualTo("done");
        assertThat(report.ranBy()).isEqualTo("deploy (sudo from alice)");
        assertThat(report.controller()).isEqualTo("bastion1");
        assertThat(report.started()).isEqualTo("2026-11-25 18:30:00 UTC");
        assertThat(report.inputs()).containsEntry("playbook", "a".repeat(64)).containsEntry("inventory", "b".repeat(64))
                .containsEntry("extra_vars", "c".repeat(64));
        assertThat(report.journalHash()).hasSize(64);
        HostReport app1 = host(report, "app1");
        assertThat(app1.status()).isEqualTo("changed");
        assertThat(app1.steps()).extracting(HostReport.Step::name).containsExactly("preflight", "refresh", "ban-old", "capture",
                "trigger", "verify", "unban");
        assertThat(app1.steps().get(1).took()).isEqualTo("2.2 s");
        // the one definition of changed: the block's steps are transient, verify reads only
        assertThat(app1.steps()).extracting(HostReport.Step::result).containsExactly("ok", "changed", "transient", "transient",
                "ok", "ok", "transient");
        assertThat(app1.capture().proven()).isTrue();
        assertThat(app1.capture().packets()).extracting(HostReport.Packet::destination).containsExactly("127.0.0.1:53", "10.0.0.13:53");
        assertThat(app1.capture().packets().get(0).source()).isEqualTo("127.0.0.1:52017");
        assertThat(app1.refreshes()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("gdb-cares");
            assertThat(r.stall()).isEqualTo("stopped 360 ms (gdb attached)");
        });
        assertThat(app1.waitedS()).isEqualTo(3);
        // banned from the ban step's start to the unban step's end: ban 200 + capture 300 + trigger 1700 + verify 150 + unban 100 ms, and the records between
        assertThat(app1.bans().get(0).addresses()).containsExactly("10.0.0.11", "10.0.0.12");
        assertThat(app1.bans().get(0).liftedBy()).isEqualTo("the unban step");
        assertThat(app1.bans().get(0).lasted()).isEqualTo("2.5 s");
        assertThat(report.summary().proven()).isEqualTo(2);
        assertThat(report.summary().banned()).isEqualTo(2);
        assertThat(report.summary().byStatus()).singleElement().isEqualTo(new RunReport.Count("changed", "changed", 2));
    }

    @Test
    void theTimelineHasOneRowPerHostOneBarPerStepAndTheBanBandBetweenTheBanAndTheUnban() {
        RunReport report = report(j -> j.start("app1", "app2").provedHost("app1").provedHost("app2").end("done", 0));

        Timeline timeline = report.timeline();
        assertThat(timeline.rows()).extracting(Timeline.Row::host).containsExactly("app1", "app2");
        Timeline.Row app1 = timeline.rows().get(0);
        Timeline.Row app2 = timeline.rows().get(1);
        assertThat(app1.bars()).hasSize(7).allMatch(b -> b.cssClass().startsWith("step-"));
        Timeline.Bar ban = app1.bars().get(2);
        Timeline.Bar unban = app1.bars().get(6);
        assertThat(app1.bans().get(0).x()).isEqualTo(ban.x());
        assertThat(app1.bans().get(0).x() + app1.bans().get(0).width()).isCloseTo(unban.x() + unban.width(), org.assertj.core.data.Offset.offset(0.2));
        // app2 ran after app1: its bars are to the right, and nothing leaves the chart
        assertThat(app2.bars().get(0).x()).isGreaterThan(app1.bars().get(6).x());
        assertThat(timeline.rows()).flatExtracting(Timeline.Row::bars)
                .allMatch(b -> b.x() >= Timeline.LABEL_WIDTH && b.x() + b.width() <= timeline.width());
        assertThat(timeline.ticks()).first().extracting(Timeline.Tick::label).isEqualTo("0 s");
    }

    @Test
    void aHostThatFailedInTheBlockShowsTheFailureTheVerifiedRollbackAndTheBanItLifted() {
        RunReport report = report(j -> {
            j.start("app1", "app2").provedHost("app1").host("app2").refreshAndBan("app2")
                    .failedStep("app2", 13, "verify", "capture-verify", 150, "verify: no query went to 127.0.0.1:53")
                    .record(new JournalEvent.RollbackStart("app2", "verify: no query went to 127.0.0.1:53", JournalEvent.Scope.BLOCK))
                    .advance(800)
                    .record(new JournalEvent.RollbackDone("app2", true, JournalEvent.json(Map.of("undone", List.of(
                            Map.of("seq", 7, "action", "fw-unban"), Map.of("seq", 8, "action", "capture-stop")), "failed", List.of()))))
                    .record(new JournalEvent.HostEnd("app2", HostStatus.ROLLED_BACK, "verify: no query went to 127.0.0.1:53",
                            5000L, 1, 0, JournalEvent.json(Map.of("refresh", List.of(), "files", List.of()))))
                    .end("failed", 1);
        });

        HostReport app2 = host(report, "app2");
        assertThat(app2.status()).isEqualTo("rolled back");
        assertThat(app2.reason()).isEqualTo("verify: no query went to 127.0.0.1:53");
        assertThat(app2.steps()).last().satisfies(s -> {
            assertThat(s.result()).isEqualTo("failed");
            assertThat(s.error()).contains("no query went to 127.0.0.1:53");
        });
        assertThat(app2.rollbacks()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("automatic, block scope");
            assertThat(r.verified()).isTrue();
            assertThat(r.undone()).isEqualTo(2);
        });
        assertThat(app2.bans().get(0).liftedBy()).isEqualTo("the rollback");
        assertThat(app2.capture()).isNull();
        assertThat(report.outcome()).isEqualTo("failed");
        assertThat(report.summary().rollbacks()).isEqualTo(1);
        assertThat(report.summary().rollbacksVerified()).isEqualTo(1);
        assertThat(report.timeline().rows().get(1).bars()).extracting(Timeline.Bar::cssClass).contains("step-failed", "rollback");
    }

    @Test
    void anInterruptedRunShowsTheStepThatNeverEndedAndTheBanTheGuardStillHasToLift() {
        RunReport report = report(j -> j.start("app1", "app2").host("app1").refreshAndBan("app1")
                .startedStep("app1", 12, "trigger", "trigger"));

        assertThat(report.outcome()).isEqualTo("unfinished");
        assertThat(report.ended()).isNull();
        HostReport app1 = host(report, "app1");
        assertThat(app1.status()).isEqualTo("running");
        assertThat(app1.steps()).last().satisfies(s -> {
            assertThat(s.result()).isEqualTo("interrupted");
            assertThat(s.took()).isNull();
        });
        assertThat(app1.bans().get(0).to()).isNull();
        assertThat(app1.bans().get(0).liftedBy()).startsWith("nothing in the journal: the host's guard lifts it by 18:31:0");
        assertThat(host(report, "app2").steps()).isEmpty();
        Timeline.Row row = report.timeline().rows().get(0);
        assertThat(row.bars()).last().extracting(Timeline.Bar::cssClass).isEqualTo("step-interrupted");
        // a bar and a ban with no end reach the journal's last record, the chart's right edge
        double right = Timeline.WIDTH - 16;
        assertThat(row.bans().get(0).x() + row.bans().get(0).width()).isCloseTo(right, org.assertj.core.data.Offset.offset(0.2));
    }

    @Test
    void aResumedHostShowsBothAttemptsTheReconciliationAndTheCutOffStepEndingWithItsAttempt() {
        RunReport report = report(j -> {
            j.start("app1").host("app1").refreshAndBan("app1").startedStep("app1", 12, "trigger", "trigger").advance(600_000);
            j.record(new JournalEvent.Resume(List.of()))
                    .host("app1")
                    .record(new JournalEvent.Reconciled("app1", 6, true, true))
                    .proved("app1").end("done", 0);
        });

        HostReport app1 = host(report, "app1");
        assertThat(app1.attempts()).isEqualTo(2);
        assertThat(app1.steps()).extracting(HostReport.Step::attempt).containsSubsequence(1, 2);
        HostReport.Step cutOff = app1.steps().stream().filter(s -> s.attempt() == 1 && s.number() == 12).findFirst().orElseThrow();
        assertThat(cutOff.result()).isEqualTo("interrupted");
        assertThat(app1.rollbacks()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("reconciled by resume");
            assertThat(r.verified()).isTrue();
            assertThat(r.undone()).isEqualTo(6);
        });
        assertThat(app1.bans()).extracting(HostReport.Ban::liftedBy).containsExactly("the resume's reconciliation", "the unban step");
        assertThat(report.notes()).singleElement().asString().contains("resumed");
        // the cut-off step's bar ends with its attempt's last record, not ten minutes later at the journal's end
        Timeline.Bar bar = report.timeline().rows().get(0).bars().stream().filter(b -> b.cssClass().equals("step-interrupted"))
                .findFirst().orElseThrow();
        assertThat(bar.width()).isLessThan(2);
    }

    @Test
    void aBanTheGuardRevertedBeforeTheResumeEndsAtTheGuardsDeadline() {
        RunReport report = report(j -> j.start("app1").host("app1").refreshAndBan("app1")
                .startedStep("app1", 12, "trigger", "trigger").advance(600_000)
                .record(new JournalEvent.Resume(List.of())).host("app1")
                .record(new JournalEvent.Reconciled("app1", 4, false, true)));

        HostReport.Ban ban = host(report, "app1").bans().get(0);
        assertThat(ban.liftedBy()).isEqualTo("the host's guard at its deadline (the resume found it done)");
        // armed just before the ban with a 60 s deadline: about a minute, not the ten minutes until the resume
        assertThat(ban.lasted()).isEqualTo("60.0 s");
    }

    @Test
    void aLaterCutoverRollbackIsShownAsTheHostsRevertAndWhetherItWasVerified() {
        RunReport report = report(j -> j.start("app1").provedHost("app1").end("done", 0).advance(60_000)
                .record(new JournalEvent.RollbackRun(List.of("app1"))).advance(3000)
                .record(new JournalEvent.HostEnd("app1", HostStatus.REVERTED, null, 3000L, null, null, null)));

        HostReport app1 = host(report, "app1");
        assertThat(app1.status()).isEqualTo("reverted");
        assertThat(app1.rollbacks()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("cutover rollback");
            assertThat(r.verified()).isTrue();
        });
        assertThat(app1.capture().proven()).as("the proof of the apply is still shown").isTrue();
        assertThat(report.notes()).singleElement().asString().contains("`cutover rollback` of app1");
    }

    @Test
    void aJournalFromBeforeStepsRecordedTheirActionStillHasItsBanWindowAndProof() {
        RunReport report = report(j -> {
            j.start("app1").host("app1");
            j.record(new JournalEvent.StepStart("app1", 10, "ban-old", null)).advance(200)
                    .record(new JournalEvent.StepDone("app1", 10, "ban-old", true, false, 200,
                            JournalEvent.json(Map.of("backend", "nft", "addresses", List.of("10.0.0.11"), "verified", true))))
                    .record(new JournalEvent.StepStart("app1", 13, "verify", null)).advance(100)
                    .record(new JournalEvent.StepDone("app1", 13, "verify", true, false, 100, JournalEvent.json(RunJournal.capture())))
                    .record(new JournalEvent.StepStart("app1", 14, "unban", null)).advance(100)
                    .record(new JournalEvent.StepDone("app1", 14, "unban", true, false, 100,
                            JournalEvent.json(Map.of("backend", "nft", "verified", true))));
        });

        HostReport app1 = host(report, "app1");
        assertThat(app1.bans().get(0).liftedBy()).isEqualTo("the unban step");
        assertThat(app1.capture().proven()).isTrue();
        assertThat(report.ranBy()).isEqualTo("deploy (sudo from alice)");
    }

    @Test
    void aRecordWhoseTimeIsNoTimeIsRefusedWithItsLine() throws Exception {
        Path file = dir.resolve("journal.jsonl");
        try (RunJournal journal = new RunJournal(file)) {
            journal.start("app1");
        }
        Files.writeString(file, "{\"seq\":2,\"ts\":\"yesterday\",\"type\":\"host-start\",\"host\":\"app1\"}\n",
                java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> ReportReader.read(file)).isInstanceOf(JournalException.class)
                .hasMessageContaining(file + ":2: its `ts` is `yesterday`");
    }
}
