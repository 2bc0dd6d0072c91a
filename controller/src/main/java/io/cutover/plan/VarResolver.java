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
        String kind; // where the value came from, as a message says it before the var's name
        String declaredAt = "";
        Object raw;
        Location origin = null;
        if (overrides.values().containsKey(name)) {
            kind = "-e";
            raw = overrides.values().get(name);
            origin = overrides.origin(name).orElse(null);
        } else if (inventoryVars.values().containsKey(name)) {
            kind = "inventory var";
            raw = inventoryVars.values().get(name);
            origin = inventoryVars.origin(name).orElse(null);
        } else if (!decl.required()) {
            kind = "default of";
            declaredAt = " (" + decl.location() + ")";
            raw = decl.defaultValue();
        } else {
            throw new InputException(decl.location(), "vars." + name, "host " + host + " has no value for this required var ("
                    + decl.type().description() + (decl.description().isEmpty() ? "" : ": " + decl.description())
                    + "); set it in the inventory for the host or its group, or pass -e " + name + "=...");
        }
        String source = kind + " " + name + declaredAt;
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
