package io.cutover.ssh;

/** The host refused every identity we offered, or an identity file could not be read or decrypted. */
public final class AuthException extends SshException {
    public AuthException(String host, String message, Throwable cause) {
        super(host, message, cause);
    }
}
