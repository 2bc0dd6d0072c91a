package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.playbook.PlaybookLoader;
import io.cutover.playbook.Rollout.BatchSize;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static List<Integer> sizes(int hosts, Object... serial) {
        List<BatchSize> sizes = java.util.Arrays.stream(serial).map(s -> PlaybookLoader.parseBatchSize(s, null)).toList();
        List<Integer> all = IntStream.range(0, hosts).boxed().toList();
        return Batches.split(all, sizes).stream().map(List::size).toList();
    }

    @Test
    void canaryThenTenPercentThenTheRestAsAnsibleSplitsThem() {
        assertThat(sizes(10, 1, "10%", "100%")).containsExactly(1, 1, 8);
        assertThat(sizes(200, 1, "10%", "100%")).containsExactly(1, 20, 179);
    }

    @Test
    void theLastSizeRepeats() {
        assertThat(sizes(5, 2)).containsExactly(2, 2, 1);
        assertThat(sizes(7, 1, 3)).containsExactly(1, 3, 3);
    }

    @Test
    void percentagesAreOfAllHostsRoundedDownButAtLeastOne() {
        assertThat(sizes(5, "30%")).containsExactly(1, 1, 1, 1, 1);
        assertThat(sizes(9, "50%")).containsExactly(4, 4, 1);
    }

    @Test
    void hostsKeepTheirOrderAcrossBatches() {
        List<String> hosts = List.of("a", "b", "c", "d");
        assertThat(Batches.split(hosts, List.of(new BatchSize(1, false), new BatchSize(100, true))))
                .containsExactly(List.of("a"), List.of("b", "c", "d"));
    }

    @Test
    void noHostsMeansNoBatches() {
        assertThat(sizes(0, 1)).isEmpty();
    }

    @Test
    void thresholdIsStrictlyAboveThePercentageAndZeroMeansAnyFailure() {
        assertThat(Batches.exceedsThreshold(1, 10, 0)).isTrue();
        assertThat(Batches.exceedsThreshold(0, 10, 0)).isFalse();
        assertThat(Batches.exceedsThreshold(1, 10, 10)).isFalse();
        assertThat(Batches.exceedsThreshold(2, 10, 10)).isTrue();
        assertThat(Batches.exceedsThreshold(1, 1, 99)).isTrue();
    }
}
