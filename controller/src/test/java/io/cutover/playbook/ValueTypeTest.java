package io.cutover.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueTypeTest {

    /** The loader stores checked step args and the planner checks them again: a second check must not refuse. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"DURATION, 30s", "DURATION, 500ms", "IP, 192.0.2.1", "SECRET, s3cret", "NAME, probe"})
    void aCheckedValuePassesTheSameCheckAgainUnchanged(ValueType type, String written) {
        Object checked = type.check(written);

        assertThat(type.check(checked)).isEqualTo(checked);
    }

    /** `-e refresh_processes=[]` means what `{"refresh_processes": []}` and a YAML `[]` mean: no process. */
    @Test
    void aListWrittenInBracketsOnTheCommandLineIsThatList() {
        assertThat(ValueType.PROCESS_LIST.validate("[]")).isEqualTo(List.of());
        assertThat(ValueType.PROCESS_LIST.validate("[pgbouncer, /run/app.pid]")).isEqualTo(List.of("pgbouncer", "/run/app.pid"));
        assertThat(ValueType.PROCESS_LIST.validate("pgbouncer,/run/app.pid")).isEqualTo(List.of("pgbouncer", "/run/app.pid"));
        assertThat(ValueType.IP_LIST.validate("[10.0.0.1]")).isEqualTo(List.of("10.0.0.1"));
    }
}
