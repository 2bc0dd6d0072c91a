package io.cutover.ssh;

import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
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
    private final Consumer<String> debug;
    private final Consumer<String> remoteStderr;
    private final Map<java.nio.file.Path, AgentKeys> agents = new ConcurrentHashMap<>();

    /** A connector with daemon threads for output draining and 8 concurrent channels per connection. */
    public SshConnector(PassphraseSource passphrases) {
        this(passphrases, line -> { });
    }

    /**
     * @param debug receives a line per connection step (destination, keys offered, the one accepted) for -vvv;
     *              never a secret
     */
    public SshConnector(PassphraseSource passphrases, Consumer<String> debug) {
        this(passphrases, debug, line -> { });
    }

    /** @param remoteStderr receives every line a remote command writes on stderr (the helper's log) as "host: line", for -vv */
    public SshConnector(PassphraseSource passphrases, Consumer<String> debug, Consumer<String> remoteStderr) {
        this(passphrases, Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "cutover-ssh-io");
            thread.setDaemon(true);
            return thread;
        }), 8, debug, remoteStderr);
    }

    public SshConnector(PassphraseSource passphrases, ExecutorService pumps, int channelsPerConnection) {
        this(passphrases, pumps, channelsPerConnection, line -> { }, line -> { });
    }

    /**
     * @param pumps                 runs the stdin/stdout/stderr transfers of commands (three tasks per
     *                              running command); must not bound them below that
     * @param channelsPerConnection how many commands may run at once on one connection
     */
    public SshConnector(PassphraseSource passphrases, ExecutorService pumps, int channelsPerConnection,
                        Consumer<String> debug, Consumer<String> remoteStderr) {
        this.debug = debug;
        this.remoteStderr = remoteStderr;
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
            return new SshjConnection(target, client, opened, pumps, channelsPerConnection, remoteStderr);
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

    /**
     * Offers the agent's keys first (those matching a configured identity's .pub first of all), then the
     * key files; a key file is decrypted (and its passphrase asked for) only when no agent key was accepted.
     */
    private void authenticate(SshTarget target, SshTarget hop, SSHClient client, String what) {
        String destination = hop.user() + "@" + hop.address() + ":" + hop.port();
        debug.accept(target.name() + ": " + what + "connected to " + destination + "; host key verified");
        List<String> offered = new ArrayList<>();
        String agentProblem = null;
        if (hop.identityAgent() != null) {
            try {
                for (AgentKeys.Key key : agentKeysFirstMatching(hop)) {
                    if (tryAuth(target, client, hop.user(), new AgentAuth(agents.computeIfAbsent(hop.identityAgent(),
                            AgentKeys::at), key), what)) {
                        debug.accept(target.name() + ": " + what + destination + " accepted agent key " + key.describe());
                        return;
                    }
                    offered.add("agent key " + key.describe());
                }
            } catch (IllegalStateException | Buffer.BufferException e) {
                agentProblem = e.getMessage();
                debug.accept(target.name() + ": " + what + agentProblem);
            }
        }
        List<Identities.Loaded> loaded = identities.load(hop.identityFiles());
        String problems = loaded.stream().filter(l -> l.problem() != null).map(Identities.Loaded::problem)
                .collect(Collectors.joining("; "));
        for (Identities.Loaded key : loaded) {
            if (key.provider() == null) {
                continue;
            }
            debug.accept(target.name() + ": " + what + "offering key file " + key.file());
            if (tryAuth(target, client, hop.user(), new AuthPublickey(key.provider()), what)) {
                debug.accept(target.name() + ": " + what + destination + " accepted key file " + key.file());
                return;
            }
            offered.add(key.file().toString());
        }
        String agentNote = hop.identityAgent() == null ? "; no ssh-agent (SSH_AUTH_SOCK is not set)"
                : agentProblem != null ? "; " + agentProblem : "";
        if (offered.isEmpty()) {
            throw new AuthException(target.name(), what + "no usable private key for " + hop.user() + "@"
                    + hop.address() + " (tried " + hop.identityFiles() + (problems.isEmpty() ? "" : "; " + problems)
                    + agentNote + "); add the key to ssh-agent, or set ansible_ssh_private_key_file, --private-key"
                    + " or IdentityFile", null);
        }
        throw new AuthException(target.name(), what + hop.user() + "@" + hop.address()
                + " refused every key offered (" + String.join(", ", offered)
                + (problems.isEmpty() ? "" : "; skipped " + problems) + agentNote
                + "); check the user and that the public key is in its authorized_keys", null);
    }

    /** One auth method: true when the server accepted it, false when it refused it. */
    private static boolean tryAuth(SshTarget target, SSHClient client, String user, AuthMethod method, String what) {
        try {
            client.auth(user, method);
            return true;
        } catch (UserAuthException e) {
            return false;
        } catch (TransportException e) {
            throw new ConnectException(target.name(), what + "connection lost during authentication: "
                    + describe(e), e);
        }
    }

    /** The agent's keys, those whose public key is a configured identity's .pub first (as ssh orders them). */
    private List<AgentKeys.Key> agentKeysFirstMatching(SshTarget hop) {
        List<AgentKeys.Key> keys = agents.computeIfAbsent(hop.identityAgent(), AgentKeys::at).keys();
        List<byte[]> wanted = new ArrayList<>();
        for (java.nio.file.Path file : hop.identityFiles()) {
            java.nio.file.Path pub = java.nio.file.Path.of(file + ".pub");
            try {
                String[] words = java.nio.file.Files.readString(pub).strip().split("\\s+");
                if (words.length >= 2) {
                    wanted.add(java.util.Base64.getDecoder().decode(words[1]));
                }
            } catch (IOException | IllegalArgumentException ignored) {
                // no readable .pub: that identity just does not reorder the agent's keys
            }
        }
        List<AgentKeys.Key> ordered = new ArrayList<>();
        keys.stream().filter(k -> wanted.stream().anyMatch(w -> java.util.Arrays.equals(w, k.blob()))).forEach(ordered::add);
        keys.stream().filter(k -> !ordered.contains(k)).forEach(ordered::add);
        return ordered;
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
