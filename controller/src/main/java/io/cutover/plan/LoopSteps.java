package io.cutover.plan;

import io.cutover.playbook.ActionStep;
import io.cutover.playbook.Loop;
import io.cutover.yaml.InputException;
import io.cutover.yaml.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run of playbook steps as they run on one host: a {@link Loop}'s steps once per entry of its
 * var, named {@code name[N]} (as written when the list has one entry), each with the arguments its
 * entry sets. An entry's key that none of the loop's steps takes is refused, where it was written.
 */
final class LoopSteps {

    /**
     * One step to plan. {@code entry}: the arguments its loop entry sets (empty outside a loop);
     * {@code part}: how messages name that entry ({@code triggers[2]}), {@code null} outside a loop.
     */
    record Expanded(ActionStep step, String name, Map<String, Object> entry, String part) {

        boolean sets(String arg) {
            return entry.containsKey(arg);
        }
    }

    private LoopSteps() {
    }

    static List<Expanded> of(List<ActionStep> steps, VarResolver vars) {
        List<Expanded> expanded = new ArrayList<>();
        for (int i = 0; i < steps.size();) {
            Loop loop = steps.get(i).loop();
            int end = i + 1;
            while (loop != null && end < steps.size() && steps.get(end).loop() == loop) {
                end++;
            }
            if (loop == null) {
                expanded.add(new Expanded(steps.get(i), steps.get(i).name(), Map.of(), null));
            } else {
                expand(loop, steps.subList(i, end), vars, expanded);
            }
            i = end;
        }
        return expanded;
    }

    private static void expand(Loop loop, List<ActionStep> group, VarResolver vars, List<Expanded> into) {
        List<String> names = group.stream().map(ActionStep::name).toList();
        String what = "the loop at " + loop.location() + " (steps " + String.join(", ", names) + ")";
        if (!(vars.get(loop.var()) instanceof List<?> entries)) {
            throw vars.partError(loop.var(), loop.var(), what + " needs its entries before any host is contacted, not from facts");
        }
        if (entries.isEmpty()) {
            throw vars.partError(loop.var(), loop.var(), "an empty list: " + what + " would run none of its steps; give at "
                    + "least one entry ([{}] runs them once, with their own arguments)");
        }
        Set<String> keys = new LinkedHashSet<>();
        group.forEach(step -> keys.addAll(step.action().args().keySet()));
        keys.remove("stop"); // the block's last capture-verify ends the capture, whatever the entries say
        for (int n = 1; n <= entries.size(); n++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) entries.get(n - 1);
            String part = loop.var() + "[" + n + "]";
            for (String key : entry.keySet()) {
                if (!keys.contains(key)) {
                    throw vars.partError(loop.var(), part + "." + key, "unknown key `" + key + "`" + Suggestions.didYouMean(key, keys)
                            + "; an entry of " + what + " sets their arguments: " + String.join(", ", keys));
                }
            }
            for (ActionStep step : group) {
                into.add(new Expanded(step, entries.size() == 1 ? step.name() : step.name() + "[" + n + "]", entry, part));
            }
        }
    }

    /** Step names identify steps in the journal: a loop must not make one that another step has. */
    static void requireUniqueNames(List<Expanded> steps) {
        Set<String> seen = new java.util.HashSet<>();
        for (Expanded step : steps) {
            if (!seen.add(step.name())) {
                throw new InputException(step.step().location(), "name", "two steps are named `" + step.name()
                        + "` once the loop is expanded; step names identify steps in the journal and must be unique");
            }
        }
    }
}
