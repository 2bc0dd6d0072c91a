package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded inventory: hosts and groups exactly as Ansible would see them from the same files
 * (see {@link InventoryLoader}). Immutable; safe to share between threads.
 *
 * <p>Orders follow Ansible: {@link #hosts()} and {@link #groups()} in the order the files define
 * them, {@link #hostsIn(String)} the way a group pattern lists its hosts (the group's own hosts,
 * then its children's, breadth first).
 */
public final class Inventory {

    public static final String ALL = "all";
    public static final String UNGROUPED = "ungrouped";

    private final List<Path> sources;
    private final Map<String, Group> groups;
    private final Map<String, Host> hosts;
    private final Map<String, List<String>> parents;
    private final Map<String, Map<String, Var>> groupInline;
    private final Map<String, Map<String, Var>> hostInline;
    private final VarsFiles files;
    private final Map<String, List<String>> hostsInCache = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> groupsOfCache = new ConcurrentHashMap<>();
    private final ConnectionDefaults connectionDefaults;

    Inventory(List<Path> sources, InventoryBuilder built, VarsFiles files) {
        this.sources = List.copyOf(sources);
        this.files = files;
        Map<String, Integer> depths = depths(built);
        Map<String, Group> groupMap = new LinkedHashMap<>();
        Map<String, List<String>> parentMap = new HashMap<>();
        Map<String, Map<String, Var>> groupVars = new HashMap<>();
        for (InventoryBuilder.GroupState g : built.groups.values()) {
            groupMap.put(g.name, new Group(g.name, g.hosts, g.children, plain(g.vars), g.priority,
                    depths.get(g.name), g.location));
            parentMap.put(g.name, List.copyOf(g.parents));
            groupVars.put(g.name, Collections.unmodifiableMap(new LinkedHashMap<>(g.vars)));
        }
        Map<String, Host> hostMap = new LinkedHashMap<>();
        Map<String, Map<String, Var>> hostVars = new HashMap<>();
        for (InventoryBuilder.HostState h : built.hosts.values()) {
            hostMap.put(h.name, new Host(h.name, h.groups, plain(h.vars), h.location));
            hostVars.put(h.name, Collections.unmodifiableMap(new LinkedHashMap<>(h.vars)));
        }
        this.groups = Collections.unmodifiableMap(groupMap);
        this.hosts = Collections.unmodifiableMap(hostMap);
        this.parents = Collections.unmodifiableMap(parentMap);
        this.groupInline = groupVars;
        this.hostInline = hostVars;
        this.connectionDefaults = ConnectionDefaults.NONE;
    }

    private Inventory(Inventory from, ConnectionDefaults connectionDefaults) {
        this.sources = from.sources;
        this.files = from.files;
        this.groups = from.groups;
        this.hosts = from.hosts;
        this.parents = from.parents;
        this.groupInline = from.groupInline;
        this.hostInline = from.hostInline;
        this.connectionDefaults = connectionDefaults;
    }

    /**
     * This inventory with what applies where a host's vars say nothing (-u, ANSIBLE_REMOTE_USER,
     * ansible.cfg's remote_user...): {@link #connection(String)} then resolves with them.
     */
    public Inventory withConnectionDefaults(ConnectionDefaults defaults) {
        return new Inventory(this, java.util.Objects.requireNonNull(defaults, "defaults"));
    }

    /** Shorthand for {@code new InventoryLoader(lenient, warnings).load(sources)}. */
    public static Inventory load(List<Path> sources, boolean lenient, java.util.function.Consumer<String> warnings) {
        return new InventoryLoader(lenient, warnings).load(sources);
    }

    /** The inventory files (or directories) this was loaded from, in order. */
    public List<Path> sources() {
        return sources;
    }

    /** Every host, in the order the inventory defines them. */
    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** Every group, {@code all} and {@code ungrouped} first, then in the order the inventory defines them. */
    public List<Group> groups() {
        return List.copyOf(groups.values());
    }

    public Optional<Group> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** The groups directly above {@code group}, in the order they were linked. */
    public List<String> parents(String group) {
        return parents.getOrDefault(group, List.of());
    }

    /**
     * The hosts of {@code group} and of all groups below it, as Ansible lists them for the pattern
     * {@code group}: the group's own hosts, then each child's, breadth first, each host once.
     */
    public List<String> hostsIn(String group) {
        requireGroup(group);
        return hostsInCache.computeIfAbsent(group, this::computeHostsIn);
    }

    private List<String> computeHostsIn(String name) {
        // Ansible walks each level of the group tree as a set (so its order is not even stable
        // from run to run when two groups on one level both have children); we walk each level in
        // inventory order, which is Ansible's order whenever Ansible's is deterministic.
        List<String> ordered = new ArrayList<>();
        ordered.add(name);
        ordered.addAll(groups.get(name).children());
        Set<String> seen = new HashSet<>(ordered);
        List<String> level = new ArrayList<>(ordered);
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String group : level) {
                for (String child : groups.get(group).children()) {
                    if (seen.add(child)) {
                        ordered.add(child);
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        Set<String> result = new LinkedHashSet<>();
        for (String group : ordered) {
            result.addAll(groups.get(group).hosts());
        }
        return List.copyOf(result);
    }

    /** Every group {@code host} is in, directly or through a child group, including {@code all}. */
    public Set<String> groupsOf(String host) {
        requireHost(host);
        return groupsOfCache.computeIfAbsent(host, h -> {
            Set<String> seen = new LinkedHashSet<>();
            List<String> queue = new ArrayList<>(hosts.get(h).groups());
            for (int i = 0; i < queue.size(); i++) {
                if (seen.add(queue.get(i))) {
                    queue.addAll(parents(queue.get(i)));
                }
            }
            return Collections.unmodifiableSet(seen);
        });
    }

    /** Ansible's {@code group_names}: the host's groups except {@code all}, sorted. */
    public List<String> groupNames(String host) {
        List<String> names = new ArrayList<>(groupsOf(host));
        names.remove(ALL);
        names.sort(CodePoints::compare);
        return names;
    }

    /** {@code host}'s variables after Ansible's precedence rules (see {@link HostVars}), as plain values. */
    public Map<String, Object> vars(String host) {
        return hostVars(host).values();
    }

    /** {@code host}'s variables after Ansible's precedence rules, with where each was set; see {@link HostVars}. */
    public HostVars hostVars(String host) {
        requireHost(host);
        List<Group> ordered = new ArrayList<>();
        for (String name : groupsOf(host)) {
            if (!name.equals(ALL)) {
                ordered.add(groups.get(name));
            }
        }
        ordered.sort(GROUP_PRECEDENCE);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Location> origins = new HashMap<>();
        merge(groupInline.get(ALL), values, origins);
        for (Group group : ordered) {
            merge(groupInline.get(group.name()), values, origins);
        }
        for (Path base : files.baseDirs()) {
            merge(files.vars(base, VarsFiles.Kind.GROUP, ALL), values, origins);
        }
        for (Path base : files.baseDirs()) {
            for (Group group : ordered) {
                merge(files.vars(base, VarsFiles.Kind.GROUP, group.name()), values, origins);
            }
        }
        merge(hostInline.get(host), values, origins);
        for (Path base : files.baseDirs()) {
            merge(files.vars(base, VarsFiles.Kind.HOST, host), values, origins);
        }
        return new HostVars(host, values, origins);
    }

    /** A group's own vars: inline, then its {@code group_vars/} files (what {@code --graph --vars} shows). */
    public Map<String, Object> groupVars(String group) {
        requireGroup(group);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Location> origins = new HashMap<>();
        merge(groupInline.get(group), values, origins);
        for (Path base : files.baseDirs()) {
            merge(files.vars(base, VarsFiles.Kind.GROUP, group), values, origins);
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Where {@code host} is reached over SSH, resolved from its vars and validated: the one place
     * connection vars are read (the SSH layer gets {@link ConnectionSettings#sshHost()}).
     */
    public ConnectionSettings connection(String host) {
        return ConnectionSettings.of(hostVars(host), connectionDefaults);
    }

    /** The hosts matching an Ansible host pattern, in Ansible's order; see {@link HostPattern}. */
    public List<String> select(String pattern) {
        return HostPattern.parse(pattern).select(this);
    }

    /** The hosts a {@code --limit} value selects ({@code @FILE} parts allowed), in Ansible's order. */
    public List<String> hostNames(String limit) {
        return HostPattern.limit(limit).select(this);
    }

    /** Groups in the order Ansible merges their vars: shallow first, then by priority, then by name. */
    static final Comparator<Group> GROUP_PRECEDENCE = Comparator.comparingInt(Group::depth)
            .thenComparingInt(Group::priority)
            .thenComparing(Group::name, CodePoints::compare);

    private static void merge(Map<String, Var> from, Map<String, Object> values, Map<String, Location> origins) {
        if (from == null) {
            return;
        }
        from.forEach((key, var) -> {
            values.put(key, var.value());
            if (var.origin() != null) {
                origins.put(key, var.origin());
            } else {
                origins.remove(key);
            }
        });
    }

    private static Map<String, Object> plain(Map<String, Var> vars) {
        Map<String, Object> plain = new LinkedHashMap<>();
        vars.forEach((key, var) -> plain.put(key, var.value()));
        return plain;
    }

    /** Longest path from {@code all}, which is what Ansible's incremental depth updates amount to. */
    private static Map<String, Integer> depths(InventoryBuilder built) {
        // Kahn's topological order over the (acyclic) child links: a group's depth is final
        // once all its parents have been seen.
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, Integer> depths = new HashMap<>();
        List<String> ready = new ArrayList<>();
        for (InventoryBuilder.GroupState g : built.groups.values()) {
            waiting.put(g.name, g.parents.size());
            depths.put(g.name, 0);
            if (g.parents.isEmpty()) {
                ready.add(g.name);
            }
        }
        for (int i = 0; i < ready.size(); i++) {
            String name = ready.get(i);
            for (String child : built.groups.get(name).children) {
                depths.merge(child, depths.get(name) + 1, Math::max);
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        return depths;
    }

    private void requireHost(String host) {
        if (!hosts.containsKey(host)) {
            throw new InputException("no host named `" + host + "` in the inventory ("
                    + String.join(", ", sources.stream().map(Path::toString).toList()) + ")"
                    + io.cutover.yaml.Suggestions.didYouMean(host, hosts.keySet()));
        }
    }

    private void requireGroup(String group) {
        if (!groups.containsKey(group)) {
            throw new InputException("no group named `" + group + "` in the inventory"
                    + io.cutover.yaml.Suggestions.didYouMean(group, groups.keySet()));
        }
    }
}
