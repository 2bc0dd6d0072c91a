package io.cutover.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a journal line says happened: every kind of record, written by {@link Journal#append} and
 * read back by {@link JournalReader} as these same types. {@link JournalKinds} maps each to the
 * {@code type} it has on disk; its fields are the record's JSON fields in snake_case (see
 * docs/journal.md). A field marked required is refused when missing: every cutover has written it.
 * Free-form data from the helper (facts, proofs, step answers) stays JSON.
 */
public sealed interface JournalEvent {

    /** Free-form data (the helper's answers, facts as maps) as the JSON a record carries. */
    static JsonNode json(Object value) {
        return JournalKinds.MAPPER.valueToTree(value);
    }

    /** An event about one host: that host must be one of the run's. */
    sealed interface HostEvent extends JournalEvent {
        String host();
    }

    /** How a run's operator is recorded: who started it and on which machine. */
    record Operator(String user, @JsonProperty("sudo_user") String sudoUser, String controller) {

        /** The person behind the run: the sudo user where there was one, else the account. */
        public String person() {
            return sudoUser != null ? sudoUser : user;
        }
    }

    /** Apply started a run; the first record, with everything resume needs to start it again. */
    record RunStart(@JsonProperty(required = true) String run, String playbook, List<String> inventory, String limit,
            boolean lenient, List<String> extraVars, List<String> serial, int forks, int maxFailPercentage,
            Map<String, String> inputs, Map<String, Map<String, Object>> connection,
            @JsonProperty(required = true) List<String> hosts, List<List<String>> batches, String cwd, Operator operator)
            implements JournalEvent {

        /** What a journal of an older cutover lacks reads as empty; {@code connection} stays null (not recorded). */
        public RunStart {
            Objects.requireNonNull(run, "run");
            hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
            inventory = inventory == null ? List.of() : List.copyOf(inventory);
            extraVars = extraVars == null ? List.of() : List.copyOf(extraVars);
            serial = serial == null ? List.of() : List.copyOf(serial);
            batches = batches == null ? List.of() : batches.stream().map(List::copyOf).toList();
            inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        }
    }

    record BatchStart(int batch, List<String> hosts) implements JournalEvent {

        public BatchStart {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }
    }

    /** {@code resume} reopened the run; the hosts it skips were done before. */
    record Resume(List<String> skipping) implements JournalEvent {

        public Resume {
            skipping = skipping == null ? List.of() : List.copyOf(skipping);
        }
    }

    /** {@code cutover rollback} of these hosts; their host-end records that follow are its reverts. */
    record RollbackRun(List<String> hosts) implements JournalEvent {

        public RollbackRun {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }
    }

    /** The rollout stopped starting hosts (max-fail threshold, interrupt). */
    record Aborted(String reason) implements JournalEvent {
    }

    /** @param outcome done, failed or aborted */
    record RunEnd(@JsonProperty(required = true) String outcome, int exitCode) implements JournalEvent {
    }

    record HostStart(@JsonProperty(required = true) String host) implements HostEvent {
    }

    record HelperPushed(@JsonProperty(required = true) String host, String sha256) implements HostEvent {
    }

    /** A stale lock (its controller gone) was broken; {@code previous} is the helper's account of it. */
    record LockTakenOver(@JsonProperty(required = true) String host, JsonNode previous) implements HostEvent {
    }

    /** The host's facts before the run touched it: what resume plans from. */
    record Facts(@JsonProperty(required = true) String host, JsonNode facts) implements HostEvent {
    }

    /** Resume undid an interrupted attempt's changes before running the steps again. */
    record Reconciled(@JsonProperty(required = true) String host, long revertedRecords, boolean guardWasArmed,
            boolean verified) implements HostEvent {
    }

    /** The processes read again before the refresh (their pids may have changed). */
    record ProcessesReread(@JsonProperty(required = true) String host, JsonNode processes) implements HostEvent {
    }

    record StepStart(@JsonProperty(required = true) String host, @JsonProperty(required = true) int step, String name,
            String action) implements HostEvent {
    }

    /**
     * @param changed       a lasting change (io.cutover.plan.Change.LASTING)
     * @param transientStep a change of the guarded block, undone before the host ends
     * @param data          the helper's answer
     */
    record StepDone(@JsonProperty(required = true) String host, @JsonProperty(required = true) int step, String name,
            boolean changed, @JsonProperty("transient") boolean transientStep, long ms, JsonNode data) implements HostEvent {
    }

    record StepFailed(@JsonProperty(required = true) String host, @JsonProperty(required = true) int step, String name,
            String error) implements HostEvent {
    }

    /** The trigger's wait for in-flight lookups ended. */
    record TriggerReady(@JsonProperty(required = true) String host, int waitedS, boolean caresCacheFlushed)
            implements HostEvent {
    }

    /** The host's own guard reverts the undo log after {@code toSeq} unless disarmed within {@code deadlineS}. */
    record GuardArmed(@JsonProperty(required = true) String host, long toSeq, long deadlineS) implements HostEvent {
    }

    record GuardRenewed(@JsonProperty(required = true) String host, long deadlineS) implements HostEvent {
    }

    record GuardDisarmed(@JsonProperty(required = true) String host) implements HostEvent {
    }

    /** What a rollback undoes: the guarded block's changes only, or everything the run did. */
    enum Scope {
        @JsonProperty("block") BLOCK,
        @JsonProperty("all") ALL
    }

    record RollbackStart(@JsonProperty(required = true) String host, String reason, Scope scope) implements HostEvent {
    }

    /** @param data the helper's revert answer: {@code undone}, {@code failed} */
    record RollbackDone(@JsonProperty(required = true) String host, boolean verified, JsonNode data) implements HostEvent {
    }

    /**
     * A host's end; its {@code reason} is written even when null. A host skipped before it started
     * has no {@code ms} nor counts, a host reverted by {@code cutover rollback} no counts, one
     * without proof no {@code proof}: those stay off the line (a reader sees null either way).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HostEnd(@JsonProperty(required = true) String host, @JsonProperty(required = true) HostStatus status,
            @JsonInclude(JsonInclude.Include.ALWAYS) String reason, Long ms, Integer changedSteps, Integer transientSteps,
            JsonNode proof) implements HostEvent {

        public HostEnd {
            Objects.requireNonNull(status, "status");
        }

        /** A host that ended before it started (skipped). */
        public static HostEnd before(String host, HostStatus status, String reason) {
            return new HostEnd(host, status, reason, null, null, null, null);
        }
    }
}
