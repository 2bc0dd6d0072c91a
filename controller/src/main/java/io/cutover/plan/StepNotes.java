package io.cutover.plan;

import java.util.ArrayList;
import java.util.List;

/** What a step means on one host, in the plan's words ("on this host: …"): the text and JSON plans print these. */
public final class StepNotes {

    private StepNotes() {
    }

    public static List<String> of(HostPlan host, PlannedStep step) {
        List<String> notes = new ArrayList<>(BindNotes.of(step.action(), host.facts().parsed().bind()));
        if (step.action() == io.cutover.playbook.Action.RESOLV_INSTALL) {
            notes.add(ResolvNotes.of(host.facts().parsed().resolv()));
        }
        notes.addAll(RefreshPlan.notes(step, host.facts().parsed(), host.steps()));
        return List.copyOf(notes);
    }
}
