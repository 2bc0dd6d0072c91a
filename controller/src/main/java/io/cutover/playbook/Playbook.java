package io.cutover.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A loaded, validated playbook. Immutable. */
public record Playbook(Path file, String name, String description, Map<String, VarDecl> vars, Rollout rollout,
        List<Step> steps) {

    public Playbook {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        Objects.requireNonNull(rollout, "rollout");
        steps = List.copyOf(steps);
    }

    /** Where the playbook's templates live: {@code templates/} beside the playbook file. */
    public Path templateDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve("templates");
    }

    /** Every action step, blocks flattened, in execution order. */
    public List<ActionStep> actionSteps() {
        List<ActionStep> all = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Block block) {
                all.addAll(block.steps());
            } else {
                all.add((ActionStep) step);
            }
        }
        return all;
    }
}
