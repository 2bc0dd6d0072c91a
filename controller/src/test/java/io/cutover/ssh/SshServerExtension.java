package io.cutover.ssh;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real SSH server (Apache MINA sshd) per test, on a random loopback port, with a host key generated
 * for it and one authorised client key; its temporary directory holds the client's key file and a
 * known_hosts that trusts the server. Register with {@code @RegisterExtension}.
 */
public final class SshServerExtension implements BeforeEachCallback, AfterEachCallback {
    public static final String USER = "deploy";

    private final boolean allowForwarding;
    private SshServer server;
    private Path dir;
    private KeyPair hostKeys;
    private KeyPair clientKeys;
    private Path clientKey;
    private Path knownHosts;
    private ShCommandFactory commands;
    private final AtomicInteger sessions = new AtomicInteger();
    private final List<java.security.PublicKey> authorized = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SshServerExtension() {
        this(false);
    }

    private SshServerExtension(boolean allowForwarding) {
        this.allowForwarding = allowForwarding;
    }

    /** A server that lets clients open direct-tcpip channels: a jump host. */
    static SshServerExtension jumpHost() {
        return new SshServerExtension(true);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("cutover-ssh-test");
        hostKeys = TestKeys.generate("ed25519");
        clientKeys = TestKeys.generate("ed25519");
        clientKey = TestKeys.write(clientKeys, dir.resolve("id_ed25519"), null);
        commands = new ShCommandFactory();
        sessions.set(0);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
        authorized.clear();
        authorized.add(clientKeys.getPublic());
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
                && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(key, k)));
        server.setCommandFactory(commands);
        server.setForwardingFilter(allowForwarding ? AcceptAllForwardingFilter.INSTANCE
                : RejectAllForwardingFilter.INSTANCE);
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        server.start();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, knownHostsLine() + "\n");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        server.stop(true);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public int port() {
        return server.getPort();
    }

    public Path dir() {
        return dir;
    }

    public Path clientKey() {
        return clientKey;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** The known_hosts line that trusts this server. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + TestKeys.publicEntry(hostKeys);
    }

    /** Command lines the server was asked to run, in order. */
    public List<String> executed() {
        return List.copyOf(commands.executed);
    }

    /** SSH connections (transport sessions) the server accepted. */
    public int sessionsCreated() {
        return sessions.get();
    }

    /** Lets {@code keys} log in as {@link #USER} too. */
    void authorize(KeyPair keys) {
        authorized.add(keys.getPublic());
    }

    /** Lets the key of an OpenSSH {@code .pub} file (or authorized_keys line) log in as {@link #USER} too. */
    public void authorize(String publicKeyLine) {
        try {
            authorized.add(org.apache.sshd.common.config.keys.PublicKeyEntry.parsePublicKeyEntry(publicKeyLine.strip())
                    .resolvePublicKey(null, java.util.Map.of(), null));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("not a public key: " + publicKeyLine, e);
        }
    }

    /** Puts {@code directory} first on the PATH of the commands the server runs (for fake tools). */
    public void prependPath(Path directory) {
        commands.pathPrefix = directory.toString();
    }

    /** Sets {@code name=value} in the environment of the commands the server runs from now on. */
    public void setEnvironment(String name, String value) {
        commands.environment.put(name, value);
    }

    /** Replaces the server's host key, as a reinstalled (or impersonated) host would. */
    void changeHostKey() {
        server.setKeyPairProvider(KeyPairProvider.wrap(TestKeys.generate("ed25519")));
    }

    /** A target for this server as {@link #USER}, with its key and known_hosts, strict, short timeouts. */
    public SshTarget target() {
        return new SshTarget("web1", "127.0.0.1", port(), USER, List.of(clientKey), knownHosts,
                HostKeyPolicy.STRICT, null, Become.none(), java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(5));
    }
}
