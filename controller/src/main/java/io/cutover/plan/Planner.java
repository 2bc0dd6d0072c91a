package io.cutover.plan;

import freemarker.template.TemplateHashModel;
import io.cutover.playbook.Action;
import io.cutover.playbook.ActionStep;
import io.cutover.playbook.ArgSpec;
import io.cutover.playbook.Block;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.Secret;
import io.cutover.playbook.Step;
import io.cutover.playbook.Templates;
import io.cutover.playbook.TriggerArgs;
import io.cutover.yaml.VarValues;
import io.cutover.render.Renderer;
import io.cutover.yaml.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a playbook into one host's plan: vars resolved, arguments evaluated and type checked,
 * files rendered and diffed against what the host has, each step's helper calls, and — given live
 * facts — what {@link Preflight} finds (the plan's warnings). Pure given its inputs — the same
 * planner serves {@code plan --offline}, the online plan and {@code apply}; only the facts differ.
 */
public final class Planner {

    private final Playbook playbook;
    private final Renderer renderer;
    private final VarValues overrides;

    /**
     * @param overrides {@code -e} values, already parsed; each must name a var the playbook declares
     */
    public Planner(Playbook playbook, Renderer renderer, VarValues overrides) {
        this.playbook = playbook;
        this.renderer = renderer;
        for (Map.Entry<String, Object> override : overrides.values().entrySet()) {
            String name = override.getKey();
            if (override.getValue() == null) {
                // `key:` with nothing after it in an -e @file (YAML null)
                throw overrideError(overrides, name, "has no value (null: nothing after the colon); give it a value or leave it out");
            }
            if (!playbook.vars().containsKey(name)) {
                throw overrideError(overrides, name, "the playbook " + playbook.file() + " declares no var `" + name + "`"
                        + io.cutover.yaml.Suggestions.didYouMean(name, playbook.vars().keySet())
                        + "; it declares: " + String.join(", ", playbook.vars().keySet()));
            }
        }
        this.overrides = overrides;
    }

    private static InputException overrideError(VarValues overrides, String name, String problem) {
        return overrides.origin(name)
                .map(origin -> new InputException(origin, name, "-e: " + problem))
                .orElseGet(() -> new InputException("-e " + name + ": " + problem));
    }

    /** @param inventoryVars the host's inventory vars, with where each was written */
    public HostPlan plan(String host, VarValues inventoryVars, HostFacts facts, Object runId) {
        VarResolver vars = new VarResolver(host, playbook.vars(), inventoryVars, overrides, facts.tree(), runId, renderer);
        HostSteps planning = new HostSteps(host, vars, renderer.model(vars.all()), facts, runId);
        List<PlannedStep> steps = new ArrayList<>();
        List<LoopSteps.Expanded> all = new ArrayList<>();
        Block guarded = null;
        List<ActionStep> outside = new ArrayList<>();
        for (Step step : playbook.steps()) {
            if (step instanceof ActionStep action) {
                outside.add(action);
                continue;
            }
            planning.planAll(LoopSteps.of(outside, vars), null, steps, all);
            outside.clear();
            guarded = (Block) step;
            planning.planAll(LoopSteps.of(guarded.steps(), vars), guarded.name(), steps, all);
        }
        planning.planAll(LoopSteps.of(outside, vars), null, steps, all);
        LoopSteps.requireUniqueNames(all);
        HostPlan plan = new HostPlan(host, steps, guarded, List.of(), List.of(), facts, runId);
        if (facts.parsed().offline()) {
            return plan; // preflight needs the facts
        }
        List<String> preflight = Preflight.problems(plan, facts.parsed());
        return new HostPlan(host, steps, guarded, preflight.stream().map(p -> HostPlan.REFUSES + p).toList(), preflight,
                facts, runId);
    }

    private static boolean isEmpty(Object value) {
        return "".equals(value) || (value instanceof Secret secret && secret.value().isEmpty());
    }

    /** Planning one host: its vars and facts, the files as the steps planned so far leave them, the triggers so far. */
    private final class HostSteps {

        private final String host;
        private final VarResolver vars;
        private final TemplateHashModel model;
        private final HostFacts facts;
        private final Object runId;
        // Files as they will be after the steps planned so far: a second install of the same path
        // (the block's "restore forwarders") diffs against the first, not against today's file.
        private final Map<String, CurrentFile> files = new java.util.HashMap<>();
        private int triggers;

        HostSteps(String host, VarResolver vars, TemplateHashModel model, HostFacts facts, Object runId) {
            this.host = host;
            this.vars = vars;
            this.model = model;
            this.facts = facts;
            this.runId = runId;
        }

        /**
         * Plans the steps of a block ({@code block} its name) or of a run of steps outside any.
         * In a block only the last capture-verify ends the capture: the others read the same one.
         */
        void planAll(List<LoopSteps.Expanded> expanded, String block, List<PlannedStep> steps, List<LoopSteps.Expanded> all) {
            LoopSteps.Expanded lastVerify = expanded.stream().filter(s -> s.step().action() == Action.CAPTURE_VERIFY)
                    .reduce((first, second) -> second).orElse(null);
            for (LoopSteps.Expanded step : expanded) {
                steps.add(plan(steps.size() + 1, step, block, block == null || step == lastVerify));
            }
            all.addAll(expanded);
        }

        /** @param lastVerify for a capture-verify: no later one in its block reads the same capture, so it ends it */
        private PlannedStep plan(int number, LoopSteps.Expanded expanded, String block, boolean lastVerify) {
            ActionStep step = expanded.step();
            Action action = step.action();
            String at = "host " + host + ": step `" + expanded.name() + "` (" + step.location() + ")";
            Map<String, Object> args = new LinkedHashMap<>();
            for (ArgSpec spec : action.args().values()) {
                boolean fromEntry = expanded.sets(spec.name());
                Object raw = fromEntry ? expanded.entry().get(spec.name())
                        : step.args().containsKey(spec.name()) ? step.args().get(spec.name()) : spec.defaultValue();
                if (raw == null) {
                    continue;
                }
                String where = at + " " + (fromEntry ? expanded.part() + "." : "") + spec.name();
                Object value = renderer.evaluate(raw, model, where);
                if (!spec.required() && isEmpty(value)) {
                    continue; // an optional argument rendered empty is not set (e.g. no admin user)
                }
                if (!VarResolver.containsUnknown(value)) {
                    try {
                        value = spec.check(value);
                    } catch (IllegalArgumentException e) {
                        String problem = e.getMessage() + " (expected: " + spec.type().description() + ")";
                        throw fromEntry ? vars.partError(step.loop().var(), expanded.part() + "." + spec.name(), problem)
                                : new InputException(where + ": " + problem);
                    }
                }
                args.put(spec.name(), value);
            }
            if (action == Action.CAPTURE_VERIFY) {
                args.putIfAbsent("stop", lastVerify);
            }
            if (action == Action.TRIGGER) {
                trigger(expanded, args, at);
            }
            List<FileChange> changes = new ArrayList<>();
            if (action == Action.FILE_INSTALL) {
                changes.add(change(String.valueOf(args.get("path")), renderer.render(String.valueOf(args.get("template")), model), facts, files));
            } else if (action == Action.RESOLV_INSTALL) {
                resolvFiles(args, renderer.render(String.valueOf(args.get("template")), model), facts, files, changes);
            }
            return PlannedStep.of(number, expanded.name(), action, args, changes, block, runId, facts.parsed());
        }

        /**
         * A getent or http trigger without a name looks up one with the run id in it, the Nth
         * trigger's with -N too: fresh in every run, and no two triggers of a run share one.
         */
        private void trigger(LoopSteps.Expanded expanded, Map<String, Object> args, String at) {
            triggers++;
            if (List.of("getent", "http").contains(String.valueOf(args.get("via"))) && !args.containsKey("name")) {
                args.put("name", "cutover-probe-" + runId + (triggers == 1 ? "" : "-" + triggers) + ".invalid");
            }
            Object via = args.get("via");
            if (!VarResolver.containsUnknown(via)) {
                args.keySet().removeIf(arg -> !TriggerArgs.uses(via, arg));
            }
            TriggerArgs.problem(args, VarResolver::containsUnknown).ifPresent(problem -> {
                if (expanded.sets("via") || expanded.sets(problem.arg())) {
                    throw vars.partError(expanded.step().loop().var(),
                            expanded.part() + (expanded.sets(problem.arg()) ? "." + problem.arg() : ""), problem.message());
                }
                Object written = expanded.step().args().get(problem.arg());
                throw new InputException(at + " " + problem.arg() + ": " + problem.message()
                        + (Templates.isTemplate(written) ? "; the step's " + problem.arg() + " is " + written
                                + (Templates.referencedNames(written).isEmpty() ? ""
                                        : ": give -e " + Templates.referencedNames(written).iterator().next() + "=...") : ""));
            });
        }
    }

    private static FileChange change(String path, String content, HostFacts facts, Map<String, CurrentFile> planned) {
        FileChange change = new FileChange(path, planned.getOrDefault(path, facts.file(path)), content);
        planned.put(path, CurrentFile.of(content));
        return change;
    }

    /**
     * resolv.conf through its owner: the owner's configuration file first (its content is the
     * helper's, from facts), then resolv.conf as cutover writes it. Where the owner generates
     * resolv.conf itself (resolvconf), there is no file of ours to diff: the step's
     * {@code nameservers} say what it must list.
     */
    private static void resolvFiles(Map<String, Object> args, String content, HostFacts facts, Map<String, CurrentFile> planned,
            List<FileChange> files) {
        ResolvFacts resolv = facts.parsed().resolv();
        resolv.ownerFile().ifPresent(f -> files.add(new FileChange(f.path(), planned.getOrDefault(f.path(), f.current()), f.content())));
        args.put("nameservers", content.lines().map(String::strip).filter(l -> l.startsWith("nameserver "))
                .map(l -> l.substring("nameserver ".length()).strip()).toList());
        if (resolv.owner().map(ResolvFacts.Owner::writtenByCutover).orElse(true)) {
            files.add(change(String.valueOf(args.get("path")), content, facts, planned));
        }
    }
}
