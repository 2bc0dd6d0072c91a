package io.cutover.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH {@code ssh-agent} for one test, on a socket in the test's directory, with keys made
 * by {@code ssh-keygen} and added by {@code ssh-add} (their passphrase given through SSH_ASKPASS, as a
 * desktop session does). Started in the foreground ({@code -D}) so that closing it ends exactly the
 * process it started. Missing OpenSSH client tools fail the test under CI=true and skip it elsewhere.
 */
public final class SshAgentProcess implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final Process agent;

    private SshAgentProcess(Path dir, Path socket, Process agent) {
        this.dir = dir;
        this.socket = socket;
        this.agent = agent;
    }

    public static SshAgentProcess start(Path dir) throws IOException, InterruptedException {
        for (String tool : List.of("ssh-agent", "ssh-add", "ssh-keygen")) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
                if ("true".equals(System.getenv("CI"))) {
                    fail(tool + " is missing (Debian's openssh-client); test.sh installs it");
                }
                Assumptions.abort(tool + " is not installed");
            }
        }
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("/usr/bin/ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(socket)) {
            agent.destroy();
            fail("ssh-agent did not create " + socket + ": " + Files.readString(dir.resolve("agent.log")));
        }
        return new SshAgentProcess(dir, socket, agent);
    }

    public Path socket() {
        return socket;
    }

    /** {@code ssh-keygen -t TYPE -N PASSPHRASE}: an encrypted key file; returns its path (the .pub is beside it). */
    public Path newEncryptedKey(String name, String type, String passphrase) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        run(List.of("/usr/bin/ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name, "-f", key.toString()), null);
        return key;
    }

    /** {@code ssh-add KEY}, the passphrase typed by an SSH_ASKPASS program as a desktop would. */
    public void add(Path key, String passphrase) throws IOException, InterruptedException {
        Path askpass = dir.resolve("askpass-" + key.getFileName());
        Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' '" + passphrase.replace("'", "'\\''") + "'\n");
        Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        run(List.of("/usr/bin/ssh-add", key.toString()), askpass);
    }

    private void run(List<String> command, Path askpass) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("SSH_AUTH_SOCK", socket.toString());
        if (askpass != null) {
            builder.environment().put("SSH_ASKPASS", askpass.toString());
            builder.environment().put("SSH_ASKPASS_REQUIRE", "force");
            builder.environment().put("DISPLAY", ":0");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        agent.destroy();
        try {
            agent.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
