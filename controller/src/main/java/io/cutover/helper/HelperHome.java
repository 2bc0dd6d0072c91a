package io.cutover.helper;

import java.util.Objects;

/**
 * Where the helper lives on a host: the directory its pushed copy goes to, and its state directory
 * (undo logs, backups, the lock, the guard). Hosts use {@link #DEFAULT}; tests run the real helper
 * in a directory of their own instead, so they need no root and touch nothing of the machine's.
 *
 * @param binDir   absolute directory of the pushed {@code cutover-helper}
 * @param stateDir absolute state directory, or {@code null} for the helper's own default
 *                 ({@code /var/lib/cutover}); passed as {@code --state-dir} otherwise
 */
public record HelperHome(String binDir, String stateDir) {

    public static final HelperHome DEFAULT = new HelperHome("/var/lib/cutover/bin", null);

    public HelperHome {
        requireAbsolute("binDir", binDir);
        if (stateDir != null) {
            requireAbsolute("stateDir", stateDir);
        }
    }

    /** The pushed helper's path. */
    public String path() {
        return binDir + "/cutover-helper";
    }

    /** The directory above {@link #binDir()}, kept private (0700) with it. */
    String parentDir() {
        return binDir.substring(0, Math.max(1, binDir.lastIndexOf('/')));
    }

    private static void requireAbsolute(String what, String dir) {
        Objects.requireNonNull(dir, what);
        if (!dir.startsWith("/") || dir.endsWith("/") || dir.contains("/../") || dir.contains("//")) {
            throw new IllegalArgumentException(what + " must be an absolute directory without a trailing /: " + dir);
        }
    }
}
