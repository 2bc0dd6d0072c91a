package io.cutover.engine;

import io.cutover.ssh.SshServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One host for engine tests: an in-process SSH server of its own runs the real cutover-helper with
 * a test root ({@code CUTOVER_ROOT}: host paths such as /etc are taken under it) and a state
 * directory of its own ({@code CUTOVER_STATE_DIR}: undo log, lock, guard), so a run needs no root
 * and touches nothing of the machine's nor of the other hosts'. Fake tools go first on the PATH of
 * its commands ({@link #fakeTool}). Made by {@link EngineHosts}.
 */
public final class HelperHost {

    public final String name;
    public final Path root;
    public final Path state;
    private final Path tools;
    private final ExtensionContext context;
    private SshServerExtension server;

    HelperHost(String name, Path dir, ExtensionContext context) throws IOException {
        this.name = name;
        this.context = context;
        this.root = Files.createDirectories(dir.resolve("root"));
        this.state = Files.createDirectories(dir.resolve("state"));
        this.tools = Files.createDirectories(dir.resolve("tools"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve(".cutover-test-root"), "");
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 192.0.2.53\n");
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Test Linux 12\"\n");
        start();
    }

    public SshServerExtension server() {
        return server;
    }

    /** The host's SSH server goes away at once, as a host that lost its link (or a controller killed) sees it. */
    public void stop() throws IOException {
        server.afterEach(context);
    }

    /** A new SSH server (a new port and keys) for the same host files: the host is reachable again. */
    public void start() throws IOException {
        server = new SshServerExtension();
        server.beforeEach(context);
        server.setEnvironment("CUTOVER_ROOT", root.toString());
        server.setEnvironment("CUTOVER_STATE_DIR", state.toString());
        server.prependPath(tools);
    }

    /** Puts an executable {@code name} with this sh {@code body} first on the PATH of the host's commands. */
    public void fakeTool(String name, String body) throws IOException {
        Path tool = tools.resolve(name);
        Files.writeString(tool, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
    }

    /** A file on the host, e.g. {@code /etc/cutover-test.conf}. */
    public Path file(String path) {
        return root.resolve(path.substring(1));
    }

    /** The run's directory in the helper's state (undo log, guard files, revert lock). */
    public Path runDir(String runId) {
        return state.resolve("runs").resolve(runId);
    }

    /**
     * The host lock as the helper writes it, lease still running, held by {@code owner}: when
     * {@code sessionGone}, its SSH session is a process that has ended (a controller that died);
     * else no session is known and the lease alone keeps the lock (a live controller).
     */
    public void lockedBy(String owner, boolean sessionGone) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        String session = sessionGone ? "session_pid=" + endedPid() + "\nsession_start=12345\n" : "session_pid=\nsession_start=\n";
        Files.createDirectories(state.resolve("lock"));
        Files.writeString(state.resolve("lock/owner"), "owner=" + owner + "\ncreated=" + now + "\nexpires=" + (now + 900) + "\n" + session);
    }

    private static long endedPid() throws IOException {
        Process gone = new ProcessBuilder("true").start();
        try {
            gone.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return gone.pid();
    }

    /** Whether the server was asked to run anything: a host no controller reached has empty history. */
    public boolean contacted() {
        return !server.executed().isEmpty();
    }

    /** The inventory entry for this host. */
    String inventoryEntry() {
        return "    " + name + ":\n"
                + "      ansible_host: 127.0.0.1\n      ansible_port: " + server.port() + "\n"
                + "      ansible_user: " + SshServerExtension.USER + "\n"
                + "      ansible_ssh_private_key_file: " + server.clientKey() + "\n"
                + "      cutover_known_hosts: " + server.knownHosts() + "\n";
    }
}
