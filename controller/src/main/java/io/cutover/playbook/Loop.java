package io.cutover.playbook;

import io.cutover.yaml.Location;
import java.util.Objects;

/**
 * Steps written once and run once per entry of a {@link ValueType#MAPPING_LIST} var ({@code loop:
 * "${triggers}"}): each entry's keys set those of the steps' arguments that have the same name. The
 * planner expands them, per host, into {@code name[1]}, {@code name[2]}… (a loop over one entry keeps
 * the names as written), so the plan, the journal and {@code resume} see ordinary steps.
 */
public record Loop(String var, Location location) {

    public Loop {
        Objects.requireNonNull(var, "var");
        Objects.requireNonNull(location, "location");
    }
}
