package io.cutover.playbook;

import java.util.List;

/**
 * How hosts are taken through the steps: {@code serial} batches (Ansible's semantics: a list of
 * sizes, the last one repeating), {@code forks} hosts at a time within a batch, and the failure
 * threshold that aborts the rollout.
 *
 * @param rollbackAll when a host fails: true undoes every step done on it; false undoes only the
 *                    guarded block and leaves earlier steps (e.g. an installed, harmless local BIND)
 */
public record Rollout(int forks, List<BatchSize> serial, int maxFailPercentage, boolean rollbackAll) {

    public static final Rollout DEFAULT = new Rollout(10, List.of(new BatchSize(1, false), new BatchSize(100, true)), 0, true);

    public Rollout {
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1");
        }
        serial = List.copyOf(serial);
        if (serial.isEmpty()) {
            throw new IllegalArgumentException("serial needs at least one batch size");
        }
        if (maxFailPercentage < 0 || maxFailPercentage > 100) {
            throw new IllegalArgumentException("max_fail_percentage must be between 0 and 100");
        }
    }

    /** A batch size: a host count, or a percentage of all selected hosts. */
    public record BatchSize(int value, boolean percent) {
        public BatchSize {
            if (value < 1 || (percent && value > 100)) {
                throw new IllegalArgumentException("not a batch size: " + value + (percent ? "%" : ""));
            }
        }

        /** Hosts in a batch of this size, out of {@code total}, as Ansible rounds it (down, at least 1). */
        public int hostsOutOf(int total) {
            return percent ? Math.max(1, (int) (value / 100.0 * total)) : value;
        }

        @Override
        public String toString() {
            return percent ? value + "%" : Integer.toString(value);
        }
    }
}
