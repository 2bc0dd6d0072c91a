package io.cutover.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to open an SSH connection to one host, fully resolved (see
 * {@link SshSettingsResolver} for where each value comes from).
 *
 * @param name          the inventory name, used in every message about this host
 * @param address       what to connect to (DNS name or IP address)
 * @param port          TCP port
 * @param user          login user
 * @param identityFiles private keys to offer, in order; files that do not exist are skipped
 * @param knownHosts    the known_hosts file that verifies (and, with accept-new, records) host keys
 * @param hostKeyPolicy what to do with an unknown host key
 * @param jump          the host to tunnel through ({@code ProxyJump}), or {@code null} for a direct connection
 * @param become        how privileged commands gain root
 * @param connectTimeout TCP connect, key exchange, auth and channel-open timeout
 * @param commandTimeout default timeout of a remote command
 * @param keepAlive     interval of keep-alive requests; {@link Duration#ZERO} disables them
 * @param identityAgent the ssh-agent socket whose keys are offered before the key files, or {@code null} for none;
 *                      the agent is never forwarded to the host
 */
public record SshTarget(String name, String address, int port, String user, List<Path> identityFiles,
                        Path knownHosts, HostKeyPolicy hostKeyPolicy, SshTarget jump, Become become,
                        Duration connectTimeout, Duration commandTimeout, Duration keepAlive, Path identityAgent) {

    static final int MAX_JUMPS = 8;

    /** A target that offers key files only (no ssh-agent). */
    public SshTarget(String name, String address, int port, String user, List<Path> identityFiles,
                     Path knownHosts, HostKeyPolicy hostKeyPolicy, SshTarget jump, Become become,
                     Duration connectTimeout, Duration commandTimeout, Duration keepAlive) {
        this(name, address, port, user, identityFiles, knownHosts, hostKeyPolicy, jump, become, connectTimeout,
                commandTimeout, keepAlive, null);
    }

    public SshTarget {
        requireText(name, "name", name);
        requireText(name, "address", address);
        requireText(name, "user", user);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + ": port " + port + " is not between 1 and 65535");
        }
        identityFiles = List.copyOf(identityFiles);
        Objects.requireNonNull(knownHosts, name + ": knownHosts");
        Objects.requireNonNull(hostKeyPolicy, name + ": hostKeyPolicy");
        Objects.requireNonNull(become, name + ": become");
        requirePositive(name, "connectTimeout", connectTimeout);
        requirePositive(name, "commandTimeout", commandTimeout);
        if (keepAlive == null || keepAlive.isNegative()) {
            throw new IllegalArgumentException(name + ": keepAlive must be zero or positive");
        }
        int depth = 0;
        for (SshTarget hop = jump; hop != null; hop = hop.jump) {
            if (++depth > MAX_JUMPS) {
                throw new IllegalArgumentException(name + ": more than " + MAX_JUMPS + " jump hosts (a ProxyJump loop?)");
            }
        }
    }

    /** A direct connection with the usual timeouts, strict host keys and no privilege escalation. */
    public static SshTarget of(String name, String address, int port, String user, List<Path> identityFiles,
                               Path knownHosts) {
        return new SshTarget(name, address, port, user, identityFiles, knownHosts, HostKeyPolicy.STRICT, null,
                Become.none(), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(15));
    }

    public Optional<SshTarget> jumpHost() {
        return Optional.ofNullable(jump);
    }

    public SshTarget withJump(SshTarget newJump) {
        return new SshTarget(name, address, port, user, identityFiles, knownHosts, hostKeyPolicy, newJump, become,
                connectTimeout, commandTimeout, keepAlive, identityAgent);
    }

    public SshTarget withHostKeyPolicy(HostKeyPolicy policy) {
        return new SshTarget(name, address, port, user, identityFiles, knownHosts, policy, jump, become,
                connectTimeout, commandTimeout, keepAlive, identityAgent);
    }

    public SshTarget withBecome(Become newBecome) {
        return new SshTarget(name, address, port, user, identityFiles, knownHosts, hostKeyPolicy, jump, newBecome,
                connectTimeout, commandTimeout, keepAlive, identityAgent);
    }

    public SshTarget withTimeouts(Duration connect, Duration command) {
        return new SshTarget(name, address, port, user, identityFiles, knownHosts, hostKeyPolicy, jump, become,
                connect, command, keepAlive, identityAgent);
    }

    public SshTarget withIdentityFiles(List<Path> files) {
        return new SshTarget(name, address, port, user, files, knownHosts, hostKeyPolicy, jump, become,
                connectTimeout, commandTimeout, keepAlive, identityAgent);
    }

    public SshTarget withIdentityAgent(Path agent) {
        return new SshTarget(name, address, port, user, identityFiles, knownHosts, hostKeyPolicy, jump, become,
                connectTimeout, commandTimeout, keepAlive, agent);
    }

    /** {@code user@address:port}, with the jump chain, for messages. */
    public String destination() {
        String here = user + "@" + address + ":" + port;
        return jump == null ? here : here + " via " + jump.destination();
    }

    private static void requireText(String host, String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(host + ": SSH " + what + " is empty");
        }
    }

    private static void requirePositive(String host, String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(host + ": " + what + " must be positive");
        }
    }
}
