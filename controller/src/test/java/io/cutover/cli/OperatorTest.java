package io.cutover.cli;

import io.cutover.journal.JournalEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorTest {

    @Test
    void underSudoThePersonIsSudoUserBesideTheAccountAndTheControllerIsThisMachinesHostname() throws Exception {
        Environment sudo = new Environment(Map.of("SUDO_USER", "alice"), Path.of("."), Path.of("/root"), "root");

        JournalEvent.Operator operator = Operator.of(sudo);

        assertThat(operator.sudoUser()).isEqualTo("alice");
        assertThat(operator.user()).isEqualTo("root");
        assertThat(operator.controller()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
    }

    @Test
    void withoutSudoThePersonIsTheUserRunningCutover() {
        Environment plain = new Environment(Map.of(), Path.of("."), Path.of("/home/bob"), "bob");

        JournalEvent.Operator operator = Operator.of(plain);

        assertThat(operator.user()).isEqualTo("bob");
        assertThat(operator.sudoUser()).isNull();
        assertThat(operator.person()).isEqualTo("bob");
        assertThat(operator.controller()).isNotEmpty();
    }
}
