package io.cutover.ssh;

import java.time.Duration;

/** A remote command ran longer than its timeout; its channel was closed (the connection stays usable). */
public final class CommandTimeoutException extends SshException {
    private final String command;
    private final Duration timeout;

    public CommandTimeoutException(String host, String command, Duration timeout) {
        super(host, "command timed out after " + timeout.toMillis() + " ms and was killed: " + abbreviate(command));
        this.command = command;
        this.timeout = timeout;
    }

    public String command() {
        return command;
    }

    public Duration timeout() {
        return timeout;
    }

    /** A command line as messages show it: one line, at most 200 characters. */
    public static String abbreviate(String command) {
        String oneLine = command.replace('\n', ' ');
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
