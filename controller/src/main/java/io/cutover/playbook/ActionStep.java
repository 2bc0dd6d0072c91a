package io.cutover.playbook;

import io.cutover.yaml.Location;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A step that runs one {@link Action}. {@code args} hold the values as written: already type
 * checked when literal, or template text ({@code ${…}}) checked once rendered for a host. Steps of
 * one {@link Loop} (the same instance, {@code null} outside any) are written next to each other.
 */
public record ActionStep(String name, Action action, Map<String, Object> args, Location location, Loop loop) implements Step {

    public ActionStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(location, "location");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** A step outside any loop. */
    public ActionStep(String name, Action action, Map<String, Object> args, Location location) {
        this(name, action, args, location, null);
    }

    ActionStep in(Loop loop) {
        return new ActionStep(name, action, args, location, loop);
    }
}
