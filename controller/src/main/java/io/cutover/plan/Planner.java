package io.cutover.plan;

import freemarker.template.TemplateHashModel;
import io.cutover.playbook.Action;
import io.cutover.playbook.ActionStep;
import io.cutover.playbook.ArgSpec;
import io.cutover.playbook.Block;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.Secret;
import io.cutover.playbook.Step;
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
        TemplateHashModel model = renderer.model(vars.all());
        List<PlannedStep> steps = new ArrayList<>();
        // Files as they will be after the steps planned so far: a second install of the same path
        // (the block's "restore forwarders") diffs against the first, not against today's file.
        Map<String, CurrentFile> files = new java.util.HashMap<>();
        Block guarded = null;
        for (Step step : playbook.steps()) {
            if (step instanceof Block block) {
                guarded = block;
                ActionStep lastVerify = block.steps().stream().filter(s -> s.action() == Action.CAPTURE_VERIFY)
                        .reduce((first, second) -> second).orElse(null);
                for (ActionStep inner : block.steps()) {
                    steps.add(planStep(steps.size() + 1, inner, block.name(), host, model, facts, files, runId,
                            inner == lastVerify));
                }
            } else {
                steps.add(planStep(steps.size() + 1, (ActionStep) step, null, host, model, facts, files, runId, true));
            }
        }
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

    /** @param lastVerify for a capture-verify: no later one in its block reads the same capture, so it ends it */
    private PlannedStep planStep(int number, ActionStep step, String block, String host, TemplateHashModel model,
            HostFacts facts, Map<String, CurrentFile> planned, Object runId, boolean lastVerify) {
        Action action = step.action();
        Map<String, Object> args = new LinkedHashMap<>();
        for (ArgSpec spec : action.args().values()) {
            Object raw = step.args().containsKey(spec.name()) ? step.args().get(spec.name()) : spec.defaultValue();
            if (raw == null) {
                continue;
            }
            String where = "host " + host + ": step `" + step.name() + "` (" + step.location() + ") " + spec.name();
            Object value = renderer.evaluate(raw, model, where);
            if (!spec.required() && isEmpty(value)) {
                continue; // an optional argument rendered empty is not set (e.g. no admin user)
            }
            if (!VarResolver.containsUnknown(value)) {
                try {
                    value = spec.check(value);
                } catch (IllegalArgumentException e) {
                    throw new InputException(where + ": " + e.getMessage() + " (expected: " + spec.type().description() + ")");
                }
            }
            args.put(spec.name(), value);
        }
        if (action == Action.CAPTURE_VERIFY) {
            args.putIfAbsent("stop", lastVerify);
        }
        if (action == Action.TRIGGER && "http".equals(args.get("via")) && !String.valueOf(args.get("url")).contains("{name}")) {
            throw new InputException("host " + host + ": step `" + step.name() + "` (" + step.location() + "): trigger via http needs `url`, "
                    + "with {name} where the name goes (e.g. -e trigger_url='http://127.0.0.1:8082/resolve?name={name}')");
        }
        if (action == Action.TRIGGER && "reload".equals(args.get("via")) && args.get("pidfile") == null) {
            throw new InputException("host " + host + ": step `" + step.name() + "` (" + step.location() + "): trigger via reload needs "
                    + "`pidfile`: the nginx or HAProxy master to reload");
        }
        List<FileChange> files = new ArrayList<>();
        if (action == Action.FILE_INSTALL) {
            files.add(change(String.valueOf(args.get("path")), renderer.render(String.valueOf(args.get("template")), model), facts, planned));
        } else if (action == Action.RESOLV_INSTALL) {
            resolvFiles(args, renderer.render(String.valueOf(args.get("template")), model), facts, planned, files);
        }
        return PlannedStep.of(number, step.name(), action, args, files, block, runId, facts.parsed());
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
