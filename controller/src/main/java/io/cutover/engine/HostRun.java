package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.helper.Helper;
import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperException;
import io.cutover.helper.HelperResult;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.JournalWriteException;
import io.cutover.plan.Change;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedCall;
import io.cutover.plan.PlannedStep;
import io.cutover.playbook.Action;
import io.cutover.ssh.CommandTimeoutException;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshException;
import io.cutover.yaml.InputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host through one run: connect, facts, plan, preflight, lock, push the helper, the steps
 * (the block under the host's guard), and on any failure the rollback, verified. Never throws:
 * every ending is a {@link HostOutcome} and is in the journal — unless the journal itself cannot
 * be written, which ends the host (rolled back if it had started its steps) with that reason.
 */
final class HostRun {

    private final String host;
    private final RunContext run;
    private final Recorder recorder;
    private final long startNanos = System.nanoTime();
    private int changedSteps;
    private int transientSteps;
    private boolean guardArmed;
    /** When the guard's deadline was last set (armed or renewed), on the run's guard clock. */
    private long guardSetNanos;
    private final Proof proof = new Proof();

    HostRun(String host, RunContext run, Recorder recorder) {
        this.host = host;
        this.run = run;
        this.recorder = recorder;
    }

    HostOutcome execute() {
        try {
            recorder.record(new JournalEvent.HostStart(host));
        } catch (JournalWriteException e) {
            recorder.tell(new Event.HostStarted(host));
            return end(HostStatus.REFUSED, e.getMessage() + "; nothing was done on the host");
        }
        recorder.tell(new Event.HostStarted(host));
        SshConnection connection;
        try {
            connection = run.connect(host);
        } catch (SshException | InputException e) {
            return end(HostStatus.REFUSED, e.getMessage());
        }
        try (connection) {
            Helper helper = run.helper(connection);
            return withConnection(helper);
        } catch (SshException e) {
            return connectionLost(e);
        } catch (HelperException e) {
            // Before the first step (facts, push, lock) nothing has changed on the host.
            return end(HostStatus.REFUSED, e.getMessage());
        } catch (JournalWriteException e) {
            // Also before the first step: once steps run, a journal failure rolls the host back there.
            return end(HostStatus.REFUSED, e.getMessage() + "; no step of this run was done on the host");
        }
    }

    private HostOutcome withConnection(Helper helper) {
        if (helper.install()) {
            recorder.record(new JournalEvent.HelperPushed(host, run.script().sha256()));
        }
        HostLock lock = new HostLock(helper, run);
        Optional<String> refused = lock.take(recorder, host);
        if (refused.isPresent()) {
            return end(HostStatus.REFUSED, refused.get());
        }
        try {
            // Facts only once the host is ours: another controller's half-done block (alternate
            // forwarders, a ban) must never become what this run takes for the host's "before".
            Prepare prepare = new Prepare(run);
            Map<String, Object> journaled = run.journaledFacts(host);
            if (journaled == null) {
                waiting("facts", "the helper to read the host's facts");
            }
            Prepare.Prepared prepared = prepare.prepare(helper, host, journaled);
            if (!prepared.facts().ok()) {
                return end(HostStatus.REFUSED, "facts: " + prepared.facts().error());
            }
            if (journaled == null) {
                Map<String, Object> facts = prepared.facts().report();
                recorder.record(new JournalEvent.Facts(host, JournalEvent.json(facts)));
            }
            if (!prepared.ok()) {
                return end(HostStatus.REFUSED, prepared.planError());
            }
            HostPlan plan = prepared.plan();
            if (!plan.preflight().isEmpty()) {
                return end(HostStatus.REFUSED, "preflight: " + String.join("; ", plan.preflight()));
            }
            if (run.attemptedBefore(host)) {
                try {
                    reconcile(helper);
                    plan = withRunningProcesses(helper, prepare, prepared.facts());
                } catch (StepFailure e) {
                    return end(HostStatus.FAILED, e.getMessage() + "; the host's undo log is kept: `cutover rollback` or "
                            + "`cutover resume` again");
                }
                if (!plan.preflight().isEmpty()) {
                    return end(HostStatus.REFUSED, "preflight: " + String.join("; ", plan.preflight()));
                }
            }
            return steps(helper, plan);
        } finally {
            lock.release();
        }
    }

    private HostOutcome steps(Helper helper, HostPlan plan) {
        List<PlannedStep> steps = plan.steps();
        String qname = null;
        Map<String, String> triggered = new java.util.HashMap<>();
        int total = steps.size();
        for (int i = 0; i < total; i++) {
            PlannedStep step = steps.get(i);
            if (run.abortRequested()) {
                return rollback(helper, plan, step, "aborted by the operator (second interrupt)");
            }
            try {
                if (step.inBlock() && !guardArmed) {
                    armGuard(helper, plan);
                } else if (step.inBlock()) {
                    renewGuardIfDue(helper, plan);
                }
                recorder.record(new JournalEvent.StepStart(host, step.number(), step.name(),
                        step.action().key()));
                recorder.tell(new Event.StepStarted(host, step.number(), total, step.name()));
                long t0 = System.nanoTime();
                boolean changed = false;
                JsonNode data = null;
                for (PlannedCall planned : step.calls()) {
                    HelperCall call = planned.toSend(new PlannedCall.RunValues(qname));
                    waiting(step.name(), call.waitsFor());
                    HelperResult result = helper.call(call, timeoutFor(step));
                    if (!result.ok()) {
                        throw new StepFailure(step.name() + ": " + result.describeFailure());
                    }
                    changed |= result.changed();
                    data = result.data();
                    proof.add(step, data);
                    if (step.action() == Action.TRIGGER) {
                        qname = result.data().path("qname").asText(null);
                        String earlier = qname == null ? null : triggered.putIfAbsent(qname, step.name());
                        if (earlier != null) {
                            // one capture serves every trigger: its verify could not tell the two lookups apart
                            throw new StepFailure(step.name() + ": looked up " + qname + ", as trigger `" + earlier
                                    + "` did: its capture-verify could pass on the other's lookup; give each trigger its own name");
                        }
                    }
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                // One definition of changed (Change): the block's changes are transient, it restores what it
                // swaps, so only lasting ones make a host "changed": a rerun that only proves again reports ok.
                Change change = Change.ran(step, changed);
                changedSteps += change == Change.LASTING ? 1 : 0;
                transientSteps += change == Change.TRANSIENT ? 1 : 0;
                recorder.record(new JournalEvent.StepDone(host, step.number(), step.name(),
                        change == Change.LASTING, change == Change.TRANSIENT,
                        took.toMillis(), JournalEvent.json(data == null ? Map.of() : data)));
                recorder.tell(new Event.StepFinished(host, step.number(), total, step.name(), change == Change.LASTING, true,
                        null, took, change == Change.TRANSIENT));
                boolean lastOfBlock = step.inBlock() && (i + 1 == total || !steps.get(i + 1).inBlock());
                if (lastOfBlock) {
                    disarmGuard(helper);
                }
            } catch (StepFailure | HelperException | CommandTimeoutException e) {
                // A step that timed out (the helper call was killed; the link is still up) is a failed
                // step like any other: the host is rolled back, not left half-done as "connection lost".
                recorder.record(new JournalEvent.StepFailed(host, step.number(), step.name(), e.getMessage()));
                recorder.tell(new Event.StepFinished(host, step.number(), total, step.name(), false, false, e.getMessage(),
                        Duration.ZERO, false));
                return rollback(helper, plan, step, e.getMessage());
            } catch (JournalWriteException e) {
                // What this step would do could not be journaled first: it must not go on, and
                // what the host has done so far is undone from its own undo log.
                return rollback(helper, plan, step, "stopped at step " + step.number() + ": " + e.getMessage());
            }
        }
        return end(changedSteps > 0 ? HostStatus.CHANGED : HostStatus.OK, null);
    }

    /**
     * Resume: whatever an interrupted attempt left on the host (a half-done block, an armed guard)
     * is reverted through the helper's undo log before the steps run again from the start, so no
     * step's effect is ever applied on top of itself.
     */
    private void reconcile(Helper helper) {
        HelperResult state = helper.call(HelperCall.of("state", List.of(run.runId())));
        long applied = state.data().path("applied").asLong();
        boolean guard = "armed".equals(state.data().path("guard").path("status").asText());
        if (applied > 0 || guard) {
            HelperResult reverted = new HostRevert(helper, run.runId(), run.commandTimeout()).all();
            recorder.record(new JournalEvent.Reconciled(host, applied, guard,
                    reverted.ok()));
            if (!reverted.ok()) {
                throw new StepFailure("reconcile: " + reverted.describeFailure());
            }
        }
    }

    private Duration timeoutFor(PlannedStep step) {
        // gdb attaching to a large process and BIND starting can take longer than a plain call; a
        // package install downloads from the host's mirror (3.6 s from the lab's, minutes from a slow one).
        return switch (step.action()) {
            case REFRESH, BIND_START -> run.commandTimeout().multipliedBy(2);
            case BIND_INSTALL -> run.commandTimeout().multipliedBy(5);
            default -> run.commandTimeout();
        };
    }

    private void armGuard(Helper helper, HostPlan plan) {
        for (PlannedCall planned : plan.beforeGuard()) {
            HelperCall wait = planned.toSend(new PlannedCall.RunValues(null));
            waiting("before " + plan.guardedBlock().name(), wait.waitsFor());
            HelperResult waited = helper.call(wait);
            if (!waited.ok()) {
                throw new StepFailure("before the block (waiting out pgbouncer's cached answer): " + waited.describeFailure());
            }
            recorder.record(new JournalEvent.TriggerReady(host, waited.data().path("waited_s").asInt(),
                    waited.data().path("cares_cache_flushed").asBoolean(false)));
        }
        long seconds = plan.guardedBlock().deadline().seconds();
        // the guard reverts what comes after the run's newest undo record, which it reports
        HelperResult armed = helper.call(HelperCall.of("guard-arm",
                List.of("--run", run.runId(), "--to-last", Long.toString(seconds))));
        if (!armed.ok()) {
            throw new StepFailure("guard-arm: " + armed.describeFailure());
        }
        String revertTo = armed.data().path("guard").path("revert_to").asText("");
        if (!revertTo.matches("[0-9]{1,18}")) {
            throw new StepFailure("guard-arm: the guard names no undo record to revert to: " + armed.data());
        }
        long seq = Long.parseLong(revertTo);
        guardArmed = true;
        guardSetNanos = run.guardNanos();
        run.guardSeq(host, seq);
        recorder.record(new JournalEvent.GuardArmed(host, seq, seconds));
    }

    /**
     * A slow but live controller (hundreds of hosts at once) must not be reverted under itself:
     * once a quarter of the guard's window has passed (the helper sets deadlines in whole seconds,
     * and a step must still fit in what is left), the next step of the block first moves the
     * deadline a whole window on; a block of normal speed never needs it. A controller that dies, or loses its link, still leaves a host that reverts
     * at most one window after its last sign of life (the fault suite's kill and link-cut cases).
     */
    private void renewGuardIfDue(Helper helper, HostPlan plan) {
        long seconds = plan.guardedBlock().deadline().seconds();
        if (run.guardNanos() - guardSetNanos < Duration.ofSeconds(seconds).toNanos() / 4) {
            return;
        }
        HelperResult renewed = helper.call(HelperCall.of("guard-renew", List.of("--run", run.runId(), Long.toString(seconds))));
        if (!renewed.ok()) {
            throw new StepFailure("guard-renew: " + renewed.describeFailure());
        }
        guardSetNanos = run.guardNanos();
        recorder.record(new JournalEvent.GuardRenewed(host, seconds));
    }

    private void disarmGuard(Helper helper) {
        HelperResult disarmed = helper.call(HelperCall.of("guard-disarm", List.of("--run", run.runId())));
        if (!disarmed.ok()) {
            throw new StepFailure("guard-disarm: " + disarmed.describeFailure());
        }
        guardArmed = false;
        recorder.record(new JournalEvent.GuardDisarmed(host));
    }

    private HostOutcome rollback(Helper helper, HostPlan plan, PlannedStep failed, String reason) {
        boolean blockOnly = !run.rollbackAll() && (failed.inBlock() || guardArmed);
        recorder.tryRecord(new JournalEvent.RollbackStart(host, reason, blockOnly ? JournalEvent.Scope.BLOCK : JournalEvent.Scope.ALL));
        try {
            waiting("rollback", "the host's undo log to be reverted and verified");
            HostRevert revert = new HostRevert(helper, run.runId(), run.commandTimeout());
            HelperResult reverted = blockOnly ? revert.after(run.guardSeq(host)) : revert.all();
            guardArmed = false;
            recorder.tryRecord(new JournalEvent.RollbackDone(host, reverted.ok(), reverted.data()));
            if (!reverted.ok()) {
                return end(HostStatus.FAILED, reason + "; rollback NOT verified: " + reverted.describeFailure()
                        + " (see `cutover-helper state " + run.runId() + "` on the host)");
            }
            return end(HostStatus.ROLLED_BACK, reason);
        } catch (SshException | HelperException e) {
            return end(HostStatus.FAILED, reason + "; rollback interrupted: " + e.getMessage()
                    + (guardArmed ? " (the host's guard reverts the block at its deadline)" : ""));
        }
    }

    /** Tells the display what the host's next helper call waits for (nothing for a call that does not wait). */
    private void waiting(String step, String what) {
        if (what != null) {
            recorder.tell(new Event.HostWaiting(host, step, what));
        }
    }

    private HostOutcome connectionLost(SshException e) {
        String guard = guardArmed ? "; the host's guard reverts the block by itself at its deadline (or as the host boots, if it went down)" : "";
        return end(HostStatus.FAILED, "connection lost: " + e.getMessage() + guard + "; `cutover resume` redoes the host");
    }

    /** Resume, once reconciled: the host planned again with the processes that run now (facts: the journaled ones). */
    private HostPlan withRunningProcesses(Helper helper, Prepare prepare, Prepare.Facts journaled) {
        Prepare.Facts facts = prepare.withRunningProcesses(helper, host, journaled);
        if (!facts.ok()) {
            throw new StepFailure("facts: " + facts.error());
        }
        Map<String, Object> reread = facts.report();
        recorder.record(new JournalEvent.ProcessesReread(host, JournalEvent.json(reread.get("processes"))));
        try {
            return prepare.plan(host, facts);
        } catch (InputException e) {
            throw new StepFailure(e.getMessage());
        }
    }

    private HostOutcome end(HostStatus status, String why) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        JsonNode evidence = proof.isEmpty() ? null : proof.toJson();
        String reason = Recorder.withProblem(why, recorder.tryRecord(new JournalEvent.HostEnd(host, status,
                why, took.toMillis(), changedSteps, transientSteps,
                evidence)));
        recorder.tell(new Event.HostFinished(host, status, reason, changedSteps, transientSteps, took, evidence));
        return new HostOutcome(host, status, reason, changedSteps, transientSteps, took, evidence);
    }
}
