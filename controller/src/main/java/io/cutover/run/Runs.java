package io.cutover.run;

import io.cutover.engine.Engine;
import io.cutover.engine.Event;
import io.cutover.engine.EventSink;
import io.cutover.engine.HostOutcome;
import io.cutover.engine.Rollback;
import io.cutover.engine.RunContext;
import io.cutover.journal.HostStatus;
import io.cutover.journal.Journal;
import io.cutover.journal.JournalEvent;
import io.cutover.journal.RunDirectory;
import io.cutover.journal.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The lifecycle of {@code apply}, {@code resume} and {@code rollback} over a run directory: the
 * run's id, its journal opened and its first and last records, the engine (or the rollback) run
 * with the collaborators handed in. The CLI parses options, asks, and prints; everything a run
 * records is written here and in the engine.
 *
 * <p>{@code started} is told the run's context before any host is touched: the CLI hands the
 * operator's Ctrl-C to it ({@link RunContext#stopStarting}, {@link RunContext#abortNow}).
 */
public final class Runs {

    private final RunDirectory runs;
    private final RunServices services;

    public Runs(RunDirectory runs, RunServices services) {
        this.runs = runs;
        this.services = services;
    }

    /** An apply's or a resume's end: its run id, the engine's result, how it ended, how long it took. */
    public record Finished(String runId, Engine.Result result, RunOutcome outcome, Duration took) {
    }

    /**
     * {@code apply}: a new run of {@code fleet}. {@code runStart} makes the run-start record from
     * the new run's id (the command's inputs, for resume to reopen the run).
     */
    public Finished apply(Fleet fleet, Function<String, JournalEvent.RunStart> runStart, Engine.Settings settings,
            EventSink sink, Consumer<RunContext> started) {
        String runId = runs.newRunId(services.clock());
        try (Journal journal = Journal.open(runs.create(runId), services.clock())) {
            journal.append(runStart.apply(runId));
            return execute(runId, journal, fleet, Map.of(), Set.of(), settings, sink, started);
        }
    }

    /**
     * {@code resume}: run {@code runId} again on its hosts not {@code done}. Hosts an earlier
     * attempt reached are planned from their {@code journaledFacts} and reconciled first.
     */
    public Finished resume(String runId, Fleet fleet, Map<String, Map<String, Object>> journaledFacts, Set<String> done,
            Engine.Settings settings, EventSink sink, Consumer<RunContext> started) {
        try (Journal journal = Journal.open(runs.journal(runId), services.clock())) {
            journal.append(new JournalEvent.Resume(List.copyOf(done)));
            return execute(runId, journal, fleet, journaledFacts, done, settings, sink, started);
        }
    }

    /** {@code rollback}: undo run {@code runId} on {@code hosts}, {@code forks} at a time, each verified. */
    public List<HostOutcome> rollback(String runId, Fleet fleet, List<String> hosts, int forks, EventSink sink) {
        RunContext context = context(runId, fleet, true, Map.of());
        try (Journal journal = Journal.open(runs.journal(runId), services.clock())) {
            return new Rollback(context, journal, sink, forks).run(hosts);
        }
    }

    /** The hosts of a rollback: those the run changed, and those it found done already (nothing of theirs to undo). */
    public record RollbackScope(List<String> changed, List<String> unchanged) {
    }

    /**
     * Which of the {@code selected} hosts run {@code state} touched: a host it only found cut over
     * already (OK) has an empty undo log in this run, and rolling it back would report "reverted"
     * while restoring nothing; see {@link #lastChange} for the run to roll back instead.
     */
    public static RollbackScope rollbackScope(RunState state, List<String> selected) {
        List<RunState.HostState> touched = state.hosts().stream()
                .filter(h -> h.status() != HostStatus.PENDING && h.status() != HostStatus.SKIPPED)
                .filter(h -> selected.contains(h.host())).toList();
        return new RollbackScope(
                touched.stream().filter(h -> h.status() != HostStatus.OK).map(RunState.HostState::host).toList(),
                touched.stream().filter(h -> h.status() == HostStatus.OK).map(RunState.HostState::host).toList());
    }

    /** The newest run in {@code runs} before {@code runId} that left {@code host} changed (not since rolled back). */
    public static Optional<String> lastChange(RunDirectory runs, String runId, String host) {
        List<String> earlier = runs.runs().stream().filter(id -> id.compareTo(runId) < 0).toList();
        for (int i = earlier.size() - 1; i >= 0; i--) {
            Optional<HostStatus> status = RunState.load(runs.journal(earlier.get(i)))
                    .host(host).map(RunState.HostState::status);
            if (status.isPresent() && status.get() == HostStatus.CHANGED) {
                return Optional.of(earlier.get(i));
            }
        }
        return Optional.empty();
    }

    /** The hosts of {@code state} that finished: resume never touches them again. */
    public static Set<String> done(RunState state) {
        return state.hosts().stream().filter(h -> h.status().finished()).map(RunState.HostState::host)
                .collect(Collectors.toSet());
    }

    private Finished execute(String runId, Journal journal, Fleet fleet, Map<String, Map<String, Object>> journaledFacts,
            Set<String> skip, Engine.Settings settings, EventSink sink, Consumer<RunContext> started) {
        RunContext context = context(runId, fleet, fleet.rollbackAll(), journaledFacts);
        started.accept(context);
        sink.on(new Event.RunStarted(runId, fleet.hosts().size() - skip.size(), fleet.batches(), settings.forks()));
        long start = System.nanoTime();
        Engine.Result result = new Engine(context, journal, sink, settings).run(fleet.batches(), skip);
        RunOutcome outcome = RunOutcome.of(result);
        journal.append(new JournalEvent.RunEnd(outcome.label(), outcome.exitCode()));
        sink.on(new Event.RunFinished(runId, outcome.label(), outcome.exitCode()));
        return new Finished(runId, result, outcome, Duration.ofNanos(System.nanoTime() - start));
    }

    private RunContext context(String runId, Fleet fleet, boolean rollbackAll, Map<String, Map<String, Object>> journaledFacts) {
        return new RunContext(runId, fleet.planner(), fleet.inventory(), services.resolver(), services.connector(),
                services.script(), services.home(), services.commandTimeout(), rollbackAll, journaledFacts);
    }
}
