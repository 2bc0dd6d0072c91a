package io.cutover.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keys held by a real ssh-agent (encrypted on disk, added with ssh-add) log in to a real SSH server
 * without cutover ever reading or decrypting the key file; key files remain the fallback.
 */
class SshAgentTest {

    @RegisterExtension
    final SshServerExtension server = new SshServerExtension();

    private static final PassphraseSource MUST_NOT_ASK = keyFile -> {
        throw new AssertionError("the passphrase of " + keyFile + " was asked although the agent holds the key");
    };

    private SshTarget viaAgent(Path agentSocket, Path... keyFiles) {
        return server.target().withIdentityAgent(agentSocket).withIdentityFiles(List.of(keyFiles));
    }

    @Test
    void anEncryptedKeyHeldByTheAgentLogsInWithoutItsPassphrase() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(server.dir())) {
            Path key = agent.newEncryptedKey("id_agent", "ed25519", "agent pass");
            agent.add(key, "agent pass");
            server.authorize(Files.readString(Path.of(key + ".pub")));
            List<String> debug = new ArrayList<>();

            try (SshConnection connection = new SshConnector(MUST_NOT_ASK, debug::add)
                    .connect(viaAgent(agent.socket(), key))) {
                assertThat(connection.exec("echo ok", null, null).stdout()).isEqualTo("ok\n");
            }
            assertThat(debug).anyMatch(line -> line.contains("accepted agent key ssh-ed25519 SHA256:") && line.contains("id_agent"));
        }
    }

    @Test
    void anRsaKeyInTheAgentSignsWithSha2() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(server.dir())) {
            Path key = agent.newEncryptedKey("id_rsa_agent", "rsa", "rsa pass");
            agent.add(key, "rsa pass");
            server.authorize(Files.readString(Path.of(key + ".pub")));

            try (SshConnection connection = new SshConnector(MUST_NOT_ASK).connect(viaAgent(agent.socket()))) {
                assertThat(connection.exec("echo ok", null, null).stdout()).isEqualTo("ok\n");
            }
        }
    }

    @Test
    void whenTheServerRefusesEveryAgentKeyTheKeyFilesAreTriedNext() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(server.dir())) {
            Path unauthorized = agent.newEncryptedKey("id_other", "ed25519", "x");
            agent.add(unauthorized, "x");

            try (SshConnection connection = new SshConnector(PassphraseSource.none())
                    .connect(viaAgent(agent.socket(), server.clientKey()))) {
                assertThat(connection.exec("echo ok", null, null).stdout()).isEqualTo("ok\n");
            }
        }
    }

    @Test
    void aDeadAgentSocketIsNamedWhenNoKeyWorks() throws Exception {
        Path missing = server.dir().resolve("no-agent.sock");

        assertThatThrownBy(() -> new SshConnector(PassphraseSource.none()).connect(viaAgent(missing)))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("ssh-agent socket " + missing + " does not exist");
    }

    @Test
    void anEncryptedKeyFileWithNoPassphraseAndNoTerminalSaysSoWithoutPromisingAPrompt() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(server.dir())) {
            Path key = agent.newEncryptedKey("id_file_only", "ed25519", "file pass");
            server.authorize(Files.readString(Path.of(key + ".pub")));

            // the terminal source finds no console under the test runner: the message must say so
            assertThatThrownBy(() -> new SshConnector(PassphraseSource.fromEnvironment(Map.of())
                    .orElse(PassphraseSource.terminal())).connect(server.target().withIdentityFiles(List.of(key))))
                    .isInstanceOf(AuthException.class)
                    .hasMessageContaining("no passphrase was given (set CUTOVER_SSH_PASSPHRASE (there is no terminal"
                            + " to ask on), or add the key to ssh-agent)")
                    .hasMessageNotContaining("enter it when asked");
        }
    }
}
