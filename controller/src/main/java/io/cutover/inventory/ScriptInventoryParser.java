package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the JSON of Ansible's inventory script protocol ({@code script --list}, also what
 * {@code ansible-inventory --list} prints) into the builder, as ansible-core's {@code script} plugin
 * does: each top-level key is a group whose value is a list of hosts or a mapping of
 * {@code hosts}/{@code vars}/{@code children}; {@code _meta.hostvars} holds every host's vars, and
 * without it each host's vars come from {@code hostVars} (the script's {@code --host NAME}).
 */
final class ScriptInventoryParser {

    private static final String META = "_meta";

    private final Location source;
    private final InventoryBuilder inventory;
    private final Strictness strictness;

    ScriptInventoryParser(Location source, InventoryBuilder inventory, Strictness strictness) {
        this.source = source;
        this.inventory = inventory;
        this.strictness = strictness;
    }

    /** True when {@code data} is a --list listing rather than a YAML inventory: only listings have {@code _meta}. */
    static boolean isListing(Object data) {
        return data instanceof Map<?, ?> map && map.containsKey(META);
    }

    /**
     * @param listing  the parsed --list output
     * @param hostVars a host's vars when the listing has no {@code _meta.hostvars}
     */
    void parse(Object listing, Function<String, Object> hostVars) {
        if (!(listing instanceof Map<?, ?> groups)) {
            throw new InputException(source, "the inventory JSON must be an object of groups (`{\"web\": {\"hosts\":"
                    + " [...]}}`), found " + kind(listing));
        }
        Object meta = null;
        boolean haveMeta = false;
        Set<String> hosts = new LinkedHashSet<>();
        for (Map.Entry<?, ?> entry : groups.entrySet()) {
            String group = String.valueOf(entry.getKey());
            if (group.equals(META)) {
                if (!(entry.getValue() instanceof Map<?, ?> m)) {
                    throw new InputException(source, "`_meta` must be an object holding `hostvars`, found "
                            + kind(entry.getValue()));
                }
                if (m.containsKey("hostvars")) {
                    meta = m.get("hostvars");
                    haveMeta = true;
                }
            } else {
                group(group, entry.getValue(), hosts);
            }
        }
        if (haveMeta && !(meta instanceof Map<?, ?>)) {
            throw new InputException(source, "`_meta.hostvars` must be an object of host names, found " + kind(meta));
        }
        for (String host : hosts) {
            Object vars = haveMeta ? ((Map<?, ?>) meta).get(host) : hostVars.apply(host);
            if (vars == null) {
                continue;
            }
            if (!(vars instanceof Map<?, ?> map)) {
                throw new InputException(source, "the vars of host `" + host + "` must be an object, found " + kind(vars));
            }
            map.forEach((key, value) -> inventory.setVariable(host, String.valueOf(key), Values.freeze(value), source));
        }
    }

    private void group(String name, Object body, Set<String> hosts) {
        Names.check(strictness, source, "group", name);
        inventory.addGroup(name, source);
        Object hostList = body;
        Object vars = null;
        Object children = null;
        if (body instanceof Map<?, ?> map) {
            if (!map.containsKey("hosts") && !map.containsKey("vars") && !map.containsKey("children")) {
                strictness.refuse(source, "group `" + name + "` has none of `hosts`, `vars`, `children`: Ansible then"
                        + " reads it as the vars of a host named `" + name + "`; wrap them as {\"vars\": {...}}");
                hostList = List.of(name);
                vars = map;
            } else {
                hostList = map.containsKey("hosts") ? map.get("hosts") : List.of();
                vars = map.containsKey("vars") ? map.get("vars") : Map.of();
                children = map.containsKey("children") ? map.get("children") : List.of();
            }
        }
        if (!(hostList instanceof List<?> list)) {
            throw new InputException(source, "group `" + name + "`: `hosts` must be a list of host names, found "
                    + kind(hostList));
        }
        for (Object host : list) {
            if (!(host instanceof String hostName) || hostName.isEmpty()) {
                throw new InputException(source, "group `" + name + "`: a host name must be a non-empty string, found "
                        + kind(host));
            }
            Names.check(strictness, source, "host", hostName);
            hosts.add(hostName);
            inventory.addHost(hostName, name, null, source);
        }
        if (vars != null || body instanceof Map<?, ?>) {
            if (!(vars instanceof Map<?, ?> map)) {
                throw new InputException(source, "group `" + name + "`: `vars` must be an object, found " + kind(vars));
            }
            map.forEach((key, value) -> inventory.setVariable(name, String.valueOf(key), Values.freeze(value), source));
        }
        if (body instanceof Map<?, ?>) {
            for (Object child : children instanceof Map<?, ?> m ? new ArrayList<>(m.keySet()) : asList(name, children)) {
                String childName = String.valueOf(child);
                inventory.addGroup(childName, source);
                inventory.addChild(name, childName, source);
            }
        }
    }

    private List<?> asList(String group, Object children) {
        if (children instanceof List<?> list) {
            return list;
        }
        throw new InputException(source, "group `" + group + "`: `children` must be a list of group names, found "
                + kind(children));
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return value instanceof String ? "the string \"" + value + "\"" : "the value " + value;
    }
}
