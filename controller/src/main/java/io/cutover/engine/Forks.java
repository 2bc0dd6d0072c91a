package io.cutover.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** One task per host, at most {@code forks} at a time, results in the hosts' order. */
final class Forks {

    private Forks() {
    }

    /**
     * Runs {@code task} for every host. Tasks report a host's failure as their result; an exception
     * escaping one is a bug in cutover and is rethrown once every task has ended.
     */
    static <T> List<T> map(List<String> hosts, int forks, Function<String, T> task) {
        if (hosts.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, hosts.size())), r -> {
            Thread thread = new Thread(r, "host");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (String host : hosts) {
                futures.add(pool.submit(() -> task.apply(host)));
            }
            // Every task is waited for, even after one has failed: stopping the pool then would
            // interrupt the other hosts in the middle of their steps.
            List<T> results = new ArrayList<>(hosts.size());
            Throwable failed = null;
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    failed = failed == null ? e.getCause() : failed;
                }
            }
            if (failed != null) {
                throw new IllegalStateException("a host's task failed unexpectedly", failed);
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for hosts", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
