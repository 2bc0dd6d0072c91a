package io.cutover.plan;

import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateModel;
import io.cutover.playbook.Templates;
import io.cutover.playbook.VarDecl;
import io.cutover.yaml.VarValues;
import io.cutover.render.Renderer;
import io.cutover.render.Unknown;
import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a playbook's declared vars for one host. Precedence, lowest first: the playbook's
 * default, the host's inventory vars (Ansible's own precedence already applied), {@code -e}.
 * A value may be a template over facts and other vars; it is evaluated lazily (cycles are
 * reported) and then checked against the declared type unless facts are still unknown. A bad
 * value is reported at the file, line and column it was written at, when it came from a file.
 */
final class VarResolver {

    private final String host;
    private final Map<String, VarDecl> decls;
    private final VarValues inventoryVars;
    private final VarValues overrides;
    private final Object facts;
    private final Object runId;
    private final Renderer renderer;
    private final Map<String, Object> resolved = new LinkedHashMap<>();
    private final Deque<String> resolving = new ArrayDeque<>();

    VarResolver(String host, Map<String, VarDecl> decls, VarValues inventoryVars, VarValues overrides,
            Object facts, Object runId, Renderer renderer) {
        this.host = host;
        this.decls = decls;
        this.inventoryVars = inventoryVars;
        this.overrides = overrides;
        this.facts = facts;
        this.runId = runId;
        this.renderer = renderer;
    }

    /** Every declared var resolved, plus the built-in names, ready to hand to templates. */
    Map<String, Object> all() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : decls.keySet()) {
            values.put(name, get(name));
        }
        values.put("facts", facts);
        values.put("inventory_hostname", host);
        values.put("run_id", runId);
        return values;
    }

    /** A model that resolves vars as templates ask for them. */
    TemplateHashModel lazyModel() {
        return new TemplateHashModel() {
            @Override
            public TemplateModel get(String key) {
                return switch (key) {
                    case "facts" -> renderer.wrap(facts);
                    case "inventory_hostname" -> renderer.wrap(host);
                    case "run_id" -> renderer.wrap(runId);
                    default -> decls.containsKey(key) ? renderer.wrap(VarResolver.this.get(key)) : null;
                };
            }

            @Override
            public boolean isEmpty() {
                return false;
            }
        };
    }

    Object get(String name) {
        if (resolved.containsKey(name)) {
            return resolved.get(name);
        }
        if (resolving.contains(name)) {
            throw new InputException("host " + host + ": vars refer to each other in a cycle: "
                    + String.join(" -> ", (Iterable<String>) resolving::descendingIterator) + " -> " + name);
        }
        VarDecl decl = decls.get(name);
        Source from = source(name);
        String kind = from.kind();
        Object raw = from.values() == null ? decl.defaultValue() : from.values().values().get(name);
        Location origin = from.values() == null ? null : from.values().origin(name).orElse(null);
        String source = kind + " " + name + (from.values() == null ? " (" + decl.location() + ")" : "");
        resolving.push(name);
        Object value;
        try {
            value = Templates.isTemplate(raw)
                    ? renderer.evaluate(raw, lazyModel(), (origin == null ? "" : origin + ": ") + "host " + host + ": " + source)
                    : raw;
        } finally {
            resolving.pop();
        }
        if (!containsUnknown(value)) {
            try {
                value = decl.type().validate(value);
            } catch (IllegalArgumentException e) {
                String problem = e.getMessage() + " (expected: " + decl.type().description() + ")";
                throw origin == null
                        ? new InputException("host " + host + ": " + source + ": " + problem)
                        : new InputException(origin, name, "host " + host + ", " + kind + ": " + problem);
            }
        }
        resolved.put(name, value);
        return value;
    }

    /**
     * Where the value of var {@code name} comes from: {@code values} the -e or inventory values that
     * set it, {@code null} for the playbook's default. {@code kind} is how a message says it.
     */
    private record Source(String kind, VarValues values) {
    }

    private Source source(String name) {
        if (overrides.values().containsKey(name)) {
            return new Source("-e", overrides);
        }
        if (inventoryVars.values().containsKey(name)) {
            return new Source("inventory var", inventoryVars);
        }
        VarDecl decl = decls.get(name);
        if (decl.required()) {
            throw new InputException(decl.location(), "vars." + name, "host " + host + " has no value for this required var ("
                    + decl.type().description() + (decl.description().isEmpty() ? "" : ": " + decl.description())
                    + "); set it in the inventory for the host or its group, or pass -e " + name + "=...");
        }
        return new Source("default of", null);
    }

    /**
     * A bad part of var {@code name}'s value, e.g. {@code triggers[2].pidfile}, reported where that
     * part was written when a file says (an -e @file, the playbook's default), else where the var was.
     */
    InputException partError(String name, String part, String problem) {
        Source from = source(name);
        Location at = from.values() == null ? decls.get(name).location()
                : from.values().origin(part).or(() -> from.values().origin(name)).orElse(null);
        String kind = from.values() == null ? "default" : from.kind();
        return at == null ? new InputException("host " + host + ": " + kind + " " + part + ": " + problem)
                : new InputException(at, part, "host " + host + ", " + kind + ": " + problem);
    }

    static boolean containsUnknown(Object value) {
        if (value instanceof Unknown) {
            return true;
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(VarResolver::containsUnknown);
        }
        return false;
    }
}
