package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.helper.Helper;
import io.cutover.helper.HelperException;
import io.cutover.helper.HelperResult;
import io.cutover.plan.CurrentFile;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only facts from many hosts at once ({@code cutover facts}; {@link Prepare} reads one host's
 * through {@link #read}): the helper is streamed to {@code sh -s}, nothing is written on any host.
 */
public final class FactsGatherer {

    /** One host's answer: its facts and the current content of the files asked for, or why there are none. */
    public record HostFactsResult(String host, Map<String, Object> facts, Map<String, CurrentFile> files, String error) {

        public boolean ok() {
            return error == null;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RunContext run;
    private final int forks;

    public FactsGatherer(RunContext run, int forks) {
        this.run = run;
        this.forks = forks;
    }

    /**
     * Facts of every host, in the order given; {@code processes} are the names to inspect and
     * {@code paths} the files whose current content the plan diffs against (may be empty).
     */
    public List<HostFactsResult> gather(List<String> hosts, List<String> processes, List<String> paths) {
        return Forks.map(hosts, forks, host -> one(host, processes, paths));
    }

    private HostFactsResult one(String host, List<String> processes, List<String> paths) {
        try (SshConnection connection = run.connect(host)) {
            return read(host, run.helper(connection), processes, paths);
        } catch (SshException | HelperException e) {
            return new HostFactsResult(host, null, Map.of(), e.getMessage());
        }
    }

    /**
     * One host's facts and files over an open connection: one read-only streamed call. The files
     * come back beside the facts, never inside them: the facts are journaled, and an installed
     * file may hold a secret.
     */
    @SuppressWarnings("unchecked")
    static HostFactsResult read(String host, Helper helper, List<String> processes, List<String> paths) {
        HelperResult result = helper.facts(processes, paths);
        if (!result.ok()) {
            return new HostFactsResult(host, null, Map.of(), result.describeFailure());
        }
        Map<String, CurrentFile> files = new LinkedHashMap<>();
        for (JsonNode file : result.data().path("files")) {
            files.put(file.path("path").asText(), file.path("exists").asBoolean()
                    ? CurrentFile.of(file.path("content").asText()) : CurrentFile.ABSENT);
        }
        Map<String, Object> facts = MAPPER.convertValue(result.data(), LinkedHashMap.class);
        facts.remove("files");
        return new HostFactsResult(host, facts, files, null);
    }
}
