package io.cutover.playbook;

import io.cutover.yaml.Location;
import java.util.List;
import java.util.Objects;

/**
 * Steps that run under the helper's dead man's switch: the guard is armed before the first step
 * and disarmed after the last; if the controller or the link dies in between, the host reverts
 * the whole block by itself when {@code deadline} passes. On any failure the block is undone.
 */
public record Block(String name, Duration deadline, List<ActionStep> steps, Location location) implements Step {

    public Block {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(location, "location");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a block needs at least one step");
        }
    }
}
