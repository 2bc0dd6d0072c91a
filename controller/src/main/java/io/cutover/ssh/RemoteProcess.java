package io.cutover.ssh;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command left running on a connection's channel of its own, talked to over its streams (the
 * helper's served calls). It holds one of the connection's channels until closed.
 */
public interface RemoteProcess extends AutoCloseable {

    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** Passes one line of the command's stderr to the connector's remote-stderr log ({@code -vv}), as an exec's lines go. */
    void logStderr(String line);

    /** Best effort: SIGKILL (OpenSSH ≥ 7.9 honours it), then the channel closed. Never throws. */
    void kill();

    /** Closes the channel (EOF first, so the command may end by itself). Idempotent, never throws. */
    @Override
    void close();
}
