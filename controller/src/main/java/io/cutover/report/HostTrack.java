package io.cutover.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One host's records gathered as the journal is read: its steps with their times, the ban windows,
 * the refreshes, the capture and the rollbacks. Mutable while reading; {@link #report} makes the value.
 */
final class HostTrack {

    final String host;
    private int attempts;
    private String helperSha256;
    private Instant started;
    private Instant ended;
    final List<StepTrack> steps = new ArrayList<>();
    final List<BanTrack> bans = new ArrayList<>();
    private Instant guardDeadline;
    private Instant lastSeen;
    private JsonNode refreshes;
    private final List<JsonNode> stepRefreshes = new ArrayList<>();
    private JsonNode capture;
    private Integer waitedS;
    final List<RollbackTrack> rollbacks = new ArrayList<>();

    HostTrack(String host) {
        this.host = host;
    }

    /**
     * A step from its step-start to its step-done or step-failed. One that never ended has a null
     * {@code result} (interrupted) and, if the host was started again (resume), the {@code end} of
     * the host's last record before that; else a null {@code end}: it ran until the journal stops.
     */
    static final class StepTrack {
        final int attempt;
        final int number;
        final String name;
        final String action;
        final Instant start;
        Instant end;
        Long ms;
        String result;
        String error;

        StepTrack(int attempt, int number, String name, String action, Instant start) {
            this.attempt = attempt;
            this.number = number;
            this.name = name;
            this.action = action;
            this.start = start;
        }

        String resultOrInterrupted() {
            return result == null ? "interrupted" : result;
        }
    }

    /** A ban of the old servers, from its step's start to what lifted it; {@code to} null while nothing has. */
    static final class BanTrack {
        final Instant from;
        final List<String> addresses;
        Instant to;
        String liftedBy;

        BanTrack(Instant from, List<String> addresses) {
            this.from = from;
            this.addresses = List.copyOf(addresses);
        }
    }

    /** A rollback from its start to its result; {@code verified} null while the journal has no result. */
    static final class RollbackTrack {
        final String kind;
        final Instant start;
        final String reason;
        Instant end;
        Boolean verified;
        int undone;
        String problem;

        RollbackTrack(String kind, Instant start, String reason) {
            this.kind = kind;
            this.start = start;
            this.reason = reason;
        }
    }

    /** One record of this host during an apply or a resume. */
    void apply(JournalEvent.HostEvent event, Instant ts) {
        if (event instanceof JournalEvent.HostStart) {
            attempts++;
            started = started == null ? ts : started;
            // the attempt before this one was cut off: its open step ended with its last record
            steps.stream().filter(step -> step.result == null && step.end == null).forEach(step -> step.end = lastSeen);
        } else if (event instanceof JournalEvent.HelperPushed pushed) {
            helperSha256 = pushed.sha256();
        } else if (event instanceof JournalEvent.StepStart step) {
            steps.add(new StepTrack(attempts, step.step(), step.name(), step.action(), ts));
        } else if (event instanceof JournalEvent.StepDone step) {
            stepDone(step, ts);
        } else if (event instanceof JournalEvent.StepFailed failed) {
            open(failed.step()).ifPresent(s -> {
                s.end = ts;
                s.result = "failed";
                s.error = failed.error();
            });
        } else if (event instanceof JournalEvent.TriggerReady ready) {
            waitedS = ready.waitedS();
        } else if (event instanceof JournalEvent.GuardArmed armed) {
            guardDeadline = ts.plusSeconds(armed.deadlineS());
        } else if (event instanceof JournalEvent.RollbackStart rollback) {
            rollbacks.add(new RollbackTrack("automatic, " + (rollback.scope() == JournalEvent.Scope.BLOCK ? "block" : "all")
                    + " scope", ts, rollback.reason()));
        } else if (event instanceof JournalEvent.RollbackDone done) {
            rollbackDone(done, ts);
        } else if (event instanceof JournalEvent.Reconciled reconciled) {
            reconciled(reconciled, ts);
        } else if (event instanceof JournalEvent.HostEnd end) {
            ended = ts;
            JsonNode proof = orMissing(end.proof());
            if (proof.path("refresh").isArray()) {
                refreshes = proof.path("refresh");
            }
            if (proof.path("capture").isObject()) {
                capture = proof.path("capture");
            }
        }
        // facts, locks and the rest say nothing the report shows
        lastSeen = ts;
    }

    private void reconciled(JournalEvent.Reconciled reconciled, Instant ts) {
        RollbackTrack reconcile = new RollbackTrack("reconciled by resume", ts,
                "an interrupted attempt's changes undone before the steps ran again");
        reconcile.end = ts;
        reconcile.verified = reconciled.verified();
        reconcile.undone = (int) reconciled.revertedRecords();
        rollbacks.add(reconcile);
        if (reconciled.guardWasArmed() || guardDeadline == null) {
            liftBan(ts, "the resume's reconciliation");
        } else {
            // the guard was no longer armed: it had fired at its deadline and reverted the block
            liftBan(guardDeadline.isBefore(ts) ? guardDeadline : ts, "the host's guard at its deadline (the resume found it done)");
        }
    }

    /** A host-end written by {@code cutover rollback}: the revert of the whole run on the host. */
    void reverted(JournalEvent.HostEnd end, Instant ts) {
        RollbackTrack revert = new RollbackTrack("cutover rollback", ts.minusMillis(end.ms() == null ? 0 : end.ms()), null);
        revert.end = ts;
        revert.verified = end.status() == HostStatus.REVERTED;
        revert.problem = end.reason();
        rollbacks.add(revert); // the host's own start and end stay the apply's
    }

    private void stepDone(JournalEvent.StepDone done, Instant ts) {
        JsonNode data = orMissing(done.data());
        open(done.step()).ifPresent(step -> {
            step.end = ts;
            step.ms = done.ms();
            // the words of io.cutover.plan.Change, as plan, recap and status say them
            step.result = done.changed() ? "changed" : done.transientStep() ? "transient" : "ok";
            switch (action(step, data)) {
                case "fw-ban" -> {
                    List<String> addresses = new ArrayList<>();
                    data.path("addresses").forEach(a -> addresses.add(a.asText()));
                    liftBan(step.start, "the next ban, which replaced it"); // a ban left by an attempt nothing reconciled
                    bans.add(new BanTrack(step.start, addresses));
                }
                case "fw-unban" -> liftBan(ts, "the unban step");
                case "refresh" -> stepRefreshes.add(data);
                case "capture-verify" -> capture = data;
                default -> {
                    // not evidence
                }
            }
        });
    }

    /**
     * The step's action; journals from before step-start recorded it are read by the shape of the
     * helper's answer (fw-ban's addresses and backend, fw-unban's backend alone, refresh's method, the capture's packets).
     */
    private static String action(StepTrack step, JsonNode data) {
        if (step.action != null) {
            return step.action;
        }
        if (data.has("backend")) {
            return data.has("addresses") ? "fw-ban" : "fw-unban";
        }
        if (data.has("method") && data.has("pid")) {
            return "refresh";
        }
        return data.has("packets") ? "capture-verify" : "";
    }

    private void rollbackDone(JournalEvent.RollbackDone done, Instant ts) {
        RollbackTrack rollback = rollbacks.isEmpty() || rollbacks.get(rollbacks.size() - 1).end != null
                ? add(new RollbackTrack("automatic", ts, null)) : rollbacks.get(rollbacks.size() - 1);
        rollback.end = ts;
        rollback.verified = done.verified();
        JsonNode data = orMissing(done.data());
        rollback.undone = data.path("undone").size();
        JsonNode failed = data.path("failed");
        rollback.problem = failed.isArray() && !failed.isEmpty() ? "undo failed: " + failed : null;
        liftBan(ts, "the rollback");
    }

    /** Helper data a record lacks reads as a missing node: no evidence. */
    private static JsonNode orMissing(JsonNode data) {
        return data == null ? MissingNode.getInstance() : data;
    }

    private RollbackTrack add(RollbackTrack rollback) {
        rollbacks.add(rollback);
        return rollback;
    }

    private void liftBan(Instant ts, String by) {
        if (!bans.isEmpty() && bans.get(bans.size() - 1).to == null) {
            bans.get(bans.size() - 1).to = ts;
            bans.get(bans.size() - 1).liftedBy = by;
        }
    }

    private java.util.Optional<StepTrack> open(int number) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            StepTrack step = steps.get(i);
            if (step.number == number && step.result == null && step.end == null) {
                return java.util.Optional.of(step);
            }
        }
        return java.util.Optional.empty();
    }

    Instant started() {
        return started;
    }

    Instant ended() {
        return ended;
    }

    HostReport report(RunState.HostState state) {
        List<HostReport.Step> stepRows = steps.stream().map(s -> new HostReport.Step(s.attempt, s.number, s.name,
                s.action, Durations.time(s.start), s.ms != null ? Durations.of(java.time.Duration.ofMillis(s.ms))
                        : s.result != null ? Durations.between(s.start, s.end) : null, s.resultOrInterrupted(), s.error))
                .toList();
        List<HostReport.Ban> banRows = bans.stream().map(b -> new HostReport.Ban(Durations.time(b.from), Durations.time(b.to),
                Durations.between(b.from, b.to), b.addresses, b.to != null ? b.liftedBy : stillBanned())).toList();
        List<HostReport.Rollback> rollbackRows = rollbacks.stream().map(r -> new HostReport.Rollback(r.kind,
                Durations.time(r.start), r.reason, r.verified, r.undone, r.problem)).toList();
        return new HostReport(host, state.status().label(), state.status().name().toLowerCase(java.util.Locale.ROOT),
                state.reason(), Durations.time(started), Durations.time(ended), Durations.between(started, ended),
                attempts, helperSha256, stepRows, banRows, Evidence.refreshes(refreshes, stepRefreshes),
                Evidence.capture(capture), waitedS, rollbackRows);
    }

    private String stillBanned() {
        return guardDeadline == null ? "nothing in the journal: check the host (`cutover-helper state RUN`)"
                : "nothing in the journal: the host's guard lifts it by " + Durations.time(guardDeadline) + " (its deadline)";
    }
}
