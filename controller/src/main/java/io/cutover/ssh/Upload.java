package io.cutover.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The remote half of {@link SshConnection#upload}: a POSIX sh script that receives the content on
 * stdin. Done through exec rather than SFTP so it can run under sudo (the helper lives in a root-owned
 * directory) and needs no SFTP subsystem. The temporary file is in the target's directory, so the
 * final {@code mv} is a rename (atomic); it is removed on any failure.
 */
final class Upload {
    static final int CHECKSUM_MISMATCH = 97;

    private final String remotePath;
    private final int mode;
    private final String sha256;

    Upload(byte[] content, String remotePath, int mode) {
        if (remotePath == null || !remotePath.startsWith("/") || remotePath.endsWith("/")) {
            throw new IllegalArgumentException("upload needs an absolute file path, not '" + remotePath + "'");
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("not a file mode: " + Integer.toOctalString(mode));
        }
        this.remotePath = remotePath;
        this.mode = mode;
        this.sha256 = sha256(content);
    }

    String script() {
        return String.join("\n",
                "set -eu",
                "dest=" + ShellQuote.quote(remotePath),
                "tmp=$(mktemp \"$(dirname -- \"$dest\")/.cutover-upload.XXXXXX\")",
                "trap 'rm -f -- \"$tmp\"' EXIT",
                "cat > \"$tmp\"",
                "chmod " + Integer.toOctalString(mode) + " \"$tmp\"",
                "if command -v sha256sum >/dev/null 2>&1; then sum=$(sha256sum < \"$tmp\")",
                "elif command -v sha256 >/dev/null 2>&1; then sum=$(sha256 -q < \"$tmp\")",
                "else sum=$(openssl dgst -sha256 < \"$tmp\" | sed 's/^.*= *//'); fi",
                "sum=${sum%% *}",
                "if [ \"$sum\" != " + sha256 + " ]; then",
                "  echo \"checksum mismatch: wrote $sum\" >&2; exit " + CHECKSUM_MISMATCH,
                "fi",
                "mv -f -- \"$tmp\" \"$dest\"",
                "trap - EXIT",
                "printf '%s\\n' \"$sum\"");
    }

    String verify(String host, ExecResult result) {
        if (result.exitStatus() != 0) {
            String why = result.exitStatus() == CHECKSUM_MISMATCH ? "the uploaded copy does not match (SHA-256 "
                    + sha256 + ")" : "the remote write failed (exit " + result.exitStatus() + ")";
            throw new UploadException(host, "upload to " + remotePath + " failed: " + why + ": "
                    + result.stderr().strip());
        }
        if (!result.stdout().strip().equals(sha256)) {
            throw new UploadException(host, "upload to " + remotePath + " reported SHA-256 '"
                    + result.stdout().strip() + "', expected " + sha256);
        }
        return sha256;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
