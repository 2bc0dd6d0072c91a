package io.cutover.helper;

import io.cutover.ssh.CommandTimeoutException;
import io.cutover.ssh.ConnectException;
import io.cutover.ssh.ExecResult;
import io.cutover.ssh.RemoteProcess;
import io.cutover.ssh.ShellQuote;
import io.cutover.ssh.SshConnection;
import io.cutover.ssh.SshException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The pushed helper's {@code serve} on one host: one helper process, on one channel, answers the
 * calls of a connection one after another (docs/helper-protocol.md "Served calls"). A call costs
 * the host a fork instead of a channel, a shell, sudo and a parse of the helper, and the controller
 * a write and a read instead of a channel's round trips and three transfer tasks.
 *
 * <p>A call is answered as an exec of the same words would be: status, stdout, stderr. One that runs
 * over its time is killed by its pid (what the helper reports first) and the session with it; the
 * next call starts a new one. Not thread-safe: {@link Helper} calls it under its own lock. The
 * connection ends it (EOF, then its exit) when it closes.
 */
final class HelperSession {

    /** What a call may carry on stdin through the serve: no NUL (a shell variable holds it), at most this much. */
    static final int MAX_STDIN = 32 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "helper-session-reader");
        thread.setDaemon(true);
        return thread;
    });

    private final SshConnection connection;
    private final RemoteProcess process;
    private final String token;
    private final String shownPrefix;
    private final Object lock = new Object();
    // the call being answered, filled by the two readers; guarded by lock
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private boolean ready;
    private Integer status;
    private boolean errEnded;
    private long pid = -1;
    private boolean streamsEnded;

    private HelperSession(SshConnection connection, RemoteProcess process, String token, String shownPrefix) {
        this.connection = connection;
        this.process = process;
        this.token = token;
        this.shownPrefix = shownPrefix;
    }

    /**
     * Starts {@code sh HELPER serve TOKEN} and waits for its first line.
     *
     * @throws HelperException the helper could not start serving (its stderr says why: sudo refused, say)
     */
    static HelperSession start(SshConnection connection, String helperPath, Duration timeout) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String token = "cutover" + HexFormat.of().formatHex(random);
        String command = ShellQuote.join("sh", helperPath, "serve", token);
        HelperSession session = new HelperSession(connection, connection.startPrivileged(command), token,
                ShellQuote.join("sh", helperPath) + " ");
        session.read(session.process.stdout(), session::stdoutLine);
        session.read(session.process.stderr(), session::stderrLine);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (session.lock) {
            while (!session.ready && !session.streamsEnded && session.waitUntil(deadline)) {
                // woken by a reader
            }
            if (!session.ready) {
                session.process.kill();
                String why = session.err.toString().strip();
                throw new HelperException("the helper did not start serving calls" + (why.isEmpty() ? "" : ": " + why));
            }
        }
        return session;
    }

    /** Whether {@code stdin} and {@code argv} can go through the serve (else the call is an exec of its own). */
    static boolean fits(List<String> argv, byte[] stdin) {
        if (stdin != null && stdin.length > MAX_STDIN) {
            return false;
        }
        if (stdin != null) {
            for (byte b : stdin) {
                if (b == 0) {
                    return false;
                }
            }
        }
        return argv.stream().noneMatch(word -> word.indexOf('\n') >= 0 || word.indexOf('\r') >= 0);
    }

    boolean alive() {
        synchronized (lock) {
            return !streamsEnded;
        }
    }

    /** One call: {@code argv} (the words after {@code sh HELPER}) with {@code stdin}, answered within {@code timeout}. */
    ExecResult call(List<String> argv, byte[] stdin, Duration timeout) {
        String words = ShellQuote.join(argv);
        String shown = shownPrefix + words;
        byte[] input = stdin == null ? new byte[0] : stdin;
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        synchronized (lock) {
            out.setLength(0);
            err.setLength(0);
            status = null;
            errEnded = false;
            pid = -1;
        }
        try {
            ByteArrayOutputStream request = new ByteArrayOutputStream(words.length() + input.length + 64);
            request.writeBytes((words + "\n" + input.length + "\n").getBytes(StandardCharsets.UTF_8));
            request.writeBytes(input);
            request.writeBytes(token.getBytes(StandardCharsets.US_ASCII));
            OutputStream stdinStream = process.stdin();
            stdinStream.write(request.toByteArray());
            stdinStream.flush();
        } catch (IOException | RuntimeException e) {
            process.kill();
            throw lost(shown, e);
        }
        synchronized (lock) {
            while (!(status != null && errEnded) && !streamsEnded && waitUntil(deadline)) {
                // woken by a reader
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (status != null && errEnded) {
                return new ExecResult(status, out.toString(), err.toString(), took);
            }
            if (streamsEnded) {
                process.kill();
                if (linkGone()) {
                    throw lost(shown, null);
                }
                // the serve itself died (killed on the host): answered like an exec killed by a signal
                return new ExecResult(-1, out.toString(), err + "[the helper's session ended during the call]\n", took);
            }
            killCall(pid);
            process.kill();
            throw new CommandTimeoutException(connection.target().name(), shown, timeout);
        }
    }

    /**
     * The serve's streams ended mid-call: a link that dropped (sshd's session killed, the host gone)
     * takes the transport a moment longer to notice than the streams; given 300 ms, so that the
     * call is reported as a lost connection (the guard's case), not as a helper that died.
     */
    private boolean linkGone() {
        long until = System.nanoTime() + 300_000_000L;
        while (connection.isOpen() && System.nanoTime() < until) {
            try {
                lock.wait(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !connection.isOpen();
    }

    /** Best effort, like an exec's SIGKILL: the call's own process (the serve goes with its channel). */
    private void killCall(long callPid) {
        if (callPid <= 0 || !connection.isOpen()) {
            return;
        }
        try {
            connection.execPrivileged("kill -KILL " + callPid, null, Duration.ofSeconds(5));
        } catch (SshException ignored) {
            // the call is abandoned either way; the session is closed next
        }
    }

    private SshException lost(String shown, Throwable cause) {
        return new ConnectException(connection.target().name(), "connection failed while running "
                + CommandTimeoutException.abbreviate(shown)
                + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    /** Waits on the lock until notified or {@code deadline}; false once it has passed. */
    private boolean waitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            lock.wait(Math.max(1, left / 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException(connection.target().name(), "interrupted while waiting for the helper", e);
        }
    }

    private void stdoutLine(String line) {
        if (line.equals(token + " ready")) {
            ready = true;
        } else if (line.startsWith(token + " pid ")) {
            pid = Long.parseLong(line.substring(token.length() + 5).strip());
        } else if (line.startsWith(token + " end ")) {
            // the serve puts a newline before the marker: not the call's
            if (out.length() > 0) {
                out.setLength(out.length() - 1);
            }
            status = Integer.parseInt(line.substring(token.length() + 5).strip());
        } else {
            out.append(line).append('\n');
        }
    }

    private void stderrLine(String line) {
        if (line.equals(token + " end")) {
            errEnded = true;
            return;
        }
        err.append(line).append('\n');
        if (!line.isBlank()) {
            process.logStderr(line);
        }
    }

    /** Reads {@code stream} line by line into {@code sink}, under the lock, waking the caller after each line. */
    private void read(InputStream stream, Consumer<String> sink) {
        READERS.execute(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (lock) {
                        sink.accept(line);
                        lock.notifyAll();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the channel or the connection is gone: the same as EOF for the call waiting
            }
            synchronized (lock) {
                streamsEnded = true;
                lock.notifyAll();
            }
        });
    }
}
