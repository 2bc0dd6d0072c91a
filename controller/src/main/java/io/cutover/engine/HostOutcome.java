package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.journal.HostStatus;
import java.time.Duration;

/**
 * How one host ended: its status, why (when not done), how many steps changed it lastingly and how many
 * made the guarded block's transient changes (io.cutover.plan.Change), the proof.
 */
public record HostOutcome(String host, HostStatus status, String reason, int changedSteps, int transientSteps, Duration took,
        JsonNode proof) {

    /** The proof in one line (the query that reached 127.0.0.1:53, the refresh stall), or "". */
    public String proofSummary() {
        return summarize(proof);
    }

    /** The same one-line summary for a proof read back from the journal. */
    public static String summarize(JsonNode proof) {
        return proof == null || proof.isNull() ? "" : Proof.summary(proof);
    }
}
