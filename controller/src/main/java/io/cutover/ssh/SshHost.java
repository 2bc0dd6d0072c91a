package io.cutover.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the inventory says about reaching one host, before ssh_config and the defaults are applied
 * ({@link SshSettingsResolver} does that). A {@code null} component was not set by the inventory:
 * only then may the args, ssh_config or a default decide it — a default written back as if it
 * had been set once made ssh_config's {@code Port} dead on the real path.
 *
 * @param name           the inventory name, used in every message about this host
 * @param address        what the inventory connects to (its address, else its name); looked up in
 *                       ssh_config, whose {@code HostName} may translate it
 * @param port           TCP port, or {@code null}
 * @param user           login user, or {@code null}
 * @param identityFile   private key to offer first, or {@code null}
 * @param knownHosts     known_hosts file for this host, or {@code null}
 * @param args           ssh(1) command-line options read as data (never run), first value winning
 * @param connectTimeout connect timeout, or {@code null}
 * @param become         how to gain privilege, or {@code null} when the host does not become
 */
public record SshHost(String name, String address, Integer port, String user, Path identityFile, Path knownHosts,
                      List<Args> args, Duration connectTimeout, Privilege become) {

    public SshHost {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("SSH host name is empty");
        }
        Objects.requireNonNull(address, name + ": address");
        args = List.copyOf(args);
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException(name + ": port " + port + " is not between 1 and 65535");
        }
        if (connectTimeout != null && connectTimeout.isNegative()) {
            throw new IllegalArgumentException(name + ": connect timeout is negative");
        }
    }

    /** A host the inventory only names: everything else comes from ssh_config and the defaults. */
    public static SshHost named(String name) {
        return new SshHost(name, name, null, null, null, null, List.of(), null, null);
    }

    /**
     * ssh(1) options as the user wrote them, e.g. {@code -o ProxyJump=bastion -i key}.
     *
     * @param source where they were written (a variable's name): every message about them names it
     */
    public record Args(String source, String text) {

        public Args {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Privilege escalation with sudo to {@code user}; {@code password} (may be {@code null}) is a
     * secret, never shown by {@link #toString()}.
     */
    public record Privilege(String user, char[] password) {

        public Privilege {
            Objects.requireNonNull(user, "become user");
            password = password == null ? null : password.clone();
        }

        @Override
        public char[] password() {
            return password == null ? null : password.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Privilege other && other.user.equals(user) && Arrays.equals(other.password, password);
        }

        @Override
        public int hashCode() {
            return user.hashCode();
        }

        @Override
        public String toString() {
            return "Privilege[user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
        }
    }
}
