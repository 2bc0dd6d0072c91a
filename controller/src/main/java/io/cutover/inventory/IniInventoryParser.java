package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one INI inventory into the builder, line for line as ansible-core's {@code ini} plugin
 * does: lines before any section are hosts of {@code ungrouped}; {@code [g]} holds host lines
 * ({@code NAME[:PORT] key=value ...}, split like a shell line), {@code [g:children]} group names
 * (which may be declared further down), {@code [g:vars]} one {@code key = value} per line. Every
 * value is read as a Python literal ({@link PythonLiteral}). Ansible's own parse errors are
 * errors here too, each naming file:line and the fix.
 */
final class IniInventoryParser {

    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$",
            Pattern.UNICODE_CHARACTER_CLASS);
    /** Python's str.splitlines() line ends. */
    private static final Pattern LINE_END = Pattern.compile("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]");
    private static final List<String> STATES = List.of("hosts", "children", "vars");

    /** A group used before its section: a child named in [p:children], or a [g:vars] with no [g] yet. */
    private static final class Pending {
        final int line;
        final String state;
        final List<String> parents = new ArrayList<>();

        Pending(int line, String state) {
            this.line = line;
            this.state = state;
        }
    }

    private final Path file;
    private final InventoryBuilder inventory;
    private final Strictness strictness;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private int lineNumber;
    private String raw;

    IniInventoryParser(Path file, InventoryBuilder inventory, Strictness strictness) {
        this.file = file;
        this.inventory = inventory;
        this.strictness = strictness;
    }

    void parse(String text) {
        String group = Inventory.UNGROUPED;
        String state = "hosts";
        for (String original : LINE_END.split(text, -1)) {
            lineNumber++;
            raw = original;
            String line = original.strip();
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                group = section.group(1);
                state = section.group(2) == null ? "hosts" : section.group(2);
                openSection(group, state);
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                throw error(1, "invalid section header `" + line + "`: write [GROUP], [GROUP:children] or [GROUP:vars],"
                        + " with no spaces, colons or `]` in the group name");
            }
            switch (state) {
                case "hosts" -> hostLine(group, line);
                case "vars" -> varLine(group, line);
                default -> childLine(group, line);
            }
        }
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            Pending p = entry.getValue();
            lineNumber = p.line;
            if (p.state.equals("vars")) {
                throw error(0, "section [" + entry.getKey() + ":vars] is for a group this file never declares; add a ["
                        + entry.getKey() + "] section (it may be empty)" + closest(entry.getKey()));
            }
            String parent = p.parents.get(p.parents.size() - 1);
            throw error(0, "[" + parent + ":children] names `" + entry.getKey() + "`, which is no group in this file;"
                    + " add a [" + entry.getKey() + "] section (it may be empty), or if `" + entry.getKey()
                    + "` is a host, list it under [" + parent + "]" + closest(entry.getKey()));
        }
    }

    private void openSection(String group, String state) {
        if (!STATES.contains(state)) {
            String suggestion = Suggestions.closest(state, STATES).map(s -> "; did you mean [" + group + ":" + s + "]?")
                    .orElse("; the kinds are [" + group + "], [" + group + ":children] and [" + group + ":vars]");
            throw error(1, "section [" + group + ":" + state + "] has unknown kind `" + state + "`" + suggestion);
        }
        Location here = at(1);
        if (!inventory.groups.containsKey(group)) {
            if (state.equals("vars") && !pending.containsKey(group)) {
                pending.put(group, new Pending(lineNumber, state));
            }
            Names.check(strictness, here, "group", group);
            inventory.addGroup(group, here);
        }
        Pending waiting = pending.get(group);
        if (waiting != null && !state.equals("vars")) {
            if (waiting.state.equals("children")) {
                addPendingChildren(group);
            } else {
                pending.remove(group);
            }
        }
    }

    /** Ansible's _add_pending_children, including its walk up to parents that were pending too. */
    private void addPendingChildren(String group) {
        for (String parent : pending.get(group).parents) {
            inventory.addChild(parent, group, at(0));
            Pending up = pending.get(parent);
            if (up != null && up.state.equals("children")) {
                addPendingChildren(parent);
            }
        }
        pending.remove(group);
    }

    private void childLine(String group, String line) {
        Matcher m = GROUP_NAME.matcher(line);
        if (!m.matches()) {
            throw error(1, "expected a group name in [" + group + ":children], found `" + line + "`; list one child"
                    + " group per line (hosts go under [" + group + "], vars under [" + group + ":vars])");
        }
        String child = m.group(1);
        if (inventory.groups.containsKey(child)) {
            inventory.addChild(group, child, at(1));
        } else {
            pending.computeIfAbsent(child, c -> new Pending(lineNumber, "children")).parents.add(group);
        }
    }

    private void varLine(String group, String line) {
        int equals = line.indexOf('=');
        if (equals < 0) {
            throw error(1, "expected `key = value` in [" + group + ":vars], found `" + line + "`; hosts go under ["
                    + group + "], child groups under [" + group + ":children]");
        }
        String key = line.substring(0, equals).strip();
        String text = line.substring(equals + 1).strip();
        Location where = at(raw.indexOf(key) + 1);
        Object value = literal(key, text, where);
        if (value instanceof String s && s.contains(" #")) {
            strictness.warn(where, "the value of `" + key + "` is `" + s + "`: in a [" + group + ":vars] section"
                    + " Ansible keeps a trailing `# comment` as part of the value; put the comment on its own line");
        }
        if (key.equals(YamlInventoryParser.PRIORITY)) {
            Integer priority = YamlInventoryParser.pythonInt(value);
            if (priority == null) {
                throw new InputException(where, "`" + key + "` of group `" + group + "` must be a whole number, found `"
                        + text + "`");
            }
            inventory.setPriority(group, priority);
            return;
        }
        inventory.setVariable(group, key, value, where);
    }

    private void hostLine(String group, String line) {
        List<String> words;
        try {
            words = ShellWords.split(line);
        } catch (ShellWords.SplitException e) {
            throw error(1, "cannot read this host line (" + e.getMessage() + "); close the quote or escape it with \\");
        }
        if (words.isEmpty()) {
            return;
        }
        String pattern = words.get(0);
        Location where = at(raw.indexOf(pattern) + 1);
        HostAddress.Parsed address = HostAddress.splitPort(pattern);
        if (pattern.strip().endsWith(":") && address.port() == null) {
            throw new InputException(where, "host `" + pattern + "` ends in `:`, which is kept for a port; is this a"
                    + " YAML file? (`name:` is YAML, a host line is `NAME[:PORT] key=value ...`)");
        }
        List<String> names;
        try {
            names = HostRange.expand(address.host());
        } catch (HostRange.RangeException e) {
            throw new InputException(where, "host `" + pattern + "`: " + e.getMessage());
        }
        if (names.contains("---")) {
            throw new InputException(where, "host `---` is YAML's document start: is this a YAML file with a wrong"
                    + " name? Give it a .yml extension");
        }
        Map<String, Var> vars = hostVars(words, where);
        if (names.isEmpty()) {
            strictness.refuse(where, "host range `" + pattern + "` stands for no host at all"
                    + " (is begin after end?); write it as [begin:end] with begin <= end");
            return;
        }
        for (String name : names) {
            if (name.isEmpty()) {
                throw new InputException(where, "empty host name");
            }
            Names.check(strictness, where, "host", name);
            if (!inventory.addHost(name, group, address.port(), where)) {
                InventoryBuilder.HostState host = inventory.hosts.get(name);
                Var port = host.vars.get("ansible_port");
                if (port == null || !address.port().equals(port.value())) {
                    strictness.refuse(where, "the port in `" + pattern + "` is ignored: host `" + name + "` was first"
                            + " defined at " + host.location + " and Ansible takes the port from there only;"
                            + " set ansible_port=" + address.port() + " on this line instead");
                }
            }
            vars.forEach((key, var) -> inventory.setVariable(name, key, var.value(), var.origin()));
        }
    }

    private Map<String, Var> hostVars(List<String> words, Location host) {
        Map<String, Var> vars = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            int equals = word.indexOf('=');
            if (equals < 0) {
                String hint = i + 1 < words.size() && words.get(i + 1).startsWith("=")
                        ? "; write `key=value` with no spaces around `=`"
                        : "; quote a value that has spaces: key=\"a b\"";
                throw new InputException(host, "expected `key=value` after the host name, found `" + word + "`" + hint);
            }
            String key = word.substring(0, equals);
            int column = raw.indexOf(key + "=");
            Location where = column < 0 ? host : at(column + 1);
            vars.put(key, new Var(literal(key, word.substring(equals + 1), where), where));
        }
        return vars;
    }

    private Object literal(String key, String text, Location where) {
        try {
            return PythonLiteral.value(text);
        } catch (PythonLiteral.Unusable e) {
            throw new InputException(where, key, "`" + text + "` is " + e.getMessage() + "; Ansible reads INI values"
                    + " as Python literals and then fails on this one. To keep it as text, quote it: "
                    + key + "=\"'" + text + "'\"");
        }
    }

    private String closest(String name) {
        return Suggestions.closest(name, inventory.groups.keySet()).map(g -> " (did you mean `" + g + "`?)").orElse("");
    }

    private Location at(int column) {
        return new Location(file, lineNumber, Math.max(0, column));
    }

    private InputException error(int column, String message) {
        return new InputException(at(column), message);
    }
}
