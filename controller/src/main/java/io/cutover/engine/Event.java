package io.cutover.engine;

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

    /**
     * A host's helper call that can take a while has started: {@code waitingFor} says what it waits
     * for ("pgbouncer's cached answer for the probe to expire"), {@code step} the step it belongs to,
     * or the phase outside the steps ("facts", "before safe-cutover", "rollback"). It ends with the
     * step's {@link StepFinished}, the next event of the host, or its {@link HostFinished}.
     */
    record HostWaiting(String host, String step, String waitingFor) implements Event {
    }

    record HostFinished(String host, HostStatus status, String reason, int changedSteps, Duration took) implements Event {
    }

    record Aborted(String reason) implements Event {
    }

    record RunFinished(String runId, String outcome, int exitCode) implements Event {
    }
}
