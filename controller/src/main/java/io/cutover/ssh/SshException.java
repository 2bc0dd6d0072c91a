package io.cutover.ssh;

/**
 * Root of every failure of the SSH layer. Unchecked, like the roots of the other layers, so the CLI
 * maps it to an exit code in one place. The message always starts with the inventory host name, so a
 * line printed for one of hundreds of hosts says where it happened.
 */
public class SshException extends RuntimeException {
    private final String host;

    public SshException(String host, String message) {
        this(host, message, null);
    }

    public SshException(String host, String message, Throwable cause) {
        super(host + ": " + message, cause);
        this.host = host;
    }

    /** The inventory name of the host this failure belongs to. */
    public String host() {
        return host;
    }
}
