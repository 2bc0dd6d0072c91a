package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.HostStatus;
import java.time.Duration;

/** How one host ended: its status, why (when not done), how many steps changed it, the proof. */
public record HostOutcome(String host, HostStatus status, String reason, int changedSteps, Duration took, JsonNode proof) {
}
