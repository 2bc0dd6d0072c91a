package io.cutover.ssh;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshConnectorTest {
    @RegisterExtension
    final SshServerExtension server = new SshServerExtension();

    private final SshConnector connector = new SshConnector(PassphraseSource.none());
    private final List<SshConnection> open = new ArrayList<>();

    @AfterEach
    void closeConnections() {
        open.forEach(SshConnection::close);
    }

    private SshConnection connect(SshTarget target) {
        return connect(connector, target);
    }

    private SshConnection connect(SshConnector with, SshTarget target) {
        SshConnection connection = with.connect(target);
        open.add(connection);
        return connection;
    }

    @Test
    void execReturnsExitStatusStdoutAndStderr() {
        SshConnection ssh = connect(server.target());

        ExecResult result = ssh.exec("echo out; echo err >&2; exit 3", null, null);

        assertThat(result.exitStatus()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.took()).isPositive();
        assertThat(ssh.isOpen()).isTrue();
    }

    @Test
    void execFeedsStdinThenEndOfFile() {
        SshConnection ssh = connect(server.target());
        byte[] input = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);

        ExecResult result = ssh.exec("wc -l; cat >/dev/null", input, null);

        assertThat(result.stdout().strip()).isEqualTo("2");
    }

    @Test
    void concurrentExecsShareOneConnection() throws Exception {
        SshConnection ssh = connect(server.target());
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            List<Future<ExecResult>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String command = "sleep 0.2; echo " + i;
                results.add(callers.submit(() -> ssh.exec(command, null, Duration.ofSeconds(10))));
            }
            for (int i = 0; i < 12; i++) {
                assertThat(results.get(i).get().stdout()).isEqualTo(i + "\n");
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(server.sessionsCreated()).isEqualTo(1);
    }

    @Test
    void commandOutlivingItsTimeoutIsKilledAndTheConnectionStaysUsable() {
        SshConnection ssh = connect(server.target());
        long start = System.nanoTime();

        assertThatThrownBy(() -> ssh.exec("sleep 30", null, Duration.ofMillis(300)))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageStartingWith("web1: ")
                .hasMessageContaining("sleep 30");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(ssh.exec("echo still here", null, null).stdout()).isEqualTo("still here\n");
    }

    @Test
    void uploadWritesTheFileAtomicallyWithItsModeAndChecksum() throws Exception {
        SshConnection ssh = connect(server.target());
        Path remote = server.dir().resolve("helper");
        Files.writeString(remote, "old");
        byte[] content = "#!/bin/sh\necho 'it''s me'\n".getBytes(StandardCharsets.UTF_8);

        String sha = ssh.upload(content, remote.toString(), 0750);

        assertThat(Files.readAllBytes(remote)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote))).isEqualTo("rwxr-x---");
        assertThat(sha).isEqualTo(Upload.sha256(content));
        try (var leftovers = Files.list(server.dir())) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".cutover-upload"));
        }
    }

    @Test
    void uploadToAMissingDirectoryFailsNamingTheHostAndPath() {
        SshConnection ssh = connect(server.target());
        String remote = server.dir().resolve("no/such/dir/helper").toString();

        assertThatThrownBy(() -> ssh.upload(new byte[] {1}, remote, 0644))
                .isInstanceOf(UploadException.class)
                .hasMessageStartingWith("web1: upload to " + remote + " failed");
    }

    @Test
    void strictPolicyRefusesAnUnknownHostKeyAndRunsNothing() throws Exception {
        Files.writeString(server.knownHosts(), "");

        assertThatThrownBy(() -> connect(server.target()))
                .isInstanceOf(HostKeyException.class)
                .hasMessageStartingWith("web1: host key for [127.0.0.1]:" + server.port() + " is not in "
                        + server.knownHosts())
                .hasMessageContaining("SHA256:");
        assertThat(server.executed()).isEmpty();
        assertThat(Files.readString(server.knownHosts())).isEmpty();
    }

    @Test
    void changedHostKeyIsRefusedNamingTheKnownHostsLine() throws Exception {
        Files.writeString(server.knownHosts(), "# fleet\n" + server.knownHostsLine() + "\n");
        server.changeHostKey();

        for (HostKeyPolicy policy : HostKeyPolicy.values()) {
            assertThatThrownBy(() -> connect(server.target().withHostKeyPolicy(policy)))
                    .isInstanceOf(HostKeyException.class)
                    .hasMessageContaining("HOST KEY CHANGED")
                    .hasMessageContaining(server.knownHosts() + ":2");
        }
        assertThat(server.executed()).isEmpty();
    }

    @Test
    void acceptNewRecordsAnUnknownKeyWhichStrictThenAccepts() throws Exception {
        Files.delete(server.knownHosts());

        connect(server.target().withHostKeyPolicy(HostKeyPolicy.ACCEPT_NEW)).close();

        assertThat(Files.readString(server.knownHosts())).isEqualTo(server.knownHostsLine() + "\n");
        assertThat(connect(server.target()).exec("echo ok", null, null).stdout()).isEqualTo("ok\n");
    }

    @Test
    void acceptNewRecordsAKeyOnceWhenManyConnectionsRace() throws Exception {
        Files.writeString(server.knownHosts(), "# no newline at the end");
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<SshConnection>> connections = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                connections.add(callers.submit(() -> connect(server.target().withHostKeyPolicy(HostKeyPolicy.ACCEPT_NEW))));
            }
            for (Future<SshConnection> connection : connections) {
                assertThat(connection.get().isOpen()).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(Files.readAllLines(server.knownHosts()))
                .containsExactly("# no newline at the end", server.knownHostsLine());
    }

    @Test
    void aKeyTheHostDoesNotAuthorizeIsAnAuthException() {
        Path stranger = TestKeys.write(TestKeys.generate("ed25519"), server.dir().resolve("stranger"), null);
        SshTarget target = new SshTarget("web1", "127.0.0.1", server.port(), SshServerExtension.USER,
                List.of(stranger), server.knownHosts(), HostKeyPolicy.STRICT, null, Become.none(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);

        assertThatThrownBy(() -> connect(target))
                .isInstanceOf(AuthException.class)
                .hasMessageStartingWith("web1: deploy@127.0.0.1 refused every key offered (" + stranger);
        assertThat(server.executed()).isEmpty();
    }

    @Test
    void noExistingIdentityFileIsAnAuthExceptionNamingTheFilesTried() {
        Path missing = server.dir().resolve("missing");
        SshTarget target = new SshTarget("web1", "127.0.0.1", server.port(), SshServerExtension.USER,
                List.of(missing), server.knownHosts(), HostKeyPolicy.STRICT, null, Become.none(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);

        assertThatThrownBy(() -> connect(target))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("no usable private key")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aClosedPortIsAConnectExceptionQuickly() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SshTarget target = new SshTarget("web9", "127.0.0.1", closedPort, "deploy", List.of(server.clientKey()),
                server.knownHosts(), HostKeyPolicy.STRICT, null, Become.none(), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ZERO);
        long start = System.nanoTime();

        assertThatThrownBy(() -> connect(target))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("web9: cannot connect to 127.0.0.1:" + closedPort)
                .hasMessageContaining("refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void ecdsaAndRsaKeysAuthenticateToo() {
        for (String type : List.of("ecdsa", "rsa")) {
            var keys = TestKeys.generate(type);
            server.authorize(keys);
            Path file = TestKeys.write(keys, server.dir().resolve("id_" + type), null);
            SshTarget target = new SshTarget("web1", "127.0.0.1", server.port(), SshServerExtension.USER,
                    List.of(file), server.knownHosts(), HostKeyPolicy.STRICT, null, Become.none(),
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);

            assertThat(connect(target).exec("echo " + type, null, null).stdout()).isEqualTo(type + "\n");
        }
    }

    @Test
    void anEncryptedKeyIsDecryptedWithThePassphraseFromTheEnvironment() {
        var keys = TestKeys.generate("ed25519");
        server.authorize(keys);
        Path file = TestKeys.write(keys, server.dir().resolve("id_encrypted"), "s3cret pass");
        SshTarget target = new SshTarget("web1", "127.0.0.1", server.port(), SshServerExtension.USER,
                List.of(file), server.knownHosts(), HostKeyPolicy.STRICT, null, Become.none(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);
        SshConnector withPassphrase = new SshConnector(
                PassphraseSource.fromEnvironment(Map.of(PassphraseSource.ENV, "s3cret pass")));

        assertThat(connect(withPassphrase, target).exec("echo ok", null, null).stdout()).isEqualTo("ok\n");
        assertThatThrownBy(() -> connect(target))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining(file + ": cannot decrypt it")
                .hasMessageContaining(PassphraseSource.ENV)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void privilegedExecWithoutBecomeRunsAsTheLoginUser() {
        SshConnection ssh = connect(server.target());

        assertThat(ssh.execPrivileged("echo plain", null, null).stdout()).isEqualTo("plain\n");
        assertThat(server.executed()).containsExactly("echo plain");
    }

    @Test
    void sudoPasswordTravelsOnStdinNeverOnTheCommandLine() throws Exception {
        Path bin = Files.createDirectory(server.dir().resolve("bin"));
        Path seen = server.dir().resolve("sudo-saw");
        // A stand-in sudo: takes the password line from stdin, records it, runs the command after "--".
        Files.writeString(bin.resolve("sudo"), "#!/bin/sh\nIFS= read -r pw\nprintf '%s' \"$pw\" > '" + seen + "'\n"
                + "while [ \"$1\" != -- ]; do shift; done; shift\nexec \"$@\"\n");
        bin.resolve("sudo").toFile().setExecutable(true);
        server.prependPath(bin);
        SshTarget target = server.target().withBecome(Become.sudoWithPassword("root", "pa'ss word".toCharArray()));
        SshConnection ssh = connect(target);

        ExecResult result = ssh.execPrivileged("cat", "payload".getBytes(StandardCharsets.UTF_8), null);

        assertThat(result.stdout()).isEqualTo("payload");
        assertThat(Files.readString(seen)).isEqualTo("pa'ss word");
        assertThat(server.executed()).singleElement().asString()
                .startsWith("sudo -k -S -p ''").doesNotContain("word");
        assertThat(target.toString()).doesNotContain("pa'ss");
    }

    @Test
    void whatARemoteCommandWritesOnStderrGoesToTheSinkLineByLineNamingTheHost() {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        SshConnector verbose = new SshConnector(PassphraseSource.none(), line -> { }, lines::add);

        try (SshConnection connection = verbose.connect(server.target())) {
            connection.exec("echo out; echo first >&2; echo second >&2", null, null);
        }

        assertThat(lines).containsExactly("web1: first", "web1: second");
    }
}
