package io.cutover.playbook;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.Suggestions;
import io.cutover.yaml.YamlList;
import io.cutover.yaml.YamlLoader;
import io.cutover.yaml.YamlMap;
import io.cutover.yaml.YamlScalar;
import io.cutover.yaml.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a playbook. Everything that can be checked without a host is checked here
 * (keys, actions, argument types, template files, var declarations), with file:line:column.
 */
public final class PlaybookLoader {

    private static final Set<String> TOP_KEYS = Set.of("name", "description", "vars", "rollout", "steps");
    private static final Set<String> VAR_KEYS = Set.of("type", "default", "required", "description");
    private static final Set<String> ROLLOUT_KEYS = Set.of("forks", "serial", "max_fail_percentage", "rollback");
    private static final Set<String> STEP_KEYS = Set.of("name", "action", "args", "loop");
    private static final Set<String> LOOP_KEYS = Set.of("loop", "steps");
    private static final Set<String> BLOCK_KEYS = Set.of("name", "block", "guard");
    private static final Set<String> GUARD_KEYS = Set.of("deadline");
    private static final Duration DEFAULT_DEADLINE = new Duration(60_000);

    private final YamlLoader yaml;

    public PlaybookLoader(YamlLoader yaml) {
        this.yaml = yaml;
    }

    public Playbook load(Path file) {
        YamlValue root = yaml.load(file);
        if (root == null) {
            throw new InputException(Location.of(file), "the playbook is empty; it needs at least `name` and `steps`");
        }
        YamlMap top = root.asMap("playbook");
        top.rejectUnknownKeys(TOP_KEYS, null);
        String name = top.require("name", null).asString("name");
        String description = top.get("description").map(v -> v.asString("description")).orElse("");
        Map<String, VarDecl> vars = top.get("vars").map(this::vars).orElse(Map.of());
        Rollout rollout = top.get("rollout").map(this::rollout).orElse(Rollout.DEFAULT);
        YamlList stepList = top.require("steps", null).asList("steps");
        Path templates = file.toAbsolutePath().getParent().resolve("templates");
        List<Step> steps = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (YamlValue item : stepList.items()) {
            List<Step> items = steps(item, templates, vars, true);
            steps.addAll(items);
            List<Step> named = new ArrayList<>();
            items.forEach(step -> named.addAll(step instanceof Block block ? block.steps() : List.of(step)));
            for (Step s : named) {
                if (!names.add(s.name())) {
                    throw new InputException(s.location(), "name", "two steps are named `" + s.name()
                            + "`; step names identify steps in the journal and must be unique");
                }
            }
        }
        if (steps.isEmpty()) {
            throw new InputException(stepList.location(), "steps", "no steps: the playbook would do nothing");
        }
        return new Playbook(file, name, description, vars, rollout, steps);
    }

    private Map<String, VarDecl> vars(YamlValue value) {
        Map<String, VarDecl> vars = new LinkedHashMap<>();
        for (YamlMap.Entry entry : value.asMap("vars").entries().values()) {
            String field = "vars." + entry.key();
            if (!entry.key().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new InputException(entry.keyLocation(), field, "not a valid variable name (letters, digits, _)");
            }
            YamlMap decl = entry.value().asMap(field);
            decl.rejectUnknownKeys(VAR_KEYS, field);
            String typeKey = decl.require("type", field).asString(field + ".type");
            ValueType type = ValueType.fromKey(typeKey);
            if (type == null) {
                List<String> keys = java.util.Arrays.stream(ValueType.values()).map(ValueType::key).toList();
                throw new InputException(decl.get("type").orElseThrow().location(), field + ".type",
                        "unknown type `" + typeKey + "`" + Suggestions.didYouMean(typeKey, keys) + "; types: "
                                + String.join(", ", keys));
            }
            boolean required = decl.get("required").map(v -> bool(v, field + ".required")).orElse(false);
            Object defaultValue = decl.get("default").map(YamlValue::toPlain).orElse(null);
            if (required && defaultValue != null) {
                throw new InputException(decl.location(), field, "has both `required: true` and a default; keep one");
            }
            if (!required && defaultValue == null) {
                throw new InputException(decl.location(), field, "needs a `default` or `required: true`");
            }
            if (defaultValue != null && !Templates.isTemplate(defaultValue)) {
                checkValue(type, defaultValue, decl.get("default").orElseThrow().location(), field + ".default");
            }
            String description = decl.get("description").map(v -> v.asString(field + ".description")).orElse("");
            vars.put(entry.key(), new VarDecl(entry.key(), type, required, defaultValue, description, entry.keyLocation()));
        }
        return vars;
    }

    private Rollout rollout(YamlValue value) {
        YamlMap map = value.asMap("rollout");
        map.rejectUnknownKeys(ROLLOUT_KEYS, "rollout");
        Rollout d = Rollout.DEFAULT;
        int forks = map.get("forks").map(v -> intIn(v, "rollout.forks", 1, 1000)).orElse(d.forks());
        List<Rollout.BatchSize> serial = map.get("serial").map(this::serial).orElse(d.serial());
        int maxFail = map.get("max_fail_percentage").map(v -> intIn(v, "rollout.max_fail_percentage", 0, 100))
                .orElse(d.maxFailPercentage());
        boolean rollbackAll = map.get("rollback").map(v -> {
            String text = v.asString("rollout.rollback");
            if (!text.equals("all") && !text.equals("block")) {
                throw new InputException(v.location(), "rollout.rollback",
                        "must be `all` (undo every step on a failed host) or `block` (undo only the guarded block)");
            }
            return text.equals("all");
        }).orElse(d.rollbackAll());
        return new Rollout(forks, serial, maxFail, rollbackAll);
    }

    private List<Rollout.BatchSize> serial(YamlValue value) {
        List<YamlValue> items = value instanceof YamlList list ? list.items() : List.of(value);
        if (items.isEmpty()) {
            throw new InputException(value.location(), "rollout.serial", "an empty list; give e.g. [1, \"10%\", \"100%\"]");
        }
        List<Rollout.BatchSize> sizes = new ArrayList<>();
        for (YamlValue item : items) {
            sizes.add(parseBatchSize(item.asScalar("rollout.serial").value(), item.location()));
        }
        return sizes;
    }

    /** A batch size as written in a playbook or on the command line: 3, "3", "10%". */
    public static Rollout.BatchSize parseBatchSize(Object raw, Location location) {
        String text = String.valueOf(raw).trim();
        boolean percent = text.endsWith("%");
        String digits = percent ? text.substring(0, text.length() - 1).trim() : text;
        try {
            return new Rollout.BatchSize(Integer.parseInt(digits), percent);
        } catch (IllegalArgumentException e) {
            String message = "`" + text + "` is not a batch size: use a host count (1, 5) or a percentage (\"10%\", \"100%\")";
            throw location == null ? new InputException(message) : new InputException(location, "rollout.serial", message);
        }
    }

    /** One entry of a steps list: a step, a block, or a loop's steps ({@code loop:} with {@code steps:}). */
    private List<Step> steps(YamlValue value, Path templates, Map<String, VarDecl> vars, boolean topLevel) {
        YamlMap map = value.asMap("steps[]");
        if (map.get("loop").isEmpty()) {
            return List.of(step(map, templates, vars, topLevel));
        }
        Loop loop = Loop.of(map.get("loop").orElseThrow(), vars, map.location());
        if (map.get("steps").isEmpty()) {
            return List.of(loop.holding(step(map, templates, vars, false))); // Ansible's loop: on one step
        }
        map.rejectUnknownKeys(LOOP_KEYS, "loop");
        YamlList items = map.require("steps", "loop").asList("loop.steps");
        List<Step> steps = new ArrayList<>();
        for (YamlValue item : items.items()) {
            YamlMap inner = item.asMap("loop.steps[]");
            if (inner.get("loop").isPresent() || inner.get("block").isPresent()) {
                throw new InputException(inner.location(), inner.get("loop").isPresent() ? "loop" : "block",
                        "a loop's steps are actions: loops cannot be nested, and a loop goes inside a block, not around one");
            }
            steps.add(loop.holding(step(inner, templates, vars, false)));
        }
        if (steps.isEmpty()) {
            throw new InputException(items.location(), "loop.steps", "an empty loop; it needs at least one step");
        }
        return steps;
    }

    private Step step(YamlMap map, Path templates, Map<String, VarDecl> vars, boolean topLevel) {
        if (map.get("block").isPresent()) {
            if (!topLevel) {
                throw new InputException(map.location(), "block", "blocks cannot be nested");
            }
            map.rejectUnknownKeys(BLOCK_KEYS, "block");
            String name = map.require("name", "block").asString("name");
            Duration deadline = DEFAULT_DEADLINE;
            if (map.get("guard").isPresent()) {
                YamlMap guard = map.get("guard").orElseThrow().asMap("guard");
                guard.rejectUnknownKeys(GUARD_KEYS, "guard");
                deadline = guard.get("deadline").map(v -> (Duration) checkValue(ValueType.DURATION, v.toPlain(),
                        v.location(), "guard.deadline")).orElse(DEFAULT_DEADLINE);
            }
            YamlList items = map.require("block", "block").asList("block");
            List<ActionStep> steps = new ArrayList<>();
            for (YamlValue item : items.items()) {
                steps(item, templates, vars, false).forEach(step -> steps.add((ActionStep) step));
            }
            if (steps.isEmpty()) {
                throw new InputException(items.location(), "block", "an empty block; it needs at least one step");
            }
            return new Block(name, deadline, steps, map.location());
        }
        map.rejectUnknownKeys(STEP_KEYS, "step");
        YamlValue actionValue = map.require("action", "step");
        String actionKey = actionValue.asString("action");
        Action action = Action.byKey(actionKey).orElseThrow(() -> new InputException(actionValue.location(), "action",
                "unknown action `" + actionKey + "`" + Suggestions.didYouMean(actionKey, Action.keys())
                        + "; actions: " + String.join(", ", Action.keys())));
        String name = map.get("name").map(v -> v.asString("name")).orElse(action.key());
        Map<String, Object> args = new LinkedHashMap<>();
        YamlMap argMap = map.get("args").map(v -> v.asMap("args")).orElse(null);
        if (argMap != null) {
            argMap.rejectUnknownKeys(action.args().keySet(), action.key() + " args");
            for (YamlMap.Entry entry : argMap.entries().values()) {
                ArgSpec spec = action.args().get(entry.key());
                Object raw = entry.value().toPlain();
                String field = action.key() + " " + entry.key();
                args.put(entry.key(), Templates.isTemplate(raw) ? raw : checkArg(spec, raw, entry.value().location(), field));
                if (entry.key().equals("template") && raw instanceof String template && !Templates.isTemplate(raw)) {
                    checkTemplateFile(templates, template, entry.value().location());
                }
            }
        }
        for (ArgSpec spec : action.args().values()) {
            if (spec.required() && !args.containsKey(spec.name())) {
                throw new InputException(map.location(), action.key(), "missing required argument `" + spec.name()
                        + "` (" + spec.type().description() + "): " + spec.help());
            }
        }
        if (action == Action.TRIGGER) {
            TriggerArgs.problem(args, Templates::isTemplate).ifPresent(problem -> {
                throw new InputException(argMap != null && argMap.get(problem.arg()).isPresent()
                        ? argMap.get(problem.arg()).orElseThrow().location() : map.location(),
                        action.key() + " " + problem.arg(), problem.message());
            });
        }
        checkVarReferences(args, vars, map.location());
        return new ActionStep(name, action, args, map.location());
    }

    private static void checkTemplateFile(Path templates, String template, Location location) {
        if (template.startsWith("/") || template.contains("..")) {
            throw new InputException(location, "template", "`" + template + "` must be a path inside " + templates);
        }
        if (!Files.isRegularFile(templates.resolve(template))) {
            throw new InputException(location, "template", "no template `" + template + "` in " + templates);
        }
    }

    /** A template argument may only name declared vars (or facts): catches typos before any host. */
    private static void checkVarReferences(Map<String, Object> args, Map<String, VarDecl> vars, Location location) {
        for (Map.Entry<String, Object> arg : args.entrySet()) {
            for (String name : Templates.referencedNames(arg.getValue())) {
                if (!vars.containsKey(name) && !Templates.BUILTIN_NAMES.contains(name)) {
                    throw new InputException(location, arg.getKey(), "uses `" + name + "`, which the playbook's vars do not declare"
                            + Suggestions.didYouMean(name, vars.keySet()));
                }
            }
        }
    }

    private static Object checkArg(ArgSpec spec, Object raw, Location location, String field) {
        try {
            return spec.check(raw);
        } catch (IllegalArgumentException e) {
            throw new InputException(location, field, e.getMessage() + " (expected: " + spec.type().description() + ")");
        }
    }

    static Object checkValue(ValueType type, Object raw, Location location, String field) {
        try {
            return type.validate(raw);
        } catch (IllegalArgumentException e) {
            throw new InputException(location, field, e.getMessage() + " (expected: " + type.description() + ")");
        }
    }

    private static boolean bool(YamlValue value, String field) {
        Object plain = value.asScalar(field).value();
        if (plain instanceof Boolean b) {
            return b;
        }
        throw new InputException(value.location(), field, "expected true or false, found " + value.kind());
    }

    private static int intIn(YamlValue value, String field, int min, int max) {
        Object plain = value instanceof YamlScalar s ? s.value() : null;
        if (plain instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        throw new InputException(value.location(), field, "expected a whole number from " + min + " to " + max
                + ", found " + value.kind());
    }
}
