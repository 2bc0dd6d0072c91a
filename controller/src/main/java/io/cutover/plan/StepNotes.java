package io.cutover.plan;

import io.cutover.playbook.Action;
import java.util.List;

/** The plan's sentences about what a step means on this host, beyond its diffs and commands. */
public final class StepNotes {

    private StepNotes() {
    }

    /** @param facts the host's facts tree (an {@link io.cutover.render.Unknown} offline) */
    public static List<String> of(Action action, Object facts) {
        return switch (action) {
            case BIND_INSTALL, BIND_START -> BindNotes.of(action, BindFacts.of(facts));
            case RESOLV_INSTALL -> List.of(ResolvNotes.of(ResolvFacts.of(facts)));
            default -> List.of();
        };
    }
}
