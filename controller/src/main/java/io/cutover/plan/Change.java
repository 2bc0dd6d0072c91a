package io.cutover.plan;

/**
 * What a step changes on a host: the one definition of "changed" that the plan, the line log, the
 * recap, the journal and {@code status} all count by (docs/playbooks.md, "What "changed" means").
 * <ul>
 * <li>{@link #LASTING}: a mutating step outside the guarded block that changed something; the host
 *     keeps it after the run (BIND installed or configured, resolv.conf, a refreshed process). This is
 *     what makes a host "changed".
 * <li>{@link #TRANSIENT}: a mutating step inside the guarded block (alternate forwarders and their
 *     restore, the ban and unban, the capture). The block puts back what it swaps, so a host whose
 *     only changes are these is "ok": a rerun on a converged host proves again and changes nothing.
 * <li>{@link #NONE}: a read-only step (preflight, bind-check, the trigger, verify), or a mutating one
 *     that found nothing to do. What the helper reports as changed for a read-only action (verify stops
 *     the capture, the end of the capture's transient change) does not make it a change.
 * </ul>
 */
public enum Change {
    NONE("ok"), LASTING("changed"), TRANSIENT("transient");

    private final String label;

    Change(String label) {
        this.label = label;
    }

    /** The change {@code step} makes when it changes anything: by its action and its place in the playbook. */
    public static Change of(PlannedStep step) {
        if (!step.action().mutating()) {
            return NONE;
        }
        return step.inBlock() ? TRANSIENT : LASTING;
    }

    /** What a step that ran changed, from what the helper reported for it. */
    public static Change ran(PlannedStep step, boolean helperReportedChange) {
        return helperReportedChange ? of(step) : NONE;
    }

    /** The word the line log and the plan use: ok, changed, transient. */
    public String label() {
        return label;
    }
}
