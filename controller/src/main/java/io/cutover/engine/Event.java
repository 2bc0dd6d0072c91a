package io.cutover.engine;

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

    record StepFinished(String host, int step, int steps, String name, boolean changed, boolean ok, String message,
            Duration took) implements Event {
    }

    /** {@code proof}: what {@code status} shows for the host (the capture, the refreshes, the files), or null. */
    record HostFinished(String host, HostStatus status, String reason, int changedSteps, Duration took, JsonNode proof)
            implements Event {
    }

    record Aborted(String reason) implements Event {
    }

    record RunFinished(String runId, String outcome, int exitCode) implements Event {
    }
}
