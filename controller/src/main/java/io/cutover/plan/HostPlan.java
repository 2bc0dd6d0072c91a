package io.cutover.plan;

import io.cutover.playbook.Block;
import java.util.List;
import java.util.Objects;

/**
 * Everything one host would go through, in order, with the guard around its block; {@code facts}
 * and {@code runId} are what the plan was made with (placeholders offline). {@code preflight} is
 * what {@link Preflight} found in the facts (each finding refuses the host; none offline), and
 * {@code warnings} what the plan says about the host: those findings, or why it could not be planned.
 */
public record HostPlan(String host, List<PlannedStep> steps, Block guardedBlock, List<String> warnings,
        List<String> preflight, HostFacts facts, Object runId) {

    /** How the plan words a preflight finding. */
    static final String REFUSES = "preflight would refuse this host: ";

    public HostPlan {
        Objects.requireNonNull(host, "host");
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        preflight = List.copyOf(preflight);
        facts = facts == null ? HostFacts.offline() : facts;
    }

    /** A host that could not be planned (its facts could not be read, say): no steps, and why. */
    public static HostPlan unplanned(String host, String why) {
        return new HostPlan(host, List.of(), null, List.of("cannot plan: " + why), List.of(), null, "run id");
    }

    public long fileCount() {
        return steps.stream().mapToLong(s -> s.files().size()).sum();
    }

    /** What runs before the guard of the block is armed, in order (each trigger step's own). */
    public List<PlannedCall> beforeGuard() {
        return steps.stream().flatMap(s -> s.beforeGuard().stream()).toList();
    }
}
