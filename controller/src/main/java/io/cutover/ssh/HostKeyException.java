package io.cutover.ssh;

/**
 * The host presented a key that known_hosts does not vouch for: unknown under the strict policy, or
 * different from the recorded one under any policy. Nothing was run on that host.
 */
public final class HostKeyException extends SshException {
    public HostKeyException(String host, String message) {
        super(host, message);
    }
}
