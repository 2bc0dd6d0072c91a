package io.cutover.cli;

import io.cutover.helper.HelperException;
import io.cutover.journal.JournalException;
import io.cutover.journal.JournalWriteException;
import io.cutover.ssh.SshException;
import io.cutover.yaml.InputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where exceptions become exit codes and messages. A mistake the user made is one
 * red line on stderr, never a stack trace; a bug in cutover says so and how to see the trace
 * ({@code CUTOVER_DEBUG=1}).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    private final boolean debug;

    ErrorHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        Integer code = exitCode(ex);
        if (code != null) {
            error(commandLine, ex.getMessage());
            return code;
        }
        error(commandLine, "internal error: " + ex + (debug ? "" : " (run with CUTOVER_DEBUG=1 for the stack trace, and report it)"));
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.INTERNAL;
    }

    /**
     * The exit code of a failure a user can fix, by the root exception of the layer it comes from;
     * {@code null} for anything else, which is a bug in cutover.
     */
    static Integer exitCode(Exception ex) {
        if (ex instanceof JournalWriteException) {
            return ExitCode.ABORTED; // the journal's disk is full or read-only: fix it, then resume
        }
        if (ex instanceof InputException || ex instanceof JournalException || ex instanceof SshException) {
            return ExitCode.USAGE; // an inventory, config or journal file that cannot be right
        }
        if (ex instanceof HelperException) {
            return ExitCode.HOSTS_FAILED; // a host's helper answered outside the protocol
        }
        return null;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        error(commandLine, ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            AnsibleFlags.hint(unmatched.getUnmatched()).ifPresent(hint -> commandLine.getErr().println("cutover: hint: " + hint));
        }
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, commandLine.getErr());
        commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        commandLine.getErr().flush();
        return ExitCode.USAGE;
    }

    private static void error(CommandLine commandLine, String message) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText("cutover: error: " + message));
        err.flush();
    }
}
