package io.cutover.ssh;

import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Opens the SSH connections of a run. One instance per run, shared by all hosts and threads: it holds
 * what is worth sharing between connections (sshj's algorithm configuration, decrypted keys, the
 * known_hosts lock, the threads that drain command output).
 */
public final class SshConnector {
    private final DefaultConfig config;
    private final Identities identities;
    private final KnownHostsFile knownHosts = new KnownHostsFile();
    private final ExecutorService pumps;
    private final int channelsPerConnection;

    /** A connector with daemon threads for output draining and 8 concurrent channels per connection. */
    public SshConnector(PassphraseSource passphrases) {
        this(passphrases, Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "cutover-ssh-io");
            thread.setDaemon(true);
            return thread;
        }), 8);
    }

    /**
     * @param pumps                 runs the stdin/stdout/stderr transfers of commands (three tasks per
     *                              running command); must not bound them below that
     * @param channelsPerConnection how many commands may run at once on one connection
     */
    public SshConnector(PassphraseSource passphrases, ExecutorService pumps, int channelsPerConnection) {
        if (channelsPerConnection < 1) {
            throw new IllegalArgumentException("channelsPerConnection must be at least 1");
        }
        this.config = new DefaultConfig();
        this.config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        this.config.setLoggerFactory(new QuietTransportLogs());
        this.identities = new Identities(config, passphrases);
        this.pumps = pumps;
        this.channelsPerConnection = channelsPerConnection;
    }

    /**
     * Connects (through the jump hosts, if any), verifies the host key, authenticates. Nothing runs on
     * the host before all three succeeded.
     *
     * @throws HostKeyException  the host key is unknown (strict) or changed
     * @throws AuthException     no identity was accepted
     * @throws ConnectException  the host (or a jump host) could not be reached
     */
    public SshConnection connect(SshTarget target) {
        List<SSHClient> opened = new ArrayList<>();
        try {
            SSHClient client = open(target, target, opened);
            return new SshjConnection(target, client, opened, pumps, channelsPerConnection);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** Opens {@code hop} (the target itself or one of its jumps), adding every client to {@code opened}. */
    private SSHClient open(SshTarget target, SshTarget hop, List<SSHClient> opened) {
        DirectConnection tunnel = null;
        if (hop.jump() != null) {
            SSHClient jump = open(target, hop.jump(), opened);
            try {
                tunnel = jump.newDirectConnection(hop.address(), hop.port());
            } catch (IOException e) {
                throw new ConnectException(target.name(), "jump host " + hop.jump().destination()
                        + " could not open a tunnel to " + hop.address() + ":" + hop.port() + ": " + describe(e), e);
            }
        }
        SSHClient client = new SSHClient(config);
        opened.add(client);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, hop.connectTimeout().toMillis());
        client.setConnectTimeout(timeoutMs);
        client.getTransport().setTimeoutMs(timeoutMs);
        client.getConnection().setTimeoutMs(timeoutMs);
        long keepAliveSeconds = hop.keepAlive().isZero() ? 0 : Math.max(1, hop.keepAlive().toSeconds());
        client.getConnection().getKeepAlive().setKeepAliveInterval((int) keepAliveSeconds);
        HostKeyVerification verification;
        try {
            verification = new HostKeyVerification(hop.knownHosts(), hop.hostKeyPolicy(), knownHosts, config.getLoggerFactory());
        } catch (IOException e) {
            throw new HostKeyException(target.name(), "cannot read " + hop.knownHosts() + ": " + e.getMessage());
        }
        client.addHostKeyVerifier(verification);
        String what = hop == target ? "" : "jump host " + hop.destination() + ": ";
        try {
            if (tunnel == null) {
                client.connect(hop.address(), hop.port());
            } else {
                client.connectVia(tunnel);
            }
        } catch (IOException e) {
            if (verification.refusal() != null) {
                throw new HostKeyException(target.name(), what + verification.refusal());
            }
            throw new ConnectException(target.name(), what + "cannot connect to " + hop.address() + ":" + hop.port()
                    + ": " + describe(e), e);
        }
        authenticate(target, hop, client, what);
        return client;
    }

    private void authenticate(SshTarget target, SshTarget hop, SSHClient client, String what) {
        List<Identities.Loaded> loaded = identities.load(hop.identityFiles());
        List<KeyProvider> keys = loaded.stream().filter(l -> l.provider() != null)
                .map(Identities.Loaded::provider).collect(Collectors.toList());
        String problems = loaded.stream().filter(l -> l.problem() != null).map(Identities.Loaded::problem)
                .collect(Collectors.joining("; "));
        if (keys.isEmpty()) {
            throw new AuthException(target.name(), what + "no usable private key for " + hop.user() + "@"
                    + hop.address() + " (tried " + hop.identityFiles() + (problems.isEmpty() ? "" : "; " + problems)
                    + "); set ansible_ssh_private_key_file or IdentityFile", null);
        }
        try {
            client.authPublickey(hop.user(), keys);
        } catch (UserAuthException e) {
            throw new AuthException(target.name(), what + hop.user() + "@" + hop.address()
                    + " refused every key offered (" + loaded.stream().filter(l -> l.provider() != null)
                    .map(l -> l.file().toString()).collect(Collectors.joining(", "))
                    + (problems.isEmpty() ? "" : "; skipped " + problems)
                    + "); check the user and that the public key is in its authorized_keys", e);
        } catch (TransportException e) {
            throw new ConnectException(target.name(), what + "connection lost during authentication: "
                    + describe(e), e);
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.net.ConnectException) {
            return "connection refused (is sshd running and the port right?)";
        }
        if (root instanceof SocketTimeoutException) {
            return "timed out (host down or filtered?)";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host name " + root.getMessage();
        }
        if (root instanceof NoRouteToHostException) {
            return "no route to host";
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return e == root || e.getMessage() == null ? message : e.getMessage() + " (" + message + ")";
    }

    static void closeAll(List<SSHClient> clients) {
        for (int i = clients.size() - 1; i >= 0; i--) {
            try {
                clients.get(i).close();
            } catch (IOException | RuntimeException ignored) {
                // closing is best effort: the peer may already be gone
            }
        }
    }
}
