package io.cutover.ssh;

import java.time.Duration;

/**
 * The one SSH connection to one host for a run, opened by {@link SshConnector#connect(SshTarget)}.
 *
 * <p>Lifecycle: it is open and authenticated when returned. Every {@code exec} opens a new session
 * channel on this same connection, so commands cost a channel round trip, not a handshake. It is
 * thread-safe: several commands may run at once (they are multiplexed; at most a few channels are open
 * at a time because OpenSSH's {@code MaxSessions} defaults to 10 — callers beyond that wait their
 * turn). A failed or timed-out command leaves the connection usable; a broken transport makes
 * {@link #isOpen()} false and every later call throw {@link ConnectException}. {@link #close()} gives
 * every {@linkplain #startPrivileged started} command EOF and up to 2 s to exit, then closes the
 * connection and the jump connections under it; it is idempotent and never throws.
 *
 * <p>Failures are {@link SshException}s naming the host. A non-zero exit status is not a failure of
 * this layer: it is returned in the {@link ExecResult}.
 */
public interface SshConnection extends AutoCloseable {

    /** The target this connection was opened for. */
    SshTarget target();

    /**
     * Runs {@code command} (one sh command line, built with {@link ShellQuote}) as the login user.
     *
     * @param stdin   bytes written to the command's stdin, then EOF; {@code null} for none
     * @param timeout after which the channel is closed and {@link CommandTimeoutException} thrown;
     *                {@code null} for the target's command timeout
     */
    ExecResult exec(String command, byte[] stdin, Duration timeout);

    /** Like {@link #exec} but as root through the target's {@link Become} (plain exec when none). */
    ExecResult execPrivileged(String command, byte[] stdin, Duration timeout);

    /**
     * Starts {@code command} as root through the target's {@link Become} and leaves it running on a
     * channel of its own (sudo's password, if any, already written to its stdin).
     *
     * @throws ConnectException the connection is closed or the channel could not be opened
     */
    RemoteProcess startPrivileged(String command);

    /**
     * Writes {@code content} to {@code remotePath} atomically (a temporary file in the same directory,
     * checked by SHA-256, then renamed over the path) with permission bits {@code mode}, through the
     * target's {@link Become}. Readers of {@code remotePath} see the old file or the complete new one.
     *
     * @return the SHA-256 (hex) of the content, as verified on the host
     * @throws UploadException if the remote write failed or the checksum did not match
     */
    String upload(byte[] content, String remotePath, int mode);

    /** Whether the transport is still up and authenticated. */
    boolean isOpen();

    @Override
    void close();
}
