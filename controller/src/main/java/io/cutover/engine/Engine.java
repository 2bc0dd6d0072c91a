package io.cutover.engine;

import io.cutover.journal.HostStatus;
import io.cutover.journal.Journal;
import io.cutover.plan.Batches;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.forks()), r -> {
            Thread thread = new Thread(r, "host");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int b = 0; b < batches.size(); b++) {
                List<String> batch = batches.get(b).stream().filter(h -> !skip.contains(h)).toList();
                if (batch.isEmpty()) {
                    continue;
                }
                if (abortReason != null || run.stopping()) {
                    if (abortReason == null) {
                        abortReason = "interrupted by the operator";
                    }
                    for (String host : batch) {
                        recorder.record("host-end", "host", host, "status", HostStatus.SKIPPED.name(), "reason", abortReason);
                        outcomes.add(new HostOutcome(host, HostStatus.SKIPPED, abortReason, 0, java.time.Duration.ZERO, null));
                    }
                    continue;
                }
                recorder.record("batch-start", "batch", b + 1, "hosts", batch);
                recorder.tell(new Event.BatchStarted(b + 1, batches.size(), batch));
                List<Future<HostOutcome>> futures = new ArrayList<>();
                for (String host : batch) {
                    futures.add(pool.submit(() -> run.stopping() ? skipped(recorder, host) : new HostRun(host, run, recorder).execute()));
                }
                int failed = 0;
                for (Future<HostOutcome> future : futures) {
                    HostOutcome outcome = await(future);
                    outcomes.add(outcome);
                    if (!outcome.status().finished() && outcome.status() != HostStatus.SKIPPED) {
                        failed++;
                    }
                }
                boolean moreToDo = batches.subList(b + 1, batches.size()).stream().flatMap(List::stream).anyMatch(h -> !skip.contains(h));
                if (moreToDo && Batches.exceedsThreshold(failed, batch.size(), settings.maxFailPercentage())) {
                    abortReason = String.format("batch %d: %d of %d hosts failed, above max_fail_percentage %d%%",
                            b + 1, failed, batch.size(), settings.maxFailPercentage());
                    recorder.record("aborted", "reason", abortReason);
                    recorder.tell(new Event.Aborted(abortReason));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(outcomes, abortReason != null, abortReason);
    }

    private static HostOutcome skipped(Recorder recorder, String host) {
        String reason = "interrupted by the operator before it started";
        recorder.record("host-end", "host", host, "status", HostStatus.SKIPPED.name(), "reason", reason);
        return new HostOutcome(host, HostStatus.SKIPPED, reason, 0, java.time.Duration.ZERO, null);
    }

    private static HostOutcome await(Future<HostOutcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a host", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a host's run failed unexpectedly", e.getCause());
        }
    }
}
