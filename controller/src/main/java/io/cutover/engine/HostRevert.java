package io.cutover.engine;

import io.cutover.helper.Helper;
import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Undoing a run on one host through its helper: the one routine behind apply's failure rollback,
 * resume's reconcile and {@code cutover rollback}. Two routines that differed in order and retry
 * once left a host FAILED at 200 hosts: its guard's own revert was running, the helper answered
 * the controller's revert "busy" (75), and that path did not wait.
 *
 * <ol>
 *   <li>revert with the guard still armed: a controller that dies now still leaves a host that
 *       reverts itself at the deadline;</li>
 *   <li>while the helper answers busy — the guard's revert (or a dead attempt's) holds the run's
 *       revert lock — wait and ask again: what the other revert left is then reverted and
 *       verified, and what it did is already marked undone (records are never undone twice);</li>
 *   <li>disarm the guard, which has nothing left to do ("already fired" is the expected answer
 *       when it was the guard that reverted).</li>
 * </ol>
 */
final class HostRevert {

    private static final Duration POLL = Duration.ofMillis(250);

    private final Helper helper;
    private final String runId;
    private final Duration callTimeout;

    /** @param commandTimeout one helper call's timeout: a revert may take three, and so may the wait for another */
    HostRevert(Helper helper, String runId, Duration commandTimeout) {
        this.helper = helper;
        this.runId = runId;
        this.callTimeout = commandTimeout.multipliedBy(3);
    }

    /** Reverts every record of the run, newest first. */
    HelperResult all() {
        return revert(OptionalLong.empty());
    }

    /** Reverts the records after {@code seq} (the guarded block), newest first. */
    HelperResult after(long seq) {
        return revert(OptionalLong.of(seq));
    }

    private HelperResult revert(OptionalLong after) {
        List<String> args = new ArrayList<>(List.of(runId));
        after.ifPresent(seq -> args.addAll(List.of("--to", Long.toString(seq))));
        HelperCall call = HelperCall.of("revert", args);
        long deadline = System.nanoTime() + callTimeout.toNanos();
        HelperResult result = helper.call(call, callTimeout);
        while (result.exitCode() == HelperResult.BUSY && System.nanoTime() < deadline && pause()) {
            result = helper.call(call, callTimeout);
        }
        helper.call(HelperCall.of("guard-disarm", List.of("--run", runId)));
        return result;
    }

    /** False when interrupted: the operator wants out, the busy answer stands. */
    private static boolean pause() {
        try {
            Thread.sleep(POLL.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
