package io.cutover.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /** The records that change a host's state; each must name one of the run's hosts. */
    private static final Set<String> HOST_RECORDS = Set.of("host-start", "facts", "step-start", "step-done",
            "step-failed", "guard-armed", "guard-disarmed", "rollback-done", "host-end");

    private final String runId;
    private final JsonNode runStart;
    private final Map<String, HostState> hosts;
    private final String outcome;

    private RunState(String runId, JsonNode runStart, Map<String, HostState> hosts, String outcome) {
        this.runId = runId;
        this.runStart = runStart;
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
     * not run-start, a host record for a host the run does not have, a status no cutover writes)
     * is refused with its {@code file:line}: guessing what ran could send a resume the wrong way.
     */
    public static RunState replay(List<Record> records) {
        if (records.isEmpty()) {
            throw new JournalException("the journal is empty; it is not a cutover run journal");
        }
        Record first = records.get(0);
        if (!first.type().equals("run-start")) {
            throw new JournalException(first.where() + ": the first record is `" + first.type()
                    + "`, not run-start: it is not a cutover run journal");
        }
        JsonNode start = first.json();
        Map<String, Builder> hosts = new LinkedHashMap<>();
        for (JsonNode host : start.path("hosts")) {
            hosts.put(host.asText(), new Builder(host.asText()));
        }
        String outcome = null;
        for (Record record : records) {
            if (record.type().equals("run-end")) {
                outcome = record.text("outcome");
            } else if (HOST_RECORDS.contains(record.type())) {
                apply(record, host(record, hosts));
            }
            // run-start, batch-start, rollback-start and newer record types change no host state
        }
        Map<String, HostState> states = new LinkedHashMap<>();
        hosts.forEach((n, b) -> states.put(n, b.build()));
        return new RunState(start.path("run").asText(), start, states, outcome);
    }

    private static Builder host(Record record, Map<String, Builder> hosts) {
        String name = record.host().orElseThrow(() -> new JournalException(record.where() + ": a " + record.type()
                + " record without a host"));
        Builder host = hosts.get(name);
        if (host == null) {
            throw new JournalException(record.where() + ": " + record.type() + " for host `" + name
                    + "`, which is not one of the run's hosts " + hosts.keySet() + " (its run-start, line 1)");
        }
        return host;
    }

    private static void apply(Record record, Builder host) {
        switch (record.type()) {
            case "host-start" -> {
                host.status = HostStatus.RUNNING;
                host.started = record.text("ts");
                host.reason = null;
                host.lastStepStarted = 0;
                host.lastStepDone = 0;
                host.changedSteps = 0;
                host.transientSteps = 0;
            }
            case "facts" -> host.facts = record.json().get("facts");
            case "step-start" -> host.lastStepStarted = record.integer("step");
            case "step-done" -> {
                host.lastStepDone = record.integer("step");
                host.changedSteps += record.json().path("changed").asBoolean() ? 1 : 0;
                host.transientSteps += record.json().path("transient").asBoolean() ? 1 : 0;
            }
            case "step-failed" -> host.reason = record.text("error");
            case "guard-armed" -> host.inBlock = true;
            case "guard-disarmed", "rollback-done" -> host.inBlock = false;
            case "host-end" -> {
                host.status = status(record);
                host.ended = record.text("ts");
                if (record.json().hasNonNull("reason")) {
                    host.reason = record.text("reason");
                }
                host.proof = record.json().get("proof");
            }
            default -> throw new IllegalStateException("not a host record: " + record.type());
        }
    }

    private static HostStatus status(Record record) {
        String status = record.text("status");
        for (HostStatus known : HostStatus.values()) {
            if (known.name().equals(status)) {
                return known;
            }
        }
        throw new JournalException(record.where() + ": host-end of `" + record.host().orElseThrow() + "` has status `"
                + status + "`, which is none of " + java.util.Arrays.toString(HostStatus.values()));
    }

    public String runId() {
        return runId;
    }

    /** The run-start record: playbook, inventory, inputs' hashes, hosts, batches, options. */
    public JsonNode start() {
        return runStart;
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
