package io.cutover.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.helper.Helper;
import io.cutover.helper.HelperException;
import io.cutover.helper.HelperResult;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Read-only facts from many hosts at once ({@code cutover facts}, the online plan): the helper
 * is streamed to {@code sh -s}, nothing is written on any host.
 */
public final class FactsGatherer {

    /** One host's answer: its facts, or why there are none. */
    public record HostFactsResult(String host, Map<String, Object> facts, String error) {

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

    /** Facts of every host, in the order given; {@code processes} are the names to inspect. */
    public List<HostFactsResult> gather(List<String> hosts, List<String> processes) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, hosts.size())));
        try {
            List<Future<HostFactsResult>> futures = new ArrayList<>();
            for (String host : hosts) {
                futures.add(pool.submit(() -> one(host, processes)));
            }
            List<HostFactsResult> results = new ArrayList<>();
            for (Future<HostFactsResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("gathering facts failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private HostFactsResult one(String host, List<String> processes) {
        try (SshConnection connection = run.connect(host)) {
            HelperResult result = new Helper(connection, run.script(), run.commandTimeout()).facts(processes);
            if (!result.ok()) {
                return new HostFactsResult(host, null, result.describeFailure());
            }
            return new HostFactsResult(host, MAPPER.convertValue(result.data(), LinkedHashMap.class), null);
        } catch (SshException | HelperException e) {
            return new HostFactsResult(host, null, e.getMessage());
        }
    }
}
