package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.ssh.SshServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ssh_config a command reads decides what the inventory leaves open, on the path a real run
 * takes (inventory file → connection settings → SSH connection), against a real SSH server on a
 * port that is not 22: a default must never be taken for a value the inventory set.
 */
class SshConfigOnTheRealPathTest {

    @RegisterExtension
    final SshServerExtension server = new SshServerExtension();

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Path sshConfig(String port, String user) throws IOException {
        return file("ssh_config", "Host web1\n"
                + "  HostName 127.0.0.1\n"
                + "  Port " + port + "\n"
                + "  User " + user + "\n"
                + "  IdentityFile " + server.clientKey() + "\n"
                + "  UserKnownHostsFile " + server.knownHosts() + "\n");
    }

    private Cli facts(Path inventory, Path config) {
        return Cli.run("facts", "-i", inventory.toString(), "--ssh-config", config.toString(), "--connect-timeout", "5",
                "--proc", "no-such-process", "-o", "json");
    }

    @Test
    void portAndUserFromSshConfigAreUsedWhenTheInventoryDoesNotSetThem() throws IOException {
        Path inventory = file("inventory.yml", "all:\n  hosts:\n    web1:\n");

        Cli cli = facts(inventory, sshConfig(Integer.toString(server.port()), SshServerExtension.USER));

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCode.OK);
        assertThat(server.sessionsCreated()).isEqualTo(1);
        assertThat(server.executed()).singleElement().asString().contains("facts");
    }

    @Test
    void portAndUserTheInventorySetsWinOverSshConfig() throws IOException {
        Path inventory = file("inventory.yml", "all:\n  hosts:\n    web1:\n      ansible_port: " + server.port()
                + "\n      ansible_user: " + SshServerExtension.USER + "\n");

        // Port 1 and user nobody would fail: the inventory's values must be the ones used.
        Cli cli = facts(inventory, sshConfig("1", "nobody"));

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCode.OK);
        assertThat(server.sessionsCreated()).isEqualTo(1);
    }
}
