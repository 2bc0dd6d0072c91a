package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step as it would run on one host: arguments evaluated for that host ({@link
 * io.cutover.render.Unknown} where only facts can tell), the files it would install, the guarded
 * block it belongs to, if any, and the helper calls that perform it — those {@code plan} shows
 * and {@code apply} sends ({@code beforeGuard}: what runs before the block's guard is armed).
 */
public record PlannedStep(int number, String name, Action action, Map<String, Object> args, List<FileChange> files,
        String block, List<PlannedCall> calls, List<PlannedCall> beforeGuard) {

    public PlannedStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        files = List.copyOf(files);
        calls = List.copyOf(calls);
        beforeGuard = List.copyOf(beforeGuard);
    }

    /**
     * The step with the calls that perform it on a host of these facts ({@link HelperFacts#OFFLINE}
     * offline), in run {@code runId}.
     */
    public static PlannedStep of(int number, String name, Action action, Map<String, Object> args, List<FileChange> files,
            String block, Object runId, HelperFacts facts) {
        PlannedStep bare = new PlannedStep(number, name, action, args, files, block, List.of(), List.of());
        return new PlannedStep(number, name, action, args, files, block, StepCalls.of(bare, runId, facts),
                StepCalls.beforeGuard(bare, runId));
    }

    public boolean inBlock() {
        return block != null;
    }
}
