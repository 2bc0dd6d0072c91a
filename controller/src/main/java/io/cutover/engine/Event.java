package io.cutover.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.HostStatus;
import java.time.Duration;
import java.util.List;

/** What the engine reports as a run goes, for the live view, the line log and JSON Lines. */
public sealed interface Event {

    record RunStarted(String runId, int hosts, List<List<String>> batches, int forks) implements Event {
    }

    record BatchStarted(int number, int of, List<String> hosts) implements Event {
    }

    record HostStarted(String host) implements Event {
    }

    record StepStarted(String host, int step, int steps, String name) implements Event {
    }

    /**
     * {@code changed}: a lasting change; {@code transientChange} (JSON {@code transient}): a change the guarded
     * block makes and undoes itself. Both false: read-only, or nothing to do (io.cutover.plan.Change).
     */
    record StepFinished(String host, int step, int steps, String name, boolean changed, boolean ok, String message,
            Duration took, @JsonProperty("transient") boolean transientChange) implements Event {
    }

    /**
     * A host's helper call that can take a while has started: {@code waitingFor} says what it waits
     * for ("pgbouncer's cached answer for the probe to expire"), {@code step} the step it belongs to,
     * or the phase outside the steps ("facts", "before safe-cutover", "rollback"). It ends with the
     * step's {@link StepFinished}, the next event of the host, or its {@link HostFinished}.
     */
    record HostWaiting(String host, String step, String waitingFor) implements Event {
    }

    /**
     * {@code changedSteps} and {@code transientSteps} as {@link StepFinished} counts them; {@code proof}: what
     * {@code status} shows for the host (the capture, the refreshes, the files), or null.
     */
    record HostFinished(String host, HostStatus status, String reason, int changedSteps, int transientSteps, Duration took,
            JsonNode proof) implements Event {
    }

    record Aborted(String reason) implements Event {
    }

    record RunFinished(String runId, String outcome, int exitCode) implements Event {
    }
}
