package io.cutover.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inventory in {@code ansible-inventory}'s shapes, so existing tooling can consume cutover's
 * output: {@link #list} is {@code --list} ({@code all}, each group's {@code hosts} and
 * {@code children}, {@code _meta.hostvars}), {@link #graph} is {@code --graph [--vars]}, and
 * {@link #json} prints like Ansible does (sorted keys, 4-space indent).
 */
public final class AnsibleListing {

    /** Vars ansible-inventory never prints: Ansible's own magic and run-time vars. */
    public static final Set<String> INTERNAL_VARS = Set.of("ansible_diff_mode", "ansible_config_file",
            "ansible_facts", "ansible_forks", "ansible_inventory_sources", "ansible_limit",
            "ansible_playbook_python", "ansible_run_tags", "ansible_skip_tags", "ansible_verbosity",
            "ansible_version", "inventory_dir", "inventory_file", "inventory_hostname",
            "inventory_hostname_short", "groups", "group_names", "omit", "playbook_dir");

    private AnsibleListing() {
    }

    /** {@code ansible-inventory --list}: groups reachable from {@code all}, then {@code _meta.hostvars}. */
    public static Map<String, Object> list(Inventory inventory) {
        return list(inventory, null);
    }

    /**
     * {@code --list} restricted to {@code selected} hosts (null: all): other hosts are left out of
     * every group and of {@code _meta}, and groups left with neither hosts nor children disappear.
     */
    public static Map<String, Object> list(Inventory inventory, Set<String> selected) {
        Map<String, Object> result = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        addGroup(inventory, inventory.group(Inventory.ALL).orElseThrow(), seen, selected, result);
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (String host : inventory.hostsIn(Inventory.ALL)) {
            if (selected != null && !selected.contains(host)) {
                continue;
            }
            Map<String, Object> vars = hostVars(inventory, host);
            if (!vars.isEmpty()) {
                hostvars.put(host, vars);
            }
        }
        result.put("_meta", Map.of("hostvars", hostvars));
        return result;
    }

    private static void addGroup(Inventory inventory, Group group, Set<String> seen, Set<String> selected,
            Map<String, Object> result) {
        Map<String, Object> entry = new LinkedHashMap<>();
        result.put(group.name(), entry);
        List<String> hosts = selected == null ? group.hosts()
                : group.hosts().stream().filter(selected::contains).toList();
        if (!group.name().equals(Inventory.ALL) && !hosts.isEmpty()) {
            entry.put("hosts", hosts);
        }
        if (!group.children().isEmpty()) {
            entry.put("children", group.children());
        }
        for (String child : group.children()) {
            if (seen.add(child)) {
                addGroup(inventory, inventory.group(child).orElseThrow(), seen, selected, result);
            }
        }
        if (entry.isEmpty()) {
            result.remove(group.name());
        }
    }

    /** A host's vars as {@code ansible-inventory --host} prints them (internal vars left out). */
    public static Map<String, Object> hostVars(Inventory inventory, String host) {
        Map<String, Object> vars = new LinkedHashMap<>(inventory.vars(host));
        vars.keySet().removeAll(INTERNAL_VARS);
        return vars;
    }

    /** A group's vars as {@code --graph --vars} shows them: inline, files, and a non-default priority. */
    public static Map<String, Object> groupVars(Inventory inventory, String group) {
        Map<String, Object> vars = new LinkedHashMap<>(inventory.groupVars(group));
        int priority = inventory.group(group).orElseThrow().priority();
        if (priority != 1) {
            vars.put(YamlInventoryParser.PRIORITY, priority);
        }
        vars.keySet().removeAll(INTERNAL_VARS);
        return vars;
    }

    /** {@code ansible-inventory --graph [GROUP] [--vars]}, one line per element, no trailing newline. */
    public static String graph(Inventory inventory, String group, boolean withVars) {
        return graph(inventory, group, withVars, null);
    }

    /** {@link #graph(Inventory, String, boolean)} showing only the {@code selected} hosts (null: all). */
    public static String graph(Inventory inventory, String group, boolean withVars, Set<String> selected) {
        Group start = inventory.group(group).orElseThrow(() -> new io.cutover.yaml.InputException(
                "--graph needs a group name, and there is no group `" + group + "`"
                        + io.cutover.yaml.Suggestions.didYouMean(group,
                                inventory.groups().stream().map(Group::name).toList())));
        List<String> lines = new ArrayList<>();
        graphGroup(inventory, start, 0, withVars, selected, lines);
        return String.join("\n", lines);
    }

    private static void graphGroup(Inventory inventory, Group group, int depth, boolean withVars,
            Set<String> selected, List<String> lines) {
        lines.add(graphLine("@" + group.name() + ":", depth));
        for (String child : group.children()) {
            graphGroup(inventory, inventory.group(child).orElseThrow(), depth + 1, withVars, selected, lines);
        }
        if (!group.name().equals(Inventory.ALL)) {
            for (String host : group.hosts()) {
                if (selected != null && !selected.contains(host)) {
                    continue;
                }
                lines.add(graphLine(host, depth + 1));
                if (withVars) {
                    graphVars(hostVars(inventory, host), depth + 2, lines);
                }
            }
        }
        if (withVars) {
            graphVars(groupVars(inventory, group.name()), depth + 1, lines);
        }
    }

    private static void graphVars(Map<String, Object> vars, int depth, List<String> lines) {
        Map<String, Object> sorted = new TreeMap<>(CodePoints::compare);
        sorted.putAll(vars);
        sorted.forEach((name, value) -> lines.add(graphLine("{" + name + " = " + PythonText.str(value) + "}", depth)));
    }

    private static String graphLine(String name, int depth) {
        return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
    }

    /** JSON text exactly as ansible-inventory prints it: keys sorted, 4-space indent, UTF-8 unescaped. */
    public static String json(Object value) {
        return PythonText.json(value);
    }
}
