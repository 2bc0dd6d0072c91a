package io.cutover.plan;

import io.cutover.playbook.Playbook;
import java.util.List;
import java.util.Objects;

/** The plan for every selected host, in the batches the rollout settings make. */
public record FleetPlan(Playbook playbook, List<List<HostPlan>> batches, boolean offline) {

    public FleetPlan {
        Objects.requireNonNull(playbook, "playbook");
        batches = batches.stream().map(List::copyOf).toList();
    }

    public List<HostPlan> hosts() {
        return batches.stream().flatMap(List::stream).toList();
    }

    public long stepCount() {
        return hosts().stream().mapToLong(h -> h.steps().size()).sum();
    }

    public long fileCount() {
        return hosts().stream().mapToLong(HostPlan::fileCount).sum();
    }
}
