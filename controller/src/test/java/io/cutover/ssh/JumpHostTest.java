package io.cutover.ssh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JumpHostTest {
    @RegisterExtension
    final SshServerExtension bastion = SshServerExtension.jumpHost();
    @RegisterExtension
    final SshServerExtension host = new SshServerExtension();

    private final SshConnector connector = new SshConnector(PassphraseSource.none());

    private SshTarget bastionTarget() {
        return new SshTarget("bastion", "127.0.0.1", bastion.port(), SshServerExtension.USER,
                List.of(bastion.clientKey()), bastion.knownHosts(), HostKeyPolicy.STRICT, null, Become.none(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);
    }

    @Test
    void commandsReachTheHostThroughTheJumpHost() {
        try (SshConnection ssh = connector.connect(host.target().withJump(bastionTarget()))) {
            assertThat(ssh.exec("echo through", null, null).stdout()).isEqualTo("through\n");
            assertThat(ssh.exec("echo again", null, null).stdout()).isEqualTo("again\n");
        }
        assertThat(bastion.sessionsCreated()).isEqualTo(1);
        assertThat(bastion.executed()).isEmpty();
        assertThat(host.sessionsCreated()).isEqualTo(1);
        assertThat(host.executed()).containsExactly("echo through", "echo again");
    }

    @Test
    void theHostKeyBehindTheJumpIsVerifiedToo() throws IOException {
        java.nio.file.Files.writeString(host.knownHosts(), "");

        assertThatThrownBy(() -> connector.connect(host.target().withJump(bastionTarget())))
                .isInstanceOf(HostKeyException.class)
                .hasMessageStartingWith("web1: host key for [127.0.0.1]:" + host.port());
        assertThat(host.executed()).isEmpty();
    }

    @Test
    void aJumpHostThatRefusesForwardingIsAConnectExceptionNamingIt() {
        SshTarget noForwarding = new SshTarget("bastion", "127.0.0.1", host.port(), SshServerExtension.USER,
                List.of(host.clientKey()), host.knownHosts(), HostKeyPolicy.STRICT, null, Become.none(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);

        assertThatThrownBy(() -> connector.connect(bastionTarget().withJump(noForwarding)))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("could not open a tunnel");
    }
}
