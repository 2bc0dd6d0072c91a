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

    /**
     * What this call waits for on the host, for the live view ("named to start and answer on
     * 127.0.0.1:53"), or null for a call that does its work at once (a file written, a rule added).
     */
    public String waitsFor() {
        return switch (subcommand) {
            case "trigger" -> args.contains("--wait-cached") ? "pgbouncer's cached answer for the probe to expire"
                    : args.contains("getent") ? "the getent lookup of " + arg("--name") + " (up to " + arg("--timeout") + " s)"
                    : args.contains("http") ? "the daemon's lookup of " + arg("--name") + " through " + arg("--url") + " (up to " + arg("--timeout") + " s)"
                    : "pgbouncer's lookup of the probe name (up to " + arg("--timeout") + " s)";
            case "bind-install" -> "the package manager to install " + arg("--package");
            case "bind-start" -> "named to start and answer on 127.0.0.1:53";
            case "bind-reload" -> "named to reload";
            case "resolv-install" -> args.contains("--owner") && !"none".equals(arg("--owner"))
                    ? arg("--owner") + " to write resolv.conf" : null;
            case "refresh" -> "go-wait".equals(args.get(args.size() - 1))
                    ? "resolv.conf's change to be 5 s old (process " + args.get(args.size() - 2) + " is Go: it re-checks the file every 5 s)"
                    : "process " + args.get(args.size() - 2) + " to be idle, then " + args.get(args.size() - 1);
            case "capture-start" -> "tcpdump to start capturing";
            case "capture-verify" -> "the capture to show the lookup";
            default -> null;
        };
    }

    private String arg(String flag) {
        int at = args.indexOf(flag);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : "?";
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }
}
