package io.cutover.cli;

import io.cutover.plan.HostPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts grouped by identical plans, for {@code plan --summary}: two hosts are one group when
 * everything the plan says about them (warnings, steps, commands, diffs, notes) is the same once
 * what is each host's own is replaced: its name and address ({@link #HOST}, {@link #ADDRESS}), the
 * checksum and size of files that carry its name, the pids of the processes it refreshes. Whatever
 * else differs (its upstreams, its files, a warning) makes a group of its own, printed in full.
 */
final class PlanGroups {

    static final String HOST = "<host>";
    static final String ADDRESS = "<address>";
    /** A file with the host's name in it has a checksum and a size of its own: the helper's --sha256 differs with the name. */
    static final String CHECKSUM = "<sha256>";
    static final String SIZE = "<size>";
    private static final Pattern SHA256 = Pattern.compile("(--sha256 )[0-9a-f]{64}");
    private static final Pattern BYTES = Pattern.compile("(< the rendered \\S+ \\()\\d+( bytes\\))");
    /** The processes a refresh switches run under each host's own pids. */
    static final String PID = "<pid>";
    private static final Pattern PIDS = Pattern.compile("(cutover-helper refresh .*--step \\S+ |\\bpid )\\d+\\b");

    /** One plan as printed and the hosts it is the plan of, in plan order. */
    record Group(List<String> hosts, String body) {

        Group {
            hosts = List.copyOf(hosts);
        }
    }

    private PlanGroups() {
    }

    /** Every host its own group, its plan as it is (no name replaced). */
    static List<Group> each(List<HostPlan> hosts) {
        return hosts.stream().map(h -> new Group(List.of(h.host()), PlanText.body(h))).toList();
    }

    /** @param addresses each host's address (ansible_host), where it has one other than its name */
    static List<Group> identical(List<HostPlan> hosts, Map<String, String> addresses) {
        Map<String, List<String>> byBody = new LinkedHashMap<>();
        Map<String, String> firstBody = new LinkedHashMap<>();
        for (HostPlan host : hosts) {
            String body = PlanText.body(host);
            String address = addresses.get(host.host());
            String normal = replace(body, host.host(), HOST);
            if (address != null && !address.equals(host.host())) {
                normal = replace(normal, address, ADDRESS);
            }
            normal = SHA256.matcher(normal).replaceAll("$1" + CHECKSUM);
            normal = BYTES.matcher(normal).replaceAll("$1" + SIZE + "$2");
            normal = PIDS.matcher(normal).replaceAll("$1" + PID);
            byBody.computeIfAbsent(normal, k -> new ArrayList<>()).add(host.host());
            firstBody.putIfAbsent(normal, body);
        }
        List<Group> groups = new ArrayList<>();
        byBody.forEach((normal, names) -> groups.add(new Group(names, names.size() == 1 ? firstBody.get(normal) : normal)));
        return groups;
    }

    /** What the group's placeholders stand for, for its header line ("" when it has none). */
    static String legend(Group group) {
        List<String> legend = new ArrayList<>();
        Map<String, String> meanings = new LinkedHashMap<>();
        meanings.put(HOST, "each one's name");
        meanings.put(ADDRESS, "its address");
        meanings.put(CHECKSUM, "the checksum of its own file");
        meanings.put(SIZE, "that file's size");
        meanings.put(PID, "its processes' ids");
        meanings.forEach((placeholder, meaning) -> {
            if (group.body().contains(placeholder)) {
                legend.add(placeholder + (legend.isEmpty() ? " stands for " : " for ") + meaning);
            }
        });
        return legend.isEmpty() ? "" : "; " + String.join(", ", legend);
    }

    /** {@code name} where it stands alone: app1 in "for app1;", not in "app10" or "xapp1". */
    private static String replace(String text, String name, String with) {
        Pattern whole = Pattern.compile("(?<![\\w.-])" + Pattern.quote(name) + "(?![\\w-]|\\.\\w)");
        return whole.matcher(text).replaceAll(Matcher.quoteReplacement(with));
    }
}
