package io.cutover.journal;

import com.fasterxml.jackson.databind.JsonNode;
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
    public record HostState(String host, HostStatus status, int lastStepStarted, int lastStepDone, boolean inBlock,
            String reason, JsonNode facts, JsonNode proof, String started, String ended) {
    }

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

    public static RunState replay(List<Record> records) {
        if (records.isEmpty() || !records.get(0).type().equals("run-start")) {
            throw new JournalException("the journal does not start with run-start; it is not a cutover run journal");
        }
        JsonNode start = records.get(0).json();
        Map<String, Builder> hosts = new LinkedHashMap<>();
        for (JsonNode host : start.path("hosts")) {
            hosts.put(host.asText(), new Builder(host.asText()));
        }
        String outcome = null;
        for (Record record : records) {
            Optional<String> name = record.host();
            Builder host = name.map(hosts::get).orElse(null);
            switch (record.type()) {
                case "host-start" -> {
                    host.status = HostStatus.RUNNING;
                    host.started = record.text("ts");
                    host.reason = null;
                    host.lastStepStarted = 0;
                    host.lastStepDone = 0;
                }
                case "facts" -> host.facts = record.json().get("facts");
                case "step-start" -> host.lastStepStarted = record.integer("step");
                case "step-done" -> host.lastStepDone = record.integer("step");
                case "step-failed" -> host.reason = record.text("error");
                case "guard-armed" -> host.inBlock = true;
                case "guard-disarmed" -> host.inBlock = false;
                case "rollback-done" -> host.inBlock = false;
                case "host-end" -> {
                    host.status = HostStatus.valueOf(record.text("status"));
                    host.ended = record.text("ts");
                    if (record.json().hasNonNull("reason")) {
                        host.reason = record.text("reason");
                    }
                    host.proof = record.json().get("proof");
                }
                case "run-end" -> outcome = record.text("outcome");
                default -> {
                    // run-start, batch-start, rollback-start and newer record types change no host state
                }
            }
        }
        Map<String, HostState> states = new LinkedHashMap<>();
        hosts.forEach((n, b) -> states.put(n, b.build()));
        return new RunState(start.path("run").asText(), start, states, outcome);
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

        Builder(String host) {
            this.host = host;
        }

        HostState build() {
            return new HostState(host, status, lastStepStarted, lastStepDone, inBlock, reason, facts, proof, started, ended);
        }
    }
}
