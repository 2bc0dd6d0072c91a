package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step as it would run on one host: arguments evaluated for that host ({@link
 * io.cutover.render.Unknown} where only facts can tell), the files it would install, and the
 * guarded block it belongs to, if any.
 */
public record PlannedStep(int number, String name, Action action, Map<String, Object> args, List<FileChange> files,
        String block) {

    public PlannedStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        files = List.copyOf(files);
    }

    public boolean inBlock() {
        return block != null;
    }
}
