package io.cutover.inventory;

import io.cutover.yaml.Location;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A group as the inventory files define it. {@code hosts} are the hosts listed directly in the
 * group (not those of its children), {@code children} its child groups, both in inventory order;
 * {@code vars} are the group's inline vars (not {@code group_vars/} files). {@code depth} is the
 * longest path from {@code all} and {@code priority} the {@code ansible_group_priority}: together
 * with the name they order group vars (see {@link Inventory#vars(String)}).
 */
public record Group(String name, List<String> hosts, List<String> children, Map<String, Object> vars,
        int priority, int depth, Location location) {

    public Group {
        Objects.requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
        children = List.copyOf(children);
        vars = Values.freezeMap(vars);
        Objects.requireNonNull(location, "location");
    }

    /** True for the two groups every inventory has: {@code all} and {@code ungrouped}. */
    public boolean isImplicit() {
        return name.equals(Inventory.ALL) || name.equals(Inventory.UNGROUPED);
    }
}
