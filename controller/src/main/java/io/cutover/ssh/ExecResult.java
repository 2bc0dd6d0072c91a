package io.cutover.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * What a remote command did. {@code exitStatus} is -1 when the command ended without one (killed by a
 * signal, see {@code stderr}).
 */
public record ExecResult(int exitStatus, String stdout, String stderr, Duration took) {
    public ExecResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(took, "took");
    }

    public boolean succeeded() {
        return exitStatus == 0;
    }
}
