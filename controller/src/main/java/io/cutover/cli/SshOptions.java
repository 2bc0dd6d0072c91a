package io.cutover.cli;

import io.cutover.inventory.AnsibleConfig;
import io.cutover.inventory.ConnectionDefaults;
import io.cutover.inventory.Inventory;
import io.cutover.ssh.HostKeyPolicy;
import io.cutover.ssh.OpenSshConfig;
import io.cutover.ssh.PassphraseSource;
import io.cutover.ssh.SshConnector;
import io.cutover.ssh.SshSettingsResolver;
import io.cutover.yaml.InputException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * The connection options every command that connects shares, named as ansible-playbook names them.
 * Where a setting comes from, first match wins: a host's inventory vars (as in Ansible, they beat the
 * command line), then these flags, then {@code ANSIBLE_*} variables, then ansible.cfg, then
 * ~/.ssh/config, then the defaults. {@code --host-key-policy} is cutover's own and beats everything.
 */
final class SshOptions implements Environment.Aware {

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Log in as USER where the inventory sets no ansible_user (as ansible-playbook -u; "
                    + "default: $ANSIBLE_REMOTE_USER, ansible.cfg remote_user, ~/.ssh/config User, your user name).")
    String user;

    @Option(names = {"--private-key", "--key-file"}, paramLabel = "FILE",
            description = "Private key to offer first where the inventory sets no ansible_ssh_private_key_file "
                    + "(default: $ANSIBLE_PRIVATE_KEY_FILE, ansible.cfg private_key_file). Keys in ssh-agent "
                    + "($SSH_AUTH_SOCK, or IdentityAgent in ~/.ssh/config) are offered before key files.")
    Path privateKey;

    @Option(names = {"-b", "--become"},
            description = "Run the helper as root through sudo where the inventory sets no ansible_become "
                    + "(default: $ANSIBLE_BECOME, ansible.cfg [privilege_escalation] become).")
    boolean become;

    @Option(names = "--become-user", paramLabel = "USER",
            description = "The user to become (default: $ANSIBLE_BECOME_USER, ansible.cfg become_user, root).")
    String becomeUser;

    @Option(names = {"-K", "--ask-become-pass"},
            description = "Ask once for the sudo password of hosts that become (or set CUTOVER_BECOME_PASSWORD). "
                    + "It goes to sudo on stdin only; it is never logged or journaled.")
    boolean askBecomePass;

    @Option(names = "--host-key-policy", paramLabel = "POLICY",
            description = "strict (default): unknown or changed host keys are refused. accept-new: unknown keys are "
                    + "recorded in known_hosts; changed keys are still refused. Given here, it wins over "
                    + "StrictHostKeyChecking in the inventory's ssh args, ~/.ssh/config and host_key_checking.")
    String hostKeyPolicy;

    @Option(names = "--ssh-config", paramLabel = "FILE",
            description = "OpenSSH client config to read (default: ~/.ssh/config if it exists).")
    Path sshConfig;

    @Option(names = {"-T", "--timeout", "--connect-timeout"}, paramLabel = "SECONDS",
            description = "Give up connecting to a host after this many seconds where the inventory sets no "
                    + "ansible_ssh_timeout (default: $ANSIBLE_TIMEOUT, ansible.cfg timeout, ConnectTimeout, 10).")
    Integer connectTimeout;

    @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up on one helper call after this many seconds (default: ${DEFAULT-VALUE}).")
    int commandTimeout;

    @Option(names = "-v", description = "More output; repeat for more. -v: a line per step and host even on a "
            + "terminal (instead of the live status line). -vv: also what the helper writes on stderr on each host "
            + "(its log), prefixed by the host. -vvv: also, per host, the SSH destination, the keys offered (agent "
            + "or file) and the one accepted, and sshj's own debug log. All of it on stderr.")
    boolean[] verbose = new boolean[0];

    private char[] becomePassword;
    private Environment environment = Environment.system();

    @Override
    public void environment(Environment environment) {
        this.environment = environment;
    }

    Duration commandTimeout() {
        return Duration.ofSeconds(commandTimeout);
    }

    int verbosity() {
        return verbose.length;
    }

    /** The flags over ANSIBLE_* over ansible.cfg: what applies where a host's vars say nothing. */
    ConnectionDefaults connectionDefaults(PrintWriter warnings) {
        if (connectTimeout != null && connectTimeout < 1) {
            throw new InputException("--timeout: " + connectTimeout + " is not a number of seconds (at least 1)");
        }
        return ConnectionDefaults.of(environment.ansible(warnings)).withCommandLine(user, privateKey, become,
                becomeUser, connectTimeout == null ? null : Duration.ofSeconds(connectTimeout));
    }

    /**
     * The defaults a run started with (its journal's record), under the flags given now: resume and
     * rollback reach hosts as the run did, not as the ansible.cfg of wherever they are started says.
     */
    ConnectionDefaults connectionDefaults(Map<String, Map<String, Object>> recorded) {
        if (connectTimeout != null && connectTimeout < 1) {
            throw new InputException("--timeout: " + connectTimeout + " is not a number of seconds (at least 1)");
        }
        return ConnectionDefaults.fromRecord(recorded).withCommandLine(user, privateKey, become, becomeUser,
                connectTimeout == null ? null : Duration.ofSeconds(connectTimeout));
    }

    /** {@code inventory} resolving its hosts' connections with {@link #connectionDefaults}. */
    Inventory apply(Inventory inventory, PrintWriter warnings) {
        return inventory.withConnectionDefaults(connectionDefaults(warnings));
    }

    /** -f, else ANSIBLE_FORKS, else ansible.cfg's forks, else {@code fallback} (the playbook's or the verb's). */
    int forks(Integer flag, int fallback, PrintWriter warnings) {
        int forks = flag != null ? flag
                : environment.ansible(warnings).forks().map(AnsibleConfig.Sourced::value).orElse(fallback);
        if (forks < 1) {
            throw new InputException("--forks: " + forks + " is not at least 1");
        }
        return forks;
    }

    SshSettingsResolver resolver(PrintWriter warnings) {
        Path home = environment.home();
        Path config = sshConfig != null ? sshConfig : home.resolve(".ssh/config");
        OpenSshConfig parsed = Files.isRegularFile(config) ? OpenSshConfig.load(config) : OpenSshConfig.empty();
        parsed.warnings().forEach(w -> warn(warnings, w));
        HostKeyPolicy forced = null;
        if (hostKeyPolicy != null) {
            try {
                forced = HostKeyPolicy.parse(hostKeyPolicy);
            } catch (IllegalArgumentException e) {
                throw new InputException("--host-key-policy: " + e.getMessage());
            }
        }
        SshSettingsResolver.Defaults defaults = new SshSettingsResolver.Defaults(environment.user(), home,
                forced != null ? forced : HostKeyPolicy.STRICT, Duration.ofSeconds(10), commandTimeout(),
                Duration.ofSeconds(15), becomePassword(), forced != null, agentSocket());
        return new SshSettingsResolver(parsed, defaults, w -> warn(warnings, w));
    }

    private Path agentSocket() {
        String socket = environment.variable("SSH_AUTH_SOCK");
        return socket == null || socket.isBlank() ? null : Path.of(socket);
    }

    /** The sudo password: asked once (-K) or from CUTOVER_BECOME_PASSWORD; null when neither. */
    private char[] becomePassword() {
        if (becomePassword == null && askBecomePass) {
            java.io.Console console = System.console();
            if (console == null) {
                throw new InputException("--ask-become-pass needs a terminal; set CUTOVER_BECOME_PASSWORD instead");
            }
            becomePassword = console.readPassword("sudo password for the hosts' become user: ");
        }
        if (becomePassword == null && environment.variable("CUTOVER_BECOME_PASSWORD") != null) {
            becomePassword = environment.variable("CUTOVER_BECOME_PASSWORD").toCharArray();
        }
        return becomePassword;
    }

    /** The run's connector: passphrases from CUTOVER_SSH_PASSPHRASE, else asked on the terminal once per key. */
    SshConnector connector(PrintWriter err) {
        return connector(err, UnaryOperator.identity());
    }

    /** The run's connector, its terminal prompts made through {@code asking} (the live view pauses for them). */
    SshConnector connector(PrintWriter err, UnaryOperator<PassphraseSource> asking) {
        Consumer<String> debug = verbosity() >= 3 ? line -> warn(err, line, "cutover: ssh: ") : line -> { };
        Consumer<String> stderr = verbosity() >= 2 ? line -> warn(err, line, "cutover: stderr: ") : line -> { };
        return new SshConnector(PassphraseSource.fromEnvironment(environment.variables())
                .orElse(asking.apply(PassphraseSource.terminal())), debug, stderr);
    }

    private static void warn(PrintWriter out, String message) {
        warn(out, message, "cutover: warning: ");
    }

    private static void warn(PrintWriter out, String message, String prefix) {
        synchronized (out) {
            out.println(prefix + message);
            out.flush();
        }
    }
}
