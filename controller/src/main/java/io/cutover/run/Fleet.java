package io.cutover.run;

import io.cutover.inventory.Inventory;
import io.cutover.plan.Planner;
import java.util.List;
import java.util.Objects;

/**
 * The hosts a run works on and what it does there, loaded and checked before any connection:
 * the planner, the inventory (connections resolved), the selected hosts and their batches.
 *
 * @param rollbackAll the playbook's {@code rollout.rollback: all}: a failed host undoes every step, not only the block
 */
public record Fleet(Planner planner, Inventory inventory, List<String> hosts, List<List<String>> batches, boolean rollbackAll) {

    public Fleet {
        Objects.requireNonNull(planner, "planner");
        Objects.requireNonNull(inventory, "inventory");
        hosts = List.copyOf(hosts);
        batches = batches.stream().map(List::copyOf).toList();
    }
}
