package io.cutover.plan;

import io.cutover.playbook.Block;
import java.util.List;
import java.util.Objects;

/**
 * Everything one host would go through, in order, with the guard around its block; {@code facts}
 * and {@code runId} are what the plan was made with (placeholders offline).
 */
public record HostPlan(String host, List<PlannedStep> steps, Block guardedBlock, List<String> warnings, Object facts,
        Object runId) {

    public HostPlan {
        Objects.requireNonNull(host, "host");
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    public long fileCount() {
        return steps.stream().mapToLong(s -> s.files().size()).sum();
    }
}
