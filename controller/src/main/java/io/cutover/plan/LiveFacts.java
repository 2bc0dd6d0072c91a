package io.cutover.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts a host's helper reported, plus what the planner derives from them:
 * {@code upstreams}, the resolvers the host really uses — its resolv.conf nameservers other than
 * loopback (behind systemd-resolved's stub: the servers resolved asks), or, once resolv.conf already says 127.0.0.1 (a rerun, a resume), the forwarders of
 * the local BIND. Without this a rerun would make BIND forward to itself.
 */
public record LiveFacts(Map<String, Object> tree, Map<String, CurrentFile> files) implements HostFacts {

    public LiveFacts {
        tree = Collections.unmodifiableMap(new LinkedHashMap<>(tree));
        files = Map.copyOf(files);
    }

    public static LiveFacts of(Map<String, Object> helperFacts, Map<String, CurrentFile> files) {
        Map<String, Object> tree = new LinkedHashMap<>(helperFacts);
        tree.put("upstreams", upstreams(helperFacts));
        return new LiveFacts(tree, files);
    }

    @Override
    public CurrentFile file(String path) {
        return files.getOrDefault(path, CurrentFile.UNKNOWN);
    }

    /** The servers the host asks today: what the plan bans by default, and what alternates must not be. */
    public static List<String> upstreams(Map<String, Object> facts) {
        List<String> servers = new ArrayList<>();
        Map<?, ?> resolv = map(facts.get("resolv_conf"));
        // behind systemd-resolved's stub, the servers resolved asks (a helper without "upstreams": resolv.conf's)
        for (Object server : list(resolv.containsKey("upstreams") ? resolv.get("upstreams") : resolv.get("nameservers"))) {
            if (!isLoopback(String.valueOf(server))) {
                servers.add(String.valueOf(server));
            }
        }
        if (servers.isEmpty()) {
            for (Object server : list(map(facts.get("bind")).get("forwarders"))) {
                if (!isLoopback(String.valueOf(server))) {
                    servers.add(String.valueOf(server));
                }
            }
        }
        return List.copyOf(servers);
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
