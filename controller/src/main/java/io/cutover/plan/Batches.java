package io.cutover.plan;

import io.cutover.playbook.Rollout.BatchSize;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits hosts into rollout batches exactly as Ansible's {@code serial} does: sizes are taken in
 * order, the last one repeats; a percentage is of all hosts (not of those left), rounded down but
 * at least one host.
 */
public final class Batches {

    private Batches() {
    }

    public static <T> List<List<T>> split(List<T> hosts, List<BatchSize> serial) {
        List<List<T>> batches = new ArrayList<>();
        int total = hosts.size();
        int next = 0;
        int sizeIndex = 0;
        while (next < total) {
            int size = serial.get(sizeIndex).hostsOutOf(total);
            int end = Math.min(total, next + size);
            batches.add(List.copyOf(hosts.subList(next, end)));
            next = end;
            sizeIndex = Math.min(sizeIndex + 1, serial.size() - 1);
        }
        return batches;
    }

    /**
     * Whether a batch failed too much: Ansible aborts when the failed share is strictly above
     * {@code maxFailPercentage}; with 0, any failure aborts.
     */
    public static boolean exceedsThreshold(int failed, int batchSize, int maxFailPercentage) {
        if (batchSize == 0 || failed == 0) {
            return false;
        }
        return failed * 100.0 / batchSize > maxFailPercentage;
    }
}
