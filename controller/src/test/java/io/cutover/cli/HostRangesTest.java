package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostRangesTest {

    @Test
    void consecutiveNumbersBecomeAnInventoryRange() {
        List<String> hosts = IntStream.rangeClosed(1, 20).mapToObj(i -> "app" + i).toList();

        assertThat(HostRanges.compact(hosts)).isEqualTo("app[1:20]");
    }

    @Test
    void zeroPaddingIsKeptAndTheNumberNeedNotEndTheName() {
        List<String> hosts = IntStream.rangeClosed(1, 12).mapToObj(i -> String.format("pgb-dc1-%02d.example.com", i)).toList();

        assertThat(HostRanges.compact(hosts)).isEqualTo("pgb-dc1-[01:12].example.com");
    }

    @Test
    void gapsShortRunsAndUnnumberedNamesStayAsTheyAre() {
        assertThat(HostRanges.compact(List.of("app1", "app2", "app3", "app5", "app7", "app8", "db", "web01", "web02")))
                .isEqualTo("app[1:3], app5, app7, app8, db, web01, web02");
    }
}
