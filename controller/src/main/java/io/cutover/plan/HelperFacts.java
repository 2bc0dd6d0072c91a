package io.cutover.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The helper's facts report, parsed once into what the planner, preflight, the helper calls and
 * {@code check} decide from: resolv.conf and its owner, BIND, the firewall, the tools, the running
 * processes. Templates still see the report as a tree ({@link HostFacts#tree()}, {@code facts.*}).
 *
 * @param nameservers    resolv.conf's nameservers, as the host lists them today
 * @param upstreams      the servers the host really asks: resolv.conf's other than loopback (behind
 *                       systemd-resolved's stub, the servers resolved asks), or, once resolv.conf
 *                       already says 127.0.0.1 (a rerun, a resume), the local BIND's forwarders
 * @param tools          the tools the helper found installed (tcpdump, gdb, nft…)
 * @param banBackend     the firewall the helper would ban with ({@code nft}, {@code iptables}), or {@code null}
 * @param processes      the running processes the helper inspected
 * @param targetProblems per refresh target that names no running process, why, in the helper's words
 */
public record HelperFacts(ResolvFacts resolv, BindFacts bind, List<String> nameservers, List<String> upstreams,
        Set<String> tools, String banBackend, List<RunningProcess> processes, Map<String, String> targetProblems) {

    /**
     * One running process as facts saw it.
     *
     * @param targets         the refresh targets (names, pidfiles) the helper matched it by; {@code null}
     *                        from a helper that did not report them (it is then matched by name)
     * @param refreshMethod   the method facts advise, or {@code null}
     * @param ownServers      the servers its own config names (nginx resolver, HAProxy resolvers)
     * @param seenNameservers the nameservers of the resolv.conf the process has read, or {@code null}
     */
    public record RunningProcess(Long pid, String name, List<String> targets, String refreshMethod, String refreshWhy,
            String adns, List<String> ownServers, List<String> seenNameservers) {

        public RunningProcess {
            ownServers = List.copyOf(ownServers);
        }

        boolean matches(String target) {
            return targets != null ? targets.contains(target) : target.equals(name);
        }
    }

    /** Facts not gathered (offline plan): every decision is left to the host's facts. */
    public static final HelperFacts OFFLINE = new HelperFacts(ResolvFacts.OFFLINE, BindFacts.OFFLINE, List.of(), List.of(),
            Set.of(), null, List.of(), Map.of());

    public HelperFacts {
        Objects.requireNonNull(resolv, "resolv");
        Objects.requireNonNull(bind, "bind");
        nameservers = List.copyOf(nameservers);
        upstreams = List.copyOf(upstreams);
        tools = Set.copyOf(tools);
        processes = List.copyOf(processes);
        targetProblems = Map.copyOf(targetProblems);
    }

    /** From the facts tree; {@link #OFFLINE} when it is not one (an offline plan's placeholder). */
    public static HelperFacts of(Object facts) {
        if (!(facts instanceof Map<?, ?> tree)) {
            return OFFLINE;
        }
        Map<?, ?> resolv = map(tree.get("resolv_conf"));
        Set<String> tools = new LinkedHashSet<>();
        map(tree.get("tools")).forEach((tool, present) -> {
            if (Boolean.TRUE.equals(present)) {
                tools.add(String.valueOf(tool));
            }
        });
        List<RunningProcess> processes = new ArrayList<>();
        for (Object item : list(tree.get("processes"))) {
            if (item instanceof Map<?, ?> p) {
                Map<?, ?> own = map(p.get("own_resolver"));
                processes.add(new RunningProcess(p.get("pid") instanceof Number n ? n.longValue() : null, text(p.get("name")),
                        p.get("targets") instanceof List<?> named ? strings(named) : null, text(p.get("refresh_method")),
                        text(p.get("refresh_why")), text(p.get("adns")), strings(list(own.get("servers"))),
                        p.get("resolv_conf_seen") instanceof Map<?, ?> seen && seen.get("nameservers") instanceof List<?> ns
                                ? strings(ns) : null));
            }
        }
        Map<String, String> problems = new LinkedHashMap<>();
        for (Object item : list(tree.get("refresh_targets"))) {
            if (item instanceof Map<?, ?> t && t.get("target") != null && t.get("problem") != null) {
                problems.putIfAbsent(String.valueOf(t.get("target")), String.valueOf(t.get("problem")));
            }
        }
        BindFacts bind = BindFacts.of(facts);
        List<String> nameservers = strings(list(resolv.get("nameservers")));
        // behind systemd-resolved's stub, the servers resolved asks (a helper without "upstreams": resolv.conf's)
        List<String> upstreams = notLoopback(resolv.containsKey("upstreams") ? strings(list(resolv.get("upstreams"))) : nameservers);
        return new HelperFacts(ResolvFacts.of(facts), bind, nameservers, upstreams.isEmpty() ? notLoopback(bind.forwarders()) : upstreams,
                tools, text(map(tree.get("firewall")).get("ban_backend")), processes, problems);
    }

    public boolean offline() {
        return resolv.offline();
    }

    public boolean has(String tool) {
        return tools.contains(tool);
    }

    /** The running processes a refresh target names (by name or pidfile), as the helper matched them. */
    public List<RunningProcess> processes(String target) {
        return processes.stream().filter(p -> p.matches(target)).toList();
    }

    /** Why a target names no running process, where the helper said. */
    public Optional<String> targetProblem(String target) {
        return Optional.ofNullable(targetProblems.get(target));
    }

    private static List<String> notLoopback(List<String> servers) {
        return servers.stream().filter(s -> !s.startsWith("127.") && !s.equals("::1")).toList();
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static List<String> strings(List<?> values) {
        return values.stream().map(String::valueOf).toList();
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
