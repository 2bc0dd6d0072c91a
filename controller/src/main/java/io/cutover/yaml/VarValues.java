package io.cutover.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Values for a playbook's vars with where each was written, so that a bad value is reported at its
 * {@code file:line:column}. A value typed on the command line ({@code -e key=value}) has no origin.
 */
public record VarValues(Map<String, Object> values, Map<String, Location> origins) {

    public static final VarValues NONE = new VarValues(Map.of(), Map.of());

    public VarValues {
        // not Map.copyOf: a YAML null is a value here, refused later with its name
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        origins = Map.copyOf(origins);
    }

    public static VarValues of(Map<String, Object> values) {
        return new VarValues(values, Map.of());
    }

    public Optional<Location> origin(String name) {
        return Optional.ofNullable(origins.get(name));
    }
}
