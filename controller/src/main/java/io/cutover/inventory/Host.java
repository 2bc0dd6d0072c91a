package io.cutover.inventory;

import io.cutover.yaml.Location;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A host as the inventory files define it: its inventory name, the groups that list it directly
 * (inventory order), its own inline vars (a {@code name:port} key sets {@code ansible_port}), and
 * where it first appeared. Merged vars are {@link Inventory#vars(String)}; the SSH target is
 * {@link Inventory#connection(String)}.
 */
public record Host(String name, List<String> groups, Map<String, Object> vars, Location location) {

    public Host {
        Objects.requireNonNull(name, "name");
        groups = List.copyOf(groups);
        vars = Values.freezeMap(vars);
        Objects.requireNonNull(location, "location");
    }
}
