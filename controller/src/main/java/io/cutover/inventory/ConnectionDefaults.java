package io.cutover.inventory;

import io.cutover.inventory.AnsibleConfig.Sourced;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What applies to a host whose inventory vars do not say: the command line (-u, --private-key, -b,
 * --become-user, -T), else the {@code ANSIBLE_*} environment, else ansible.cfg (the caller merges them
 * in that order). As in Ansible, a host's own vars ({@code ansible_user}, {@code ansible_become}, ...)
 * win over all three. Every component may be {@code null}: not set anywhere, so the SSH layer's
 * ssh_config and defaults decide. Each value carries where it was set, for {@code inventory --host}.
 */
public record ConnectionDefaults(Sourced<String> user, Sourced<Integer> port, Sourced<Path> privateKeyFile,
        Sourced<Duration> timeout, Sourced<Boolean> become, Sourced<String> becomeUser, Sourced<String> sshArgs,
        Sourced<Boolean> hostKeyChecking, Sourced<String> sshCommonArgs, Sourced<String> sshExtraArgs) {

    /** Nothing set by the command line, the environment or ansible.cfg. */
    public static final ConnectionDefaults NONE = new ConnectionDefaults(null, null, null, null, null, null, null, null,
            null, null);

    /** The environment and ansible.cfg alone, as {@code config} read them. */
    public static ConnectionDefaults of(AnsibleConfig config) {
        return new ConnectionDefaults(text(config.remoteUser()), config.remotePort().orElse(null),
                config.privateKeyFile().orElse(null), config.timeout().orElse(null), config.become().orElse(null),
                text(config.becomeUser()), text(config.sshArgs()), config.hostKeyChecking().orElse(null),
                text(config.sshCommonArgs()), text(config.sshExtraArgs()));
    }

    /** Ansible's ssh plugin tests these for truth: `remote_user =` with nothing after it sets nothing. */
    private static Sourced<String> text(java.util.Optional<Sourced<String>> value) {
        return value.filter(v -> !v.value().isBlank()).orElse(null);
    }

    /** These defaults under the command line's values: a non-null argument wins, named {@code flag}. */
    public ConnectionDefaults withCommandLine(String user, Path privateKeyFile, boolean become, String becomeUser,
            Duration timeout) {
        return new ConnectionDefaults(user != null ? new Sourced<>(user, "-u/--user") : this.user, port,
                privateKeyFile != null ? new Sourced<>(privateKeyFile.toAbsolutePath().normalize(), "--private-key")
                        : this.privateKeyFile,
                timeout != null ? new Sourced<>(timeout, "-T/--timeout") : this.timeout,
                become ? new Sourced<>(true, "-b/--become") : this.become,
                becomeUser != null ? new Sourced<>(becomeUser, "--become-user") : this.becomeUser,
                sshArgs, hostKeyChecking, sshCommonArgs, sshExtraArgs);
    }
}
