package io.cutover.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code cutover report} shows of one run, read from its journal only: who ran what against
 * which inputs, how it ended, and per host its steps, ban window, proof and rollbacks. Times are
 * already formatted (UTC) so that the HTML and the Markdown say exactly the same.
 *
 * @param inputs       the SHA-256 of each input (playbook, inventory, extra vars) as run-start recorded them
 * @param journalHash  the SHA-256 of the journal file the report was made from
 * @param notes        run-level events in order: aborts, resumes, later rollbacks
 */
public record RunReport(String runId, String playbook, List<String> inventory, String started, String ended,
        String lasted, String ranBy, String controller, String cwd, String outcome, String outcomeClass,
        Map<String, String> inputs, String journal, String journalHash, List<String> notes, Summary summary,
        Timeline timeline, List<HostReport> hosts) {

    public RunReport {
        Objects.requireNonNull(runId, "runId");
        inventory = List.copyOf(inventory);
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs)); // in the order the run recorded them
        notes = List.copyOf(notes);
        hosts = List.copyOf(hosts);
    }

    /** The counts at the top of the report. */
    public record Summary(int hosts, List<Count> byStatus, int steps, int proven, int banned,
            String longestBan, int rollbacks, int rollbacksVerified) {

        public Summary {
            byStatus = List.copyOf(byStatus);
        }
    }

    /** {@code count} hosts ended as {@code status} ({@code cssClass} colours it). */
    public record Count(String status, String cssClass, int count) {
    }
}
