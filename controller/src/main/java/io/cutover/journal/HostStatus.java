package io.cutover.journal;

/** Where one host stands in a run, as the journal tells it. */
public enum HostStatus {
    /** Not started yet. */
    PENDING,
    /** Started and not finished: after a crash, its helper state must be reconciled before anything else. */
    RUNNING,
    /** Every step done; nothing was left to change ({@code ok}) or something was ({@code changed}). */
    OK,
    CHANGED,
    /** A step failed and the host was rolled back (verified): it is as it was before the run. */
    ROLLED_BACK,
    /** A step failed and the rollback did not complete or could not be verified: needs a human. */
    FAILED,
    /** Refused before any change: a precondition failed, the host was locked or unreachable, its key changed. */
    REFUSED,
    /** Never started because the rollout was aborted first. */
    SKIPPED,
    /** Undone later by {@code cutover rollback}. */
    REVERTED;

    public boolean finished() {
        return this == OK || this == CHANGED || this == REVERTED;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
