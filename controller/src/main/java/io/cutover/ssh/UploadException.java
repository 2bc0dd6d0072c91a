package io.cutover.ssh;

/** An upload did not land intact: the remote write failed or the SHA-256 did not match. */
public final class UploadException extends SshException {
    public UploadException(String host, String message) {
        super(host, message);
    }
}
