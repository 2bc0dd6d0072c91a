package io.cutover.plan;

import io.cutover.playbook.Action;
import io.cutover.playbook.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How long a host's old servers stay banned in its proof block, estimated from the playbook alone:
 * from the end of the fw-ban step to the end of the fw-unban step, each trigger counts its timeout
 * and every other step {@link #PER_STEP_MS} (the lab measures 0.1–0.25 s per helper call; the
 * estimate is kept on the safe side), rounded up to a second and never beyond the guard's
 * deadline, which bounds the ban whatever happens. A pgbouncer trigger that still finds the probe's
 * answer cached waits it out inside the window: that wait is not in the estimate.
 */
public record BanWindow(long seconds, Duration deadline) {

    static final long PER_STEP_MS = 500;

    public static Optional<BanWindow> of(HostPlan host) {
        List<PlannedStep> steps = host.steps();
        int ban = indexOf(steps, Action.FW_BAN, 0);
        int unban = ban < 0 ? -1 : indexOf(steps, Action.FW_UNBAN, ban);
        if (unban < 0 || host.guardedBlock() == null) {
            return Optional.empty();
        }
        long ms = 0;
        for (PlannedStep step : steps.subList(ban + 1, unban + 1)) {
            ms += step.action() == Action.TRIGGER && step.args().get("timeout") instanceof Duration timeout ? timeout.millis() : PER_STEP_MS;
        }
        Duration deadline = host.guardedBlock().deadline();
        return Optional.of(new BanWindow(Math.min((ms + 999) / 1000, deadline.seconds()), deadline));
    }

    private static int indexOf(List<PlannedStep> steps, Action action, int from) {
        for (int i = from; i < steps.size(); i++) {
            if (steps.get(i).action() == action) {
                return i;
            }
        }
        return -1;
    }

    /** "about 4 s (at most the guard's 60s)". */
    public String describe() {
        return "about " + seconds + " s (at most the guard's " + deadline + ")";
    }
}
