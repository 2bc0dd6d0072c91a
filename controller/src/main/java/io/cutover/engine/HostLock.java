package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.helper.Helper;
import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperException;
import io.cutover.helper.HelperResult;
import io.cutover.journal.JournalEvent;
import io.cutover.ssh.SshException;
import java.util.List;
import java.util.Optional;

/**
 * One controller per host: the helper's host lock, taken and released the same way by apply,
 * resume and {@code cutover rollback}. A lock left by an earlier attempt of this very run that
 * died holding it (stale: its SSH session is gone) is taken over, and that is journaled; any
 * other holder refuses the host.
 */
final class HostLock {

    private final Helper helper;
    private final RunContext run;

    HostLock(Helper helper, RunContext run) {
        this.helper = helper;
        this.run = run;
    }

    /** Takes the lock; empty when this run holds it now, else why the host is refused. */
    Optional<String> take(Recorder recorder, String host) {
        HelperResult lock = helper.call(HelperCall.of("lock", List.of("--owner", run.lockOwner())));
        if (!lock.ok() && staleLockOfThisRun(lock)) {
            lock = helper.call(HelperCall.of("lock", List.of("--owner", run.lockOwner(), "--break-stale")));
            recorder.tryRecord(new JournalEvent.LockTakenOver(host, lock.data().path("broken")));
        }
        if (lock.ok()) {
            return Optional.empty();
        }
        return Optional.of(lock.exitCode() == HelperResult.BUSY
                ? "locked by another controller: " + lock.data().path("holder") : "lock: " + lock.describeFailure());
    }

    /** Releases the lock; a link that is gone already made it stale, which is reported as such. */
    void release() {
        try {
            helper.call(HelperCall.of("unlock", List.of("--owner", run.lockOwner())));
        } catch (SshException | HelperException e) {
            // The lock's lease names our SSH session; once it is gone the lock is stale and reported as such.
        }
    }

    private boolean staleLockOfThisRun(HelperResult lock) {
        JsonNode holder = lock.data().path("holder");
        return lock.exitCode() == HelperResult.BUSY && holder.path("stale").asBoolean()
                && holder.path("owner").asText().endsWith(" run=" + run.runId());
    }
}
