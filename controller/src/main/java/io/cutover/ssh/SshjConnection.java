package io.cutover.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link SshConnection} over one sshj client; the clients of its jump hosts are closed with it. */
final class SshjConnection implements SshConnection {
    private final SshTarget target;
    private final SSHClient client;
    private final List<SSHClient> chain;
    private final ExecutorService pumps;
    private final Semaphore channels;
    private final java.util.function.Consumer<String> stderrLines;
    private final java.util.Set<Started> started = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SshjConnection(SshTarget target, SSHClient client, List<SSHClient> chain, ExecutorService pumps, int channels,
                   java.util.function.Consumer<String> stderrLines) {
        this.stderrLines = stderrLines;
        this.target = target;
        this.client = client;
        this.chain = List.copyOf(chain);
        this.pumps = pumps;
        this.channels = new Semaphore(channels, true);
    }

    @Override
    public SshTarget target() {
        return target;
    }

    @Override
    public ExecResult execPrivileged(String command, byte[] stdin, Duration timeout) {
        Sudo.Wrapped wrapped = Sudo.wrap(target.become(), command, stdin);
        try {
            return run(wrapped.command(), wrapped.stdin(), timeout, command);
        } catch (CommandTimeoutException e) {
            throw new CommandTimeoutException(target.name(), command, e.timeout());
        }
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) {
        return run(command, stdin, timeout, command);
    }

    @Override
    public RemoteProcess startPrivileged(String command) {
        Sudo.Wrapped wrapped = Sudo.wrap(target.become(), command, null);
        if (!acquire(System.nanoTime() + target.commandTimeout().toNanos())) {
            throw new CommandTimeoutException(target.name(), command, target.commandTimeout());
        }
        Session session = null;
        try {
            session = openSession(command);
            Session.Command cmd = session.exec(wrapped.command());
            if (wrapped.stdin().length > 0) {
                cmd.getOutputStream().write(wrapped.stdin());
                cmd.getOutputStream().flush();
            }
            Started process = new Started(session, cmd);
            started.add(process);
            return process;
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            channels.release();
            throw e instanceof SshException ssh ? ssh : lost(command, e);
        }
    }

    /** A started command; its channel permit is given back once, when it is closed or killed. */
    private final class Started implements RemoteProcess {
        private final Session session;
        private final Session.Command cmd;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        Started(Session session, Session.Command cmd) {
            this.session = session;
            this.cmd = cmd;
        }

        @Override
        public OutputStream stdin() {
            return cmd.getOutputStream();
        }

        @Override
        public InputStream stdout() {
            return cmd.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return cmd.getErrorStream();
        }

        @Override
        public void logStderr(String line) {
            stderrLines.accept(target.name() + ": " + line);
        }

        @Override
        public void kill() {
            if (closed.compareAndSet(false, true)) {
                SshjConnection.kill(cmd);
                released();
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    cmd.getOutputStream().close();
                    // its exit, before the channel goes: sshd then reaps it (its CPU is the session's)
                    cmd.join(2, TimeUnit.SECONDS);
                } catch (IOException | RuntimeException ignored) {
                    // the channel may be gone already, or the command slow to end: it gets EOF either way
                }
                released();
            }
        }

        private void released() {
            closeQuietly(session);
            channels.release();
            started.remove(this);
        }
    }

    private static void closeQuietly(Session session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel may be gone already
        }
    }

    @Override
    public String upload(byte[] content, String remotePath, int mode) {
        Upload upload = new Upload(content, remotePath, mode);
        ExecResult result = execPrivileged(upload.script(), content, null);
        return upload.verify(target.name(), result);
    }

    /** {@code shown} is what messages may say about the command (never the sudo-wrapped line). */
    private ExecResult run(String command, byte[] stdin, Duration timeout, String shown) {
        Duration limit = timeout == null ? target.commandTimeout() : timeout;
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        if (!acquire(deadline)) {
            throw new CommandTimeoutException(target.name(), shown, limit);
        }
        try (Session session = openSession(shown)) {
            Session.Command cmd = session.exec(command);
            Future<?> in = pumps.submit(() -> feed(cmd.getOutputStream(), stdin));
            Future<byte[]> out = pumps.submit(() -> drain(cmd.getInputStream()));
            Future<byte[]> err = pumps.submit(() -> drain(cmd.getErrorStream()));
            try {
                byte[] stdout = out.get(remaining(deadline), TimeUnit.NANOSECONDS);
                byte[] stderr = err.get(remaining(deadline), TimeUnit.NANOSECONDS);
                cmd.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))), TimeUnit.MILLISECONDS);
                in.cancel(true);
                text(stderr).lines().filter(l -> !l.isBlank()).forEach(l -> stderrLines.accept(target.name() + ": " + l));
                return new ExecResult(status(cmd), text(stdout), text(stderr) + signalNote(cmd),
                        Duration.ofNanos(System.nanoTime() - start));
            } catch (TimeoutException | net.schmizz.sshj.connection.ConnectionException e) {
                kill(cmd);
                in.cancel(true);
                out.cancel(true);
                err.cancel(true);
                if (!client.isConnected()) {
                    throw lost(shown, e);
                }
                throw new CommandTimeoutException(target.name(), shown, limit);
            } catch (ExecutionException e) {
                throw lost(shown, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill(cmd);
                throw new SshException(target.name(), "interrupted while running: "
                        + CommandTimeoutException.abbreviate(shown), e);
            }
        } catch (IOException e) {
            throw lost(shown, e);
        } finally {
            channels.release();
        }
    }

    private Session openSession(String shown) {
        if (!client.isConnected() || !client.isAuthenticated()) {
            throw new ConnectException(target.name(), "connection is closed; cannot run: "
                    + CommandTimeoutException.abbreviate(shown), null);
        }
        try {
            return client.startSession();
        } catch (IOException | IllegalStateException e) {
            // The link can drop between the check above and this call: sshj then throws
            // IllegalStateException("Not connected"), which must be a lost connection like any other.
            throw lost(shown, e);
        }
    }

    private SshException lost(String shown, Throwable cause) {
        return new ConnectException(target.name(), "connection failed while running "
                + CommandTimeoutException.abbreviate(shown) + ": " + SshConnector.describe(cause), cause);
    }

    private boolean acquire(long deadline) {
        try {
            return channels.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException(target.name(), "interrupted while waiting for a channel", e);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static Void feed(OutputStream stdin, byte[] bytes) throws IOException {
        try (stdin) {
            if (bytes != null && bytes.length > 0) {
                stdin.write(bytes);
            }
        }
        return null;
    }

    private static byte[] drain(InputStream stream) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        stream.transferTo(bytes);
        return bytes.toByteArray();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int status(Session.Command cmd) {
        Integer status = cmd.getExitStatus();
        return status == null ? -1 : status;
    }

    private static String signalNote(Session.Command cmd) {
        Signal signal = cmd.getExitSignal();
        return signal == null ? "" : "[killed by signal " + signal + "]\n";
    }

    /** Best effort: ask for SIGKILL (OpenSSH ≥ 7.9 honours it), then close the channel. */
    private static void kill(Session.Command cmd) {
        try {
            cmd.signal(Signal.KILL);
        } catch (IOException | RuntimeException ignored) {
            // the channel may be gone already
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // same
        }
    }

    @Override
    public boolean isOpen() {
        return client.isConnected() && client.isAuthenticated();
    }

    @Override
    public void close() {
        // a started command (the helper's serve) is given EOF and its exit first, not cut off
        started.forEach(Started::close);
        SshConnector.closeAll(chain);
    }

    @Override
    public String toString() {
        return "SshConnection[" + target.name() + " " + target.destination() + "]";
    }
}
