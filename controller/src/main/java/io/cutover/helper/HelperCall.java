package io.cutover.helper;

import io.cutover.ssh.ShellQuote;
import java.util.List;
import java.util.Objects;

/**
 * One helper invocation: subcommand, arguments (passed as separate quoted words, never parsed by
 * a shell) and what goes on its stdin (file content, passwords — never on the command line).
 * {@link #display()} is what plans and logs show: secrets on stdin are not part of it.
 */
public record HelperCall(String subcommand, List<String> args, byte[] stdin, String stdinDescription) {

    public HelperCall {
        Objects.requireNonNull(subcommand, "subcommand");
        args = List.copyOf(args);
        stdin = stdin == null ? new byte[0] : stdin.clone();
    }

    public static HelperCall of(String subcommand, List<String> args) {
        return new HelperCall(subcommand, args, null, null);
    }

    /** The command as a user could type it on the host, e.g. {@code cutover-helper fw-ban --run r1 10.0.0.1}. */
    public String display() {
        String line = "cutover-helper " + subcommand + (args.isEmpty() ? "" : " " + ShellQuote.join(args));
        return stdinDescription == null ? line : line + " < " + stdinDescription;
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }
}
