package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.inventory.AnsibleConfig.Sourced;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionDefaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDefaultsARunStartedWithComeBackFromItsJournalRecord() throws Exception {
        ConnectionDefaults started = new ConnectionDefaults(new Sourced<>("deploy", "-u/--user"),
                new Sourced<>(2222, "environment variable ANSIBLE_REMOTE_PORT"),
                new Sourced<>(Path.of("/keys/id"), "ansible.cfg:4 [defaults] private_key_file"),
                new Sourced<>(Duration.ofSeconds(7), "-T/--timeout"), new Sourced<>(true, "-b/--become"), null,
                new Sourced<>("-C", "ansible.cfg:9 [ssh_connection] ssh_args"), new Sourced<>(false, "ANSIBLE_HOST_KEY_CHECKING"),
                null, null);

        String journaled = JSON.writeValueAsString(started.toRecord());
        ConnectionDefaults back = ConnectionDefaults.fromRecord(JSON.readValue(journaled, new TypeReference<>() { }));

        assertThat(back.user()).isEqualTo(new Sourced<>("deploy", "-u/--user (as the run started)"));
        assertThat(back.port().value()).isEqualTo(2222);
        assertThat(back.privateKeyFile().value()).isEqualTo(Path.of("/keys/id"));
        assertThat(back.timeout().value()).isEqualTo(Duration.ofSeconds(7));
        assertThat(back.become().value()).isTrue();
        assertThat(back.becomeUser()).isNull();
        assertThat(back.sshArgs().value()).isEqualTo("-C");
        assertThat(back.hostKeyChecking().value()).isFalse();
        assertThat(ConnectionDefaults.fromRecord(Map.of())).isEqualTo(ConnectionDefaults.NONE);
    }
}
