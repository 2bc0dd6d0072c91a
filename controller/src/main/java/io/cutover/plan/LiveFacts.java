package io.cutover.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Facts a host's helper reported, parsed once ({@code parsed}), plus what the planner derives
 * from them for templates: {@code facts.upstreams}, the resolvers the host really uses ({@link
 * HelperFacts#upstreams()}). Without it a rerun would make BIND forward to itself.
 */
public record LiveFacts(Map<String, Object> tree, Map<String, CurrentFile> files, HelperFacts parsed) implements HostFacts {

    public LiveFacts {
        tree = Collections.unmodifiableMap(new LinkedHashMap<>(tree));
        files = Map.copyOf(files);
    }

    public static LiveFacts of(Map<String, Object> helperFacts, Map<String, CurrentFile> files) {
        HelperFacts parsed = HelperFacts.of(helperFacts);
        Map<String, Object> tree = new LinkedHashMap<>(helperFacts);
        tree.put("upstreams", parsed.upstreams());
        return new LiveFacts(tree, files, parsed);
    }

    @Override
    public CurrentFile file(String path) {
        return files.getOrDefault(path, CurrentFile.UNKNOWN);
    }
}
