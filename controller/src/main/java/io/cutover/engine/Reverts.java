package io.cutover.engine;

import io.cutover.helper.Helper;
import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperResult;
import java.time.Duration;
import java.util.List;

/** Undoing a whole run on one host through its helper, guard included. */
final class Reverts {

    private static final int BUSY_RETRIES = 20;

    private Reverts() {
    }

    /**
     * Disarms the run's guard (if armed) and reverts every undo record of the run, newest first;
     * the helper verifies each undo. If the guard is firing right now, the helper answers busy and
     * this waits for it, then reverts what is left (nothing, usually).
     */
    static HelperResult revert(Helper helper, String runId, Duration timeout) {
        helper.call(HelperCall.of("guard-disarm", List.of("--run", runId)));
        HelperResult result = helper.call(HelperCall.of("revert", List.of(runId)), timeout.multipliedBy(3));
        for (int attempt = 0; attempt < BUSY_RETRIES && result.exitCode() == HelperResult.BUSY; attempt++) {
            sleep();
            result = helper.call(HelperCall.of("revert", List.of(runId)), timeout.multipliedBy(3));
        }
        return result;
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
