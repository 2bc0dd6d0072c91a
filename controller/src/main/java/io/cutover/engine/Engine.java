package io.cutover.engine;

import io.cutover.journal.HostStatus;
import io.cutover.journal.Journal;
import io.cutover.journal.JournalEvent;
import io.cutover.plan.Batches;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes the selected hosts through a run: batch after batch, up to {@code forks} hosts at a
 * time within a batch. After each batch the failure threshold is checked; when a batch fails
 * too much (any failure, by default — a failed canary stops everything) no further host starts.
 */
public final class Engine {

    /** The rollout settings in force for this run (playbook values, overridden by flags). */
    public record Settings(int forks, int maxFailPercentage) {
    }

    private final RunContext run;
    private final Journal journal;
    private final EventSink sink;
    private final Settings settings;

    public Engine(RunContext run, Journal journal, EventSink sink, Settings settings) {
        this.run = run;
        this.journal = journal;
        this.sink = sink;
        this.settings = settings;
    }

    /** The run's result: one outcome per host, and whether it was aborted. */
    public record Result(List<HostOutcome> outcomes, boolean aborted, String abortReason) {

        public boolean allDone() {
            return !aborted && outcomes.stream().allMatch(o -> o.status().finished());
        }
    }

    /**
     * Runs the batches. Hosts listed in {@code skip} (done in an earlier attempt) are not touched.
     */
    public Result run(List<List<String>> batches, java.util.Set<String> skip) {
        Recorder recorder = new Recorder(journal, sink);
        List<HostOutcome> outcomes = new ArrayList<>();
        String abortReason = null;
        for (int b = 0; b < batches.size(); b++) {
            List<String> batch = batches.get(b).stream().filter(h -> !skip.contains(h)).toList();
            if (batch.isEmpty()) {
                continue;
            }
            if (abortReason == null && run.stopping()) {
                abortReason = "interrupted by the operator";
            }
            if (abortReason != null) {
                String reason = abortReason;
                batch.forEach(host -> outcomes.add(skipped(recorder, host, reason)));
                continue;
            }
            recorder.tryRecord(new JournalEvent.BatchStart(b + 1, batch)); // each host's own records say what ran
            recorder.tell(new Event.BatchStarted(b + 1, batches.size(), batch));
            List<HostOutcome> done = Forks.map(batch, settings.forks(), host -> run.stopping()
                    ? skipped(recorder, host, "interrupted by the operator before it started")
                    : new HostRun(host, run, recorder).execute());
            outcomes.addAll(done);
            long failed = done.stream().filter(o -> !o.status().finished() && o.status() != HostStatus.SKIPPED).count();
            boolean moreToDo = batches.subList(b + 1, batches.size()).stream().flatMap(List::stream)
                    .anyMatch(h -> !skip.contains(h));
            if (moreToDo && Batches.exceedsThreshold((int) failed, batch.size(), settings.maxFailPercentage())) {
                abortReason = String.format("batch %d: %d of %d hosts failed, above max_fail_percentage %d%%",
                        b + 1, failed, batch.size(), settings.maxFailPercentage());
                recorder.tryRecord(new JournalEvent.Aborted(abortReason));
                recorder.tell(new Event.Aborted(abortReason));
            }
        }
        return new Result(outcomes, abortReason != null, abortReason);
    }

    private static HostOutcome skipped(Recorder recorder, String host, String reason) {
        String why = Recorder.withProblem(reason, recorder.tryRecord(JournalEvent.HostEnd.before(host,
                HostStatus.SKIPPED, reason)));
        return new HostOutcome(host, HostStatus.SKIPPED, why, 0, 0, java.time.Duration.ZERO, null);
    }
}
