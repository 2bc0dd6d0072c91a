package io.cutover.ssh;

/** A connection setting is malformed; the message names the host, the variable or file, and the value. */
public final class SettingsException extends SshException {
    public SettingsException(String host, String message) {
        super(host, message);
    }
}
