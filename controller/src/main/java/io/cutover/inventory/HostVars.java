package io.cutover.inventory;

import io.cutover.yaml.Location;
import io.cutover.yaml.VarValues;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A host's variables after Ansible's precedence (lowest first): inline vars of {@code all}; inline
 * vars of the host's other groups ordered by depth, then {@code ansible_group_priority}, then name;
 * {@code group_vars/all}; {@code group_vars/GROUP} in that same group order; the host's inline vars;
 * {@code host_vars/HOST}. Later sources replace whole values (Ansible's {@code hash_behaviour=replace}).
 * {@code origins} says where each value was written.
 */
public record HostVars(String host, Map<String, Object> values, Map<String, Location> origins) {

    public HostVars {
        Objects.requireNonNull(host, "host");
        values = Values.freezeMap(values);
        origins = Map.copyOf(origins);
    }

    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The values with their origins, as the planner takes them. */
    public VarValues varValues() {
        return new VarValues(values, origins);
    }

    /** Where the winning value of {@code name} was written; empty for values cutover made up. */
    public Optional<Location> origin(String name) {
        return Optional.ofNullable(origins.get(name));
    }
}
