package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.Suggestions;
import io.cutover.yaml.YamlList;
import io.cutover.yaml.YamlMap;
import io.cutover.yaml.YamlScalar;
import io.cutover.yaml.YamlValue;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one YAML inventory file into the builder, step for step as Ansible's {@code yaml}
 * inventory plugin does (groups in document order, a group's keys in document order, children
 * before their parent link), but refusing what Ansible would only warn about.
 */
final class YamlInventoryParser {

    static final String HOSTS = "hosts";
    static final String CHILDREN = "children";
    static final String VARS = "vars";
    static final Set<String> SECTIONS = Set.of(HOSTS, CHILDREN, VARS);
    static final String PRIORITY = "ansible_group_priority";

    private final Path file;
    private final InventoryBuilder inventory;
    private final Strictness strictness;

    YamlInventoryParser(Path file, InventoryBuilder inventory, Strictness strictness) {
        this.file = file;
        this.inventory = inventory;
        this.strictness = strictness;
    }

    void parse(YamlValue root) {
        if (root == null || root.isNull()) {
            strictness.refuse(Location.of(file), "the inventory file is empty; Ansible would skip it."
                    + " Give it at least `all:` with hosts, or drop this -i");
            return;
        }
        if (!(root instanceof YamlMap top)) {
            throw new InputException(root.location(), "a YAML inventory is a mapping of group names"
                    + " (usually `all:`), found " + root.kind());
        }
        if (top.keys().contains("plugin")) {
            throw new InputException(top.entries().get("plugin").keyLocation(), "this is an inventory plugin"
                    + " configuration (`plugin:`), not a YAML inventory; cutover reads static YAML inventories"
                    + " only (export one with: ansible-inventory -i THIS_FILE --list -y)");
        }
        for (YamlMap.Entry entry : top.entries().values()) {
            if (SECTIONS.contains(entry.key()) && entry.keyIsString() && holdsMembers(entry.value())) {
                strictness.refuse(entry.keyLocation(), "top-level `" + entry.key() + ":` is read as a group named `"
                        + entry.key() + "`, not as the inventory's " + entry.key() + "; nest it under `all:`");
            }
            parseGroup(entry, false);
        }
    }

    /**
     * Whether a top-level `hosts:`/`children:`/`vars:` holds what belongs under `all:` (host, group
     * or var names) rather than being a group of that name: a group's body has only the three
     * sections (ansible-navigator's fixtures have a group called `hosts`).
     */
    private static boolean holdsMembers(YamlValue body) {
        return body instanceof YamlMap map && !SECTIONS.containsAll(map.keys());
    }

    /** Returns the group's name, or null when the entry was skipped (lenient mode only). */
    private String parseGroup(YamlMap.Entry entry, boolean child) {
        String name = groupName(entry);
        YamlValue body = entry.value();
        if (!body.isNull() && !(body instanceof YamlMap)) {
            String hint = body instanceof YamlList
                    ? "; to list hosts write `hosts:` with one `name:` per line under it"
                    : "; write `" + name + ":` with `hosts:`, `children:` or `vars:` under it, or nothing";
            strictness.refuse(body.location(), "group `" + name + "` must be a mapping, found " + body.kind()
                    + hint + " (Ansible would skip the group)");
            if (child && !inventory.groups.containsKey(name)) {
                throw new InputException(body.location(), "group `" + name + "` is not a valid group definition"
                        + " and is not defined elsewhere, so it cannot be a child group");
            }
            return name;
        }
        inventory.addGroup(name, entry.keyLocation());
        if (body.isNull()) {
            return name;
        }
        YamlMap sections = (YamlMap) body;
        Map<String, YamlMap> normalised = new LinkedHashMap<>();
        for (YamlMap.Entry section : sections.entries().values()) {
            if (SECTIONS.contains(section.key())) {
                normalised.put(section.key(), sectionBody(name, section));
            }
        }
        for (YamlMap.Entry section : sections.entries().values()) {
            if (!SECTIONS.contains(section.key())) {
                unknownKey(name, section, !child);
                continue;
            }
            YamlMap content = normalised.get(section.key());
            if (content == null) {
                continue; // `hosts:` with nothing under it: an empty section, as in Ansible
            }
            switch (section.key()) {
                case VARS -> parseVars(name, content);
                case CHILDREN -> {
                    for (YamlMap.Entry sub : content.entries().values()) {
                        if (SECTIONS.contains(sub.key())) {
                            strictness.refuse(sub.keyLocation(), "group `" + name + "` has a child group named `"
                                    + sub.key() + "`: is it indented one level too deep? `" + sub.key()
                                    + ":` belongs beside `children:`");
                        }
                        String subgroup = parseGroup(sub, true);
                        if (subgroup != null) {
                            inventory.addChild(name, subgroup, sub.keyLocation());
                        }
                    }
                }
                default -> parseHosts(name, content);
            }
        }
        return name;
    }

    /** A section's body as a mapping; a lone string means one key with no value, as in Ansible. */
    private YamlMap sectionBody(String group, YamlMap.Entry section) {
        YamlValue value = section.value();
        if (value.isNull()) {
            return null;
        }
        if (value instanceof YamlMap map) {
            return map;
        }
        if (value instanceof YamlScalar scalar && scalar.value() instanceof String text) {
            Map<String, YamlMap.Entry> one = new LinkedHashMap<>();
            one.put(text, new YamlMap.Entry(text, scalar.location(), new YamlScalar(null, "", scalar.location())));
            return new YamlMap(one, scalar.location());
        }
        String hint = switch (section.key()) {
            case HOSTS -> value instanceof YamlList
                    ? "; write each host as a key (`web1:`), not as a list item (`- web1`)" : "";
            case CHILDREN -> value instanceof YamlList
                    ? "; write each child group as a key (`web:`), not as a list item (`- web`)" : "";
            default -> "; write `name: value` pairs";
        };
        throw new InputException(value.location(), "`" + section.key() + "` of group `" + group
                + "` must be a mapping, found " + value.kind() + hint);
    }

    private void unknownKey(String group, YamlMap.Entry entry, boolean topLevel) {
        String suggestion = Suggestions.closest(entry.key(), SECTIONS)
                .map(s -> " (did you mean `" + s + ":`?)")
                .orElse(topLevel
                        ? " (if this top-level key only holds YAML anchors, define the anchor where it is first used)"
                        : " (a host goes under `hosts:`, a child group under `children:`)");
        strictness.refuse(entry.keyLocation(), "group `" + group + "` has an unknown key `" + entry.key() + "`"
                + suggestion + "; a group holds only `hosts:`, `children:` and `vars:`, and Ansible would skip"
                + " this key with everything under it");
    }

    private void parseVars(String group, YamlMap vars) {
        for (YamlMap.Entry var : vars.entries().values()) {
            String key = Values.keyName(var);
            if (key.equals(PRIORITY)) {
                priority(group, var);
            } else {
                inventory.setVariable(group, key, Values.plain(var.value()), var.keyLocation());
            }
        }
    }

    private void priority(String group, YamlMap.Entry var) {
        Object value = var.value() instanceof YamlScalar scalar ? scalar.value() : var.value().toPlain();
        Integer priority = pythonInt(value);
        if (priority == null) {
            String message = "`" + PRIORITY + "` of group `" + group + "` must be a whole number, found "
                    + var.value().kind();
            if (value instanceof String || value instanceof BigInteger) {
                throw new InputException(var.value().location(), message);
            }
            strictness.refuse(var.value().location(), message + " (Ansible would ignore it)");
            return;
        }
        inventory.setPriority(group, priority);
    }

    /** Python's int(): booleans and floats convert, numeric text parses; null when int() would fail. */
    static Integer pythonInt(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return null;
        }
        if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            return (int) d.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Integer.valueOf(text.strip().replace("_", "").replaceFirst("^\\+", ""));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void parseHosts(String group, YamlMap hosts) {
        for (YamlMap.Entry entry : hosts.entries().values()) {
            String key = hostKey(group, entry);
            HostAddress.Parsed address = HostAddress.splitPort(key);
            List<String> names;
            try {
                names = HostRange.expand(address.host());
            } catch (HostRange.RangeException e) {
                throw new InputException(entry.keyLocation(), "host `" + key + "`: " + e.getMessage());
            }
            if (names.isEmpty()) {
                strictness.refuse(entry.keyLocation(), "host range `" + key + "` stands for no host at all"
                        + " (is begin after end?); write it as [begin:end] with begin <= end");
                continue;
            }
            YamlMap vars = hostBody(entry);
            for (String name : names) {
                if (!inventory.addHost(name, group, address.port(), entry.keyLocation())) {
                    Location first = inventory.hosts.get(name).location;
                    Object port = inventory.hosts.get(name).vars.containsKey("ansible_port")
                            ? inventory.hosts.get(name).vars.get("ansible_port").value() : null;
                    if (!address.port().equals(port)) {
                        strictness.refuse(entry.keyLocation(), "the port in `" + key + "` is ignored: host `" + name
                                + "` was first defined at " + first + " and Ansible takes the port from there only;"
                                + " set `ansible_port` in the host's vars instead");
                    }
                }
                if (vars != null) {
                    for (YamlMap.Entry var : vars.entries().values()) {
                        inventory.setVariable(name, Values.keyName(var), Values.plain(var.value()), var.keyLocation());
                    }
                }
            }
        }
    }

    private String hostKey(String group, YamlMap.Entry entry) {
        if (!entry.keyIsString()) {
            throw new InputException(entry.keyLocation(), "host name `" + entry.key() + "` in group `" + group
                    + "` is read by YAML as " + typeOf(entry.keyValue()) + ", not text; quote it: \""
                    + entry.key() + "\":");
        }
        String key = (String) entry.keyValue();
        if (key.isEmpty()) {
            throw new InputException(entry.keyLocation(), "empty host name in group `" + group + "`");
        }
        if (SECTIONS.contains(key)) {
            strictness.refuse(entry.keyLocation(), "group `" + group + "` lists a host named `" + key
                    + "`: is it indented one level too deep? `" + key + ":` belongs beside `hosts:`");
        }
        checkName(entry.keyLocation(), "host", key);
        return key;
    }

    private YamlMap hostBody(YamlMap.Entry entry) {
        YamlValue body = entry.value();
        if (body.isNull()) {
            return null;
        }
        if (body instanceof YamlMap map) {
            for (YamlMap.Entry var : map.entries().values()) {
                if (SECTIONS.contains(var.key())) {
                    strictness.refuse(var.keyLocation(), "host `" + entry.key() + "` has a var named `" + var.key()
                            + "`: if `" + entry.key() + "` is meant to be a group, list it under `children:`,"
                            + " not `hosts:`");
                }
            }
            return map;
        }
        String message = "host `" + entry.key() + "` must be followed by a mapping of its vars (or nothing),"
                + " found " + body.kind();
        if (isFalsy(body)) {
            strictness.refuse(body.location(), message + " (Ansible would ignore it)");
            return null;
        }
        throw new InputException(body.location(), message);
    }

    private static boolean isFalsy(YamlValue value) {
        if (value instanceof YamlList list) {
            return list.items().isEmpty();
        }
        if (value instanceof YamlScalar scalar) {
            Object v = scalar.value();
            return Boolean.FALSE.equals(v) || "".equals(v)
                    || (v instanceof Number n && n.doubleValue() == 0);
        }
        return false;
    }

    private String groupName(YamlMap.Entry entry) {
        if (!entry.keyIsString()) {
            throw new InputException(entry.keyLocation(), "group name `" + entry.key() + "` is read by YAML as "
                    + typeOf(entry.keyValue()) + ", not text; quote it ('" + entry.key() + "':) or rename the group");
        }
        String name = (String) entry.keyValue();
        if (name.isEmpty()) {
            throw new InputException(entry.keyLocation(), "empty group name");
        }
        if (name.endsWith(":children") || name.endsWith(":vars")) {
            String base = name.substring(0, name.lastIndexOf(':'));
            String section = name.substring(name.lastIndexOf(':') + 1);
            strictness.refuse(entry.keyLocation(), "group name `" + name + "` is INI syntax; in a YAML inventory"
                    + " write `" + base + ":` with `" + section + ":` under it");
            return name;
        }
        checkName(entry.keyLocation(), "group", name);
        return name;
    }

    private void checkName(Location location, String what, String name) {
        Names.check(strictness, location, what, name);
    }

    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }
}
