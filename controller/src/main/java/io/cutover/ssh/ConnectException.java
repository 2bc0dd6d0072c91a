package io.cutover.ssh;

/**
 * No SSH session could be set up with the host: name not resolved, connection refused or timed out,
 * jump host unusable, or the transport broke later. Distinct from {@link java.net.ConnectException},
 * which is one of its possible causes.
 */
public final class ConnectException extends SshException {
    public ConnectException(String host, String message, Throwable cause) {
        super(host, message, cause);
    }
}
