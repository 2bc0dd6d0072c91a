package io.cutover.cli;

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
import picocli.CommandLine.Option;

/** SSH options every command that connects shares. */
final class SshOptions {

    @Option(names = "--host-key-policy", paramLabel = "POLICY", defaultValue = "strict",
            description = "strict (default): unknown or changed host keys are refused. accept-new: unknown keys are "
                    + "recorded in known_hosts; changed keys are still refused.")
    String hostKeyPolicy;

    @Option(names = "--ssh-config", paramLabel = "FILE",
            description = "OpenSSH client config to read (default: ~/.ssh/config if it exists).")
    Path sshConfig;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up connecting to a host after this many seconds (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up on one helper call after this many seconds (default: ${DEFAULT-VALUE}).")
    int commandTimeout;

    @Option(names = {"-K", "--ask-become-pass"},
            description = "Ask once for the sudo password of hosts with ansible_become (or set CUTOVER_BECOME_PASSWORD). "
                    + "It goes to sudo on stdin only; it is never logged or journaled.")
    boolean askBecomePass;

    private char[] becomePassword;

    Duration commandTimeout() {
        return Duration.ofSeconds(commandTimeout);
    }

    SshSettingsResolver resolver(PrintWriter warnings) {
        Path home = Path.of(System.getProperty("user.home"));
        Path config = sshConfig != null ? sshConfig : home.resolve(".ssh/config");
        OpenSshConfig parsed = Files.isRegularFile(config) ? OpenSshConfig.load(config) : OpenSshConfig.empty();
        parsed.warnings().forEach(w -> warn(warnings, w));
        HostKeyPolicy policy;
        try {
            policy = HostKeyPolicy.parse(hostKeyPolicy);
        } catch (IllegalArgumentException e) {
            throw new InputException("--host-key-policy: " + e.getMessage());
        }
        SshSettingsResolver.Defaults defaults = new SshSettingsResolver.Defaults(System.getProperty("user.name"), home,
                policy, Duration.ofSeconds(connectTimeout), commandTimeout(),
                Duration.ofSeconds(15), becomePassword());
        return new SshSettingsResolver(parsed, defaults, w -> warn(warnings, w));
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
        if (becomePassword == null && System.getenv("CUTOVER_BECOME_PASSWORD") != null) {
            becomePassword = System.getenv("CUTOVER_BECOME_PASSWORD").toCharArray();
        }
        return becomePassword;
    }

    static SshConnector connector() {
        return new SshConnector(PassphraseSource.fromEnvironment(System.getenv()));
    }

    private static void warn(PrintWriter out, String message) {
        synchronized (out) {
            out.println("cutover: warning: " + message);
            out.flush();
        }
    }
}
