package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable inventory while files are read: the same operations, in the same order and with
 * the same effects, as Ansible's InventoryData (add group, add host, set variable, add child,
 * reconcile), so that group order, host order and which value wins all match.
 */
final class InventoryBuilder {

    static final class GroupState {
        final String name;
        final Location location;
        final List<String> hosts = new ArrayList<>();
        final Set<String> hostSet = new HashSet<>();
        final List<String> children = new ArrayList<>();
        final List<String> parents = new ArrayList<>();
        final Map<String, Var> vars = new LinkedHashMap<>();
        int priority = 1;

        GroupState(String name, Location location) {
            this.name = name;
            this.location = location;
        }
    }

    static final class HostState {
        final String name;
        final Location location;
        final List<String> groups = new ArrayList<>();
        final Map<String, Var> vars = new LinkedHashMap<>();

        HostState(String name, Location location) {
            this.name = name;
            this.location = location;
        }
    }

    final Map<String, GroupState> groups = new LinkedHashMap<>();
    final Map<String, HostState> hosts = new LinkedHashMap<>();

    InventoryBuilder(Location implicit) {
        addGroup(Inventory.ALL, implicit);
        addGroup(Inventory.UNGROUPED, implicit);
        addChild(Inventory.ALL, Inventory.UNGROUPED, implicit);
    }

    GroupState addGroup(String name, Location location) {
        return groups.computeIfAbsent(name, n -> new GroupState(n, location));
    }

    /**
     * Adds {@code name} (if new) and puts it in {@code group}. A port only counts when the host is
     * new, as in Ansible; returns false when a port was given for a host that already existed.
     */
    boolean addHost(String name, String group, Integer port, Location location) {
        HostState host = hosts.get(name);
        boolean portUsed = true;
        if (host == null) {
            host = new HostState(name, location);
            hosts.put(name, host);
            if (port != null) {
                host.vars.put("ansible_port", new Var(port, location));
            }
        } else if (port != null) {
            portUsed = false;
        }
        GroupState g = groups.get(group);
        if (g.hostSet.add(name)) {
            g.hosts.add(name);
            host.groups.add(group);
        }
        return portUsed;
    }

    /**
     * Sets a variable on the group or host called {@code entity} — the group first, as Ansible
     * does, so a host named like a group sets the group's variable (strict mode refuses such
     * inventories; see {@link YamlInventoryParser}).
     */
    void setVariable(String entity, String key, Object value, Location origin) {
        GroupState group = groups.get(entity);
        if (group != null) {
            group.vars.put(key, new Var(value, origin));
        } else {
            hosts.get(entity).vars.put(key, new Var(value, origin));
        }
    }

    void setPriority(String group, int priority) {
        groups.get(group).priority = priority;
    }

    void addChild(String parent, String child, Location location) {
        GroupState p = groups.get(parent);
        GroupState c = groups.get(child);
        if (p.children.contains(child)) {
            return;
        }
        if (parent.equals(child)) {
            throw new InputException(location, "group `" + child + "` lists itself under `children:`; remove it");
        }
        List<String> path = pathUp(parent, child);
        if (path != null) {
            throw new InputException(location, "group `" + child + "` under `" + parent + "` makes a cycle: "
                    + String.join(" > ", path) + " > " + child
                    + "; a group cannot be its own descendant, remove one of these `children:` entries");
        }
        p.children.add(child);
        if (!c.parents.contains(parent)) {
            c.parents.add(parent);
        }
    }

    /** The chain from {@code ancestor} down to {@code from} if {@code ancestor} is above it, else null. */
    private List<String> pathUp(String from, String ancestor) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        cameFrom.put(from, null);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (current.equals(ancestor)) {
                List<String> path = new ArrayList<>();
                for (String at = current; at != null; at = cameFrom.get(at)) {
                    path.add(at);
                }
                return path;
            }
            for (String parent : groups.get(current).parents) {
                if (!cameFrom.containsKey(parent)) {
                    cameFrom.put(parent, current);
                    queue.add(parent);
                }
            }
        }
        return null;
    }

    /** Ansible's reconcile_inventory: orphan groups go under {@code all}; hosts in no group into {@code ungrouped}. */
    void reconcile() {
        for (GroupState group : new ArrayList<>(groups.values())) {
            if (!group.name.equals(Inventory.ALL) && group.parents.isEmpty()) {
                addChild(Inventory.ALL, group.name, group.location);
            }
        }
        GroupState ungrouped = groups.get(Inventory.UNGROUPED);
        for (HostState host : hosts.values()) {
            Set<String> mine = closure(host.groups);
            if (mine.contains(Inventory.UNGROUPED)) {
                mine.remove(Inventory.ALL);
                mine.remove(Inventory.UNGROUPED);
                if (!mine.isEmpty() && ungrouped.hostSet.remove(host.name)) {
                    ungrouped.hosts.remove(host.name);
                    host.groups.remove(Inventory.UNGROUPED);
                }
            } else if (mine.isEmpty() || (mine.size() == 1 && mine.contains(Inventory.ALL))) {
                ungrouped.hostSet.add(host.name);
                ungrouped.hosts.add(host.name);
                host.groups.add(Inventory.UNGROUPED);
            }
        }
    }

    /** The groups and all their ancestors. */
    Set<String> closure(List<String> direct) {
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(direct);
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (seen.add(name)) {
                queue.addAll(groups.get(name).parents);
            }
        }
        return seen;
    }
}
