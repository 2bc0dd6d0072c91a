package io.cutover.engine;

import io.cutover.helper.Helper;
import io.cutover.helper.HelperException;
import io.cutover.helper.HelperResult;
import io.cutover.journal.HostStatus;
import io.cutover.journal.Journal;
import io.cutover.journal.JournalEvent;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code cutover rollback}: undoes a run on its hosts — finished ones included — through each
 * host's own undo log, verified by the helper (files equal to their backups, the ban gone, BIND
 * reloaded, processes refreshed back to the restored resolv.conf).
 */
public final class Rollback {

    private final RunContext run;
    private final Journal journal;
    private final EventSink sink;
    private final int forks;

    public Rollback(RunContext run, Journal journal, EventSink sink, int forks) {
        this.run = run;
        this.journal = journal;
        this.sink = sink;
        this.forks = forks;
    }

    public List<HostOutcome> run(List<String> hosts) {
        Recorder recorder = new Recorder(journal, sink);
        recorder.record(new JournalEvent.RollbackRun(hosts));
        return Forks.map(hosts, forks, host -> revertHost(host, recorder));
    }

    private HostOutcome revertHost(String host, Recorder recorder) {
        long start = System.nanoTime();
        recorder.tell(new Event.HostStarted(host));
        HostStatus status;
        String reason = null;
        try (SshConnection connection = run.connect(host)) {
            Helper helper = run.helper(connection);
            helper.install();
            HostLock lock = new HostLock(helper, run);
            Optional<String> refused = lock.take(recorder, host);
            if (refused.isPresent()) {
                status = HostStatus.FAILED;
                reason = refused.get();
            } else {
                try {
                    HelperResult reverted = new HostRevert(helper, run.runId(), run.commandTimeout()).all();
                    status = reverted.ok() ? HostStatus.REVERTED : HostStatus.FAILED;
                    reason = reverted.ok() ? null : "revert NOT verified: " + reverted.describeFailure();
                } finally {
                    lock.release();
                }
            }
        } catch (SshException | HelperException e) {
            status = HostStatus.FAILED;
            reason = e.getMessage();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        reason = Recorder.withProblem(reason, recorder.tryRecord(new JournalEvent.HostEnd(host, status,
                reason, took.toMillis(), null, null, null)));
        recorder.tell(new Event.HostFinished(host, status, reason, 0, 0, took, null));
        return new HostOutcome(host, status, reason, 0, 0, took, null);
    }
}
