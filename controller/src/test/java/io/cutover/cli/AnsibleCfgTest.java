package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ansible.cfg and the ANSIBLE_* environment on the command line's real path, in a working directory
 * and home of the test's own (never the machine's): which inventory is read, and where each
 * connection setting comes from, in Ansible's precedence.
 */
class AnsibleCfgTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final String PLAYBOOK = REPO.resolve("playbooks/local-caching-bind.yml").toString();

    @TempDir
    Path dir;

    private Environment environment(Map<String, String> variables) throws IOException {
        return new Environment(variables, dir, Files.createDirectories(dir.resolve("home")), "tester");
    }

    private void write(String name, String text) throws IOException {
        Files.createDirectories(dir.resolve(name).getParent());
        Files.writeString(dir.resolve(name), text);
    }

    private void project() throws IOException {
        write("inventory/hosts", """
                [app]
                app1 ansible_host=192.0.2.11
                app2 ansible_host=192.0.2.12 ansible_user=special

                [all:vars]
                cutover_alt_forwarders=['192.0.2.153']
                """);
        write("ansible.cfg", """
                [defaults]
                inventory = inventory/hosts
                remote_user = deploy
                forks = 3
                timeout = 7
                ; a comment, as Ansible users write them
                [privilege_escalation]
                become = True
                """);
    }

    @Test
    void anAnsibleCfgInTheWorkingDirectoryIsEnoughToPlanWithoutDashI() throws IOException {
        project();

        Cli cli = Cli.run(environment(Map.of()), "plan", "--offline", PLAYBOOK);

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("app1", "app2");
    }

    @Test
    void inventoryHostSaysWhereEachSettingCameFrom() throws IOException {
        project();

        Cli app1 = Cli.run(environment(Map.of()), "inventory", "--host", "app1");
        Cli app2 = Cli.run(environment(Map.of()), "inventory", "--host", "app2");

        assertThat(app1.exitCode()).as(app1.err()).isZero();
        assertThat(app1.out()).containsPattern("user +deploy +.*ansible.cfg:3 \\[defaults\\] remote_user")
                .containsPattern("timeout +7 s +.*ansible.cfg:5 \\[defaults\\] timeout")
                .containsPattern("become +yes, as root +.*ansible.cfg:8 \\[privilege_escalation\\] become")
                .containsPattern("port +22 +default");
        assertThat(app2.out()).as("a host var wins over ansible.cfg, as in Ansible")
                .containsPattern("user +special +ansible_user \\(.*inventory/hosts:3");
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFileButNotOverHostVars() throws IOException {
        project();
        Map<String, String> env = new HashMap<>(Map.of("ANSIBLE_REMOTE_USER", "from-env"));

        Cli byEnv = Cli.run(environment(env), "inventory", "--host", "app1");
        Cli byFlag = Cli.run(environment(env), "inventory", "--host", "app1", "-u", "from-flag");
        Cli hostVar = Cli.run(environment(env), "inventory", "--host", "app2", "-u", "from-flag");

        assertThat(byEnv.out()).containsPattern("user +from-env +environment variable ANSIBLE_REMOTE_USER");
        assertThat(byFlag.out()).containsPattern("user +from-flag +-u/--user");
        assertThat(hostVar.out()).containsPattern("user +special +ansible_user");
    }

    @Test
    void ansibleInventoryInTheEnvironmentWinsOverTheFile() throws IOException {
        project();
        write("other.yml", "all: {hosts: {db1: {ansible_host: 192.0.2.99}}}\n");

        Cli cli = Cli.run(environment(Map.of("ANSIBLE_INVENTORY", "other.yml")), "inventory", "--list-hosts", "all");

        assertThat(cli.out()).isEqualTo("db1\n");
    }

    @Test
    void aBrokenAnsibleCfgIsOneErrorNamingFileLineAndKeyWithExitCode2() throws IOException {
        project();
        write("ansible.cfg", "[defaults]\ninventory = inventory/hosts\ntimeout = soon\n");

        Cli cli = Cli.run(environment(Map.of()), "plan", "--offline", PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err().strip()).isEqualTo("cutover: error: " + dir.resolve("ansible.cfg")
                + ":3: [defaults] timeout: `soon` is not a whole number");
    }

    @Test
    void withNoInventoryAnywhereTheErrorSaysWhereOneCanBeGiven() throws IOException {
        Cli cli = Cli.run(environment(Map.of()), "plan", "--offline", PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("no inventory: pass -i FILE, set ANSIBLE_INVENTORY, or set `inventory`");
    }
}
