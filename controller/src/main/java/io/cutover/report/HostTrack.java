package io.cutover.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.Record;
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
    void apply(Record record, Instant ts) {
        apply(record.json(), record, ts);
        lastSeen = ts;
    }

    private void apply(JsonNode json, Record record, Instant ts) {
        switch (record.type()) {
            case "host-start" -> {
                attempts++;
                started = started == null ? ts : started;
                // the attempt before this one was cut off: its open step ended with its last record
                steps.stream().filter(step -> step.result == null && step.end == null).forEach(step -> step.end = lastSeen);
            }
            case "helper-pushed" -> helperSha256 = record.text("sha256");
            case "step-start" -> steps.add(new StepTrack(attempts, record.integer("step"), record.text("name"),
                    record.text("action"), ts));
            case "step-done" -> stepDone(record, ts);
            case "step-failed" -> open(record.integer("step")).ifPresent(s -> {
                s.end = ts;
                s.result = "failed";
                s.error = record.text("error");
            });
            case "trigger-ready" -> waitedS = json.path("waited_s").asInt();
            case "guard-armed" -> guardDeadline = ts.plusSeconds(json.path("deadline_s").asLong());
            case "rollback-start" -> rollbacks.add(new RollbackTrack("automatic, " + json.path("scope").asText("all")
                    + " scope", ts, record.text("reason")));
            case "rollback-done" -> rollbackDone(json, ts);
            case "reconciled" -> {
                RollbackTrack reconcile = new RollbackTrack("reconciled by resume", ts,
                        "an interrupted attempt's changes undone before the steps ran again");
                reconcile.end = ts;
                reconcile.verified = json.path("verified").asBoolean();
                reconcile.undone = json.path("reverted_records").asInt();
                rollbacks.add(reconcile);
                if (json.path("guard_was_armed").asBoolean() || guardDeadline == null) {
                    liftBan(ts, "the resume's reconciliation");
                } else {
                    // the guard was no longer armed: it had fired at its deadline and reverted the block
                    liftBan(guardDeadline.isBefore(ts) ? guardDeadline : ts, "the host's guard at its deadline (the resume found it done)");
                }
            }
            case "host-end" -> {
                ended = ts;
                JsonNode proof = json.path("proof");
                if (proof.path("refresh").isArray()) {
                    refreshes = proof.path("refresh");
                }
                if (proof.path("capture").isObject()) {
                    capture = proof.path("capture");
                }
            }
            default -> {
                // facts, locks and the rest say nothing the report shows
            }
        }
    }

    /** A host-end written by {@code cutover rollback}: the revert of the whole run on the host. */
    void reverted(Record record, Instant ts) {
        RollbackTrack revert = new RollbackTrack("cutover rollback", ts.minusMillis(record.json().path("ms").asLong()), null);
        revert.end = ts;
        revert.verified = "REVERTED".equals(record.text("status"));
        revert.problem = record.text("reason");
        rollbacks.add(revert); // the host's own start and end stay the apply's
    }

    private void stepDone(Record record, Instant ts) {
        JsonNode data = record.json().path("data");
        open(record.integer("step")).ifPresent(step -> {
            step.end = ts;
            step.ms = record.json().path("ms").asLong();
            // the words of io.cutover.plan.Change, as plan, recap and status say them
            step.result = record.json().path("changed").asBoolean() ? "changed"
                    : record.json().path("transient").asBoolean() ? "transient" : "ok";
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

    private void rollbackDone(JsonNode json, Instant ts) {
        RollbackTrack rollback = rollbacks.isEmpty() || rollbacks.get(rollbacks.size() - 1).end != null
                ? add(new RollbackTrack("automatic", ts, null)) : rollbacks.get(rollbacks.size() - 1);
        rollback.end = ts;
        rollback.verified = json.path("verified").asBoolean();
        rollback.undone = json.path("data").path("undone").size();
        JsonNode failed = json.path("data").path("failed");
        rollback.problem = failed.isArray() && !failed.isEmpty() ? "undo failed: " + failed : null;
        liftBan(ts, "the rollback");
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
