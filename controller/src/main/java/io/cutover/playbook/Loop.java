package io.cutover.playbook;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.Suggestions;
import io.cutover.yaml.YamlValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steps written once and run once per entry of a {@link ValueType#MAPPING_LIST} var ({@code loop:
 * "${triggers}"}): each entry's keys set those of the steps' arguments that have the same name. The
 * planner expands them, per host, into {@code name[1]}, {@code name[2]}… (a loop over one entry keeps
 * the names as written), so the plan, the journal and {@code resume} see ordinary steps.
 */
public record Loop(String var, Location location) {

    private static final Pattern VAR = Pattern.compile("\\$\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}");

    public Loop {
        Objects.requireNonNull(var, "var");
        Objects.requireNonNull(location, "location");
    }

    /**
     * A loop's step runs as {@code name[N]}: only a read-only one, since a step that changes the
     * host records its undo there under its name, which the helper takes as letters, digits, . _ -.
     */
    ActionStep holding(Step step) {
        ActionStep action = (ActionStep) step;
        if (action.action().mutating()) {
            throw new InputException(action.location(), "action", "`" + action.action().key() + "` changes the host; a loop holds "
                    + "read-only steps (" + String.join(", ", Action.keys().stream().filter(k -> !Action.byKey(k).orElseThrow().mutating())
                            .toList()) + "): a step that changes the host records its undo there under a name of its own");
        }
        return action.in(this);
    }

    /** {@code loop: "${var}"}: a declared var of type mapping-list, whose entries set the steps' arguments. */
    static Loop of(YamlValue value, Map<String, VarDecl> vars, Location location) {
        String text = value.asString("loop");
        Matcher m = VAR.matcher(text);
        String var = m.matches() ? m.group(1) : null;
        VarDecl decl = var == null ? null : vars.get(var);
        if (decl == null || decl.type() != ValueType.MAPPING_LIST) {
            List<String> lists = vars.values().stream().filter(d -> d.type() == ValueType.MAPPING_LIST).map(VarDecl::name).toList();
            throw new InputException(value.location(), "loop", "must be \"${VAR}\", VAR a var the playbook declares with type "
                    + ValueType.MAPPING_LIST.key() + " (each entry sets arguments of the loop's steps)"
                    + (decl != null ? "; `" + var + "` is a " + decl.type().key()
                            : var == null ? "" : "; no var `" + var + "`" + Suggestions.didYouMean(var, lists))
                    + (lists.isEmpty() ? "" : "; declared: " + String.join(", ", lists)));
        }
        return new Loop(var, location);
    }
}
