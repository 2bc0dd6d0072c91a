package io.cutover.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run rebuilt from its journal: per host, its status, the last step it started and finished,
 * whether it was inside the guarded block, and why it failed. This is what {@code status} shows
 * and what {@code resume} starts from. Pure: replaying the same records gives the same state.
 */
public final class RunState {

    /** One host's replayed state. */
    /**
     * @param changedSteps   steps of the host's last attempt journaled {@code "changed": true} (lasting changes)
     * @param transientSteps steps journaled {@code "transient": true} (the guarded block's own changes)
     */
    public record HostState(String host, HostStatus status, int lastStepStarted, int lastStepDone, boolean inBlock,
            String reason, JsonNode facts, JsonNode proof, String started, String ended, int changedSteps, int transientSteps) {
    }

    private final JournalEvent.RunStart runStart;
    private final String started;
    private final Map<String, HostState> hosts;
    private final String outcome;

    private RunState(JournalEvent.RunStart runStart, String started, Map<String, HostState> hosts, String outcome) {
        this.runStart = runStart;
        this.started = started;
        this.hosts = hosts;
        this.outcome = outcome;
    }

    /** Reads and replays the journal at {@code file}; see {@link #replay}. */
    public static RunState load(Path file) {
        List<Record> records = JournalReader.read(file);
        if (records.isEmpty()) {
            throw new JournalException(file + ": the journal is empty; it is not a cutover run journal");
        }
        return replay(records);
    }

    /**
     * Rebuilds the run from its records. A record that cannot belong to this run (the first is
     * not run-start, a host record for a host the run does not have) is refused with its
     * {@code file:line}: guessing what ran could send a resume the wrong way.
     */
    public static RunState replay(List<Record> records) {
        if (records.isEmpty()) {
            throw new JournalException("the journal is empty; it is not a cutover run journal");
        }
        Record first = records.get(0);
        if (!(first.event() instanceof JournalEvent.RunStart start)) {
            throw new JournalException(first.where() + ": the first record is `" + first.type()
                    + "`, not run-start: it is not a cutover run journal");
        }
        Map<String, Builder> hosts = new LinkedHashMap<>();
        for (String host : start.hosts()) {
            hosts.put(host, new Builder(host));
        }
        String outcome = null;
        for (Record record : records) {
            if (record.event() instanceof JournalEvent.RunEnd end) {
                outcome = end.outcome();
            } else if (record.event() instanceof JournalEvent.HostEvent event) {
                apply(event, record.ts(), host(record, event, hosts));
            }
            // run-start, batch-start, resume, rollback-run and aborted change no host state
        }
        Map<String, HostState> states = new LinkedHashMap<>();
        hosts.forEach((n, b) -> states.put(n, b.build()));
        return new RunState(start, first.ts(), states, outcome);
    }

    private static Builder host(Record record, JournalEvent.HostEvent event, Map<String, Builder> hosts) {
        if (event.host() == null) {
            throw new JournalException(record.where() + ": a " + record.type() + " record without a host");
        }
        Builder host = hosts.get(event.host());
        if (host == null) {
            throw new JournalException(record.where() + ": " + record.type() + " for host `" + event.host()
                    + "`, which is not one of the run's hosts " + hosts.keySet() + " (its run-start, line 1)");
        }
        return host;
    }

    private static void apply(JournalEvent.HostEvent event, String ts, Builder host) {
        if (event instanceof JournalEvent.HostStart) {
            host.status = HostStatus.RUNNING;
            host.started = ts;
            host.reason = null;
            host.lastStepStarted = 0;
            host.lastStepDone = 0;
            host.changedSteps = 0;
            host.transientSteps = 0;
        } else if (event instanceof JournalEvent.Facts facts) {
            host.facts = facts.facts();
        } else if (event instanceof JournalEvent.StepStart step) {
            host.lastStepStarted = step.step();
        } else if (event instanceof JournalEvent.StepDone step) {
            host.lastStepDone = step.step();
            host.changedSteps += step.changed() ? 1 : 0;
            host.transientSteps += step.transientStep() ? 1 : 0;
        } else if (event instanceof JournalEvent.StepFailed failed) {
            host.reason = failed.error();
        } else if (event instanceof JournalEvent.GuardArmed) {
            host.inBlock = true;
        } else if (event instanceof JournalEvent.GuardDisarmed || event instanceof JournalEvent.RollbackDone) {
            host.inBlock = false;
        } else if (event instanceof JournalEvent.HostEnd end) {
            host.status = end.status();
            host.ended = ts;
            if (end.reason() != null) {
                host.reason = end.reason();
            }
            host.proof = end.proof();
        }
        // the helper pushed, a lock taken over, a reconcile, the trigger's wait: no state of status's or resume's
    }

    public String runId() {
        return runStart.run();
    }

    /** The run-start record: playbook, inventory, inputs' hashes, hosts, batches, options. */
    public JournalEvent.RunStart start() {
        return runStart;
    }

    /** When the run started: its run-start's {@code ts}. */
    public String started() {
        return started;
    }

    /** Who started the run, where its run-start says (journals before the operator was recorded do not). */
    public Optional<JournalEvent.Operator> operator() {
        return Optional.ofNullable(runStart.operator());
    }

    public List<HostState> hosts() {
        return new ArrayList<>(hosts.values());
    }

    public Optional<HostState> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** done, failed, aborted — or empty if the controller never wrote run-end (it died). */
    public Optional<String> outcome() {
        return Optional.ofNullable(outcome);
    }

    private static final class Builder {
        final String host;
        HostStatus status = HostStatus.PENDING;
        int lastStepStarted;
        int lastStepDone;
        boolean inBlock;
        String reason;
        JsonNode facts;
        JsonNode proof;
        String started;
        String ended;
        int changedSteps;
        int transientSteps;

        Builder(String host) {
            this.host = host;
        }

        HostState build() {
            return new HostState(host, status, lastStepStarted, lastStepDone, inBlock, reason, facts, proof, started, ended,
                    changedSteps, transientSteps);
        }
    }
}
