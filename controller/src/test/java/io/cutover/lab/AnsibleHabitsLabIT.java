package io.cutover.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.ssh.SshAgentProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Ansible users hold their keys and settings, against the lab's real OpenSSH servers and the
 * built jar: a key held by a real ssh-agent, an encrypted key whose passphrase is typed at a real
 * pseudo-terminal (once for the whole run), and an ansible.cfg that replaces -i and the key flag.
 * The inventory used has the lab's key file taken out, so only the way under test can log in.
 */
class AnsibleHabitsLabIT {

    private static final String PASSPHRASE = "lab agent pass phrase";
    private static final List<String> HOSTS = List.of("app1", "app2");

    @TempDir
    Path dir;

    @RegisterExtension
    final Lab lab = Lab.fleet("ag", HOSTS.size());
    private Path inventory;
    private Path key;

    @BeforeEach
    void startLab() throws Exception {
        key = dir.resolve("id_operator");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "operator", "-f", key.toString()), Map.of());
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        for (String host : HOSTS) {
            lab.exec(host, "printf '%s\\n' '" + pub + "' >> /root/.ssh/authorized_keys");
        }
        // the lab's own key out: a host reached now was reached with the operator's key
        String text = Files.readString(lab.inventory());
        assertThat(text).contains("ansible_ssh_private_key_file:");
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, text.replaceAll("(?m)^\\s*ansible_ssh_private_key_file:.*\\n", ""));
    }

    @Test
    void aKeyHeldBySshAgentLogsInToEveryHostWithoutItsPassphrase() throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(key, PASSPHRASE);

            Result facts = run(cutover("facts", "-i", inventory.toString(), "--proc", "sshd", "-vvv"),
                    Map.of("SSH_AUTH_SOCK", agent.socket().toString()));

            assertThat(facts.code()).as(facts.out()).isZero();
            for (String host : HOSTS) {
                assertThat(facts.out()).containsPattern(host + ": root@\\S+ accepted agent key ssh-ed25519 SHA256:\\S+ \\(operator\\)");
            }
        }
    }

    @Test
    void anEncryptedKeyFileIsAskedForOnTheTerminalOnceForTheWholeRun() throws Exception {
        Path script = Lab.REPO.resolve("controller/src/test/resources/pty/answer-prompts.py");
        List<String> command = new ArrayList<>(List.of("python3", script.toString(), PASSPHRASE));
        command.addAll(cutover("facts", "-i", inventory.toString(), "--private-key", key.toString(), "--proc", "sshd"));

        Result facts = run(command, Map.of());

        assertThat(facts.out()).as(facts.out()).contains("PTY-EXIT 0 PROMPTS 1")
                .contains("Enter passphrase for key '" + key + "'");
    }

    @Test
    void anAnsibleCfgInTheWorkingDirectoryIsEnoughToPlanWithoutDashI() throws Exception {
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\ninventory = inventory.yml\n"
                + "private_key_file = " + lab.inventory().getParent().resolve("ssh/id_ed25519") + "\nforks = 2\n");
        Files.createSymbolicLink(dir.resolve("playbooks"), Lab.REPO.resolve("playbooks"));

        Result plan = run(cutover("plan", "playbooks/local-caching-bind.yml"), Map.of());

        assertThat(plan.code()).as(plan.out()).isZero();
        assertThat(plan.out()).contains("app1", "app2").doesNotContain("cannot plan");
    }

    private List<String> cutover(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + dir, "-jar", Cutover.JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    record Result(int code, String out) {
    }

    /** Runs in the test's directory, without the caller's SSH_AUTH_SOCK or ANSIBLE_*, plus {@code env}. */
    private Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("ANSIBLE_") || k.equals("SSH_AUTH_SOCK")
                || k.equals("CUTOVER_SSH_PASSPHRASE"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + out);
        }
        return new Result(process.exitValue(), out);
    }
}
