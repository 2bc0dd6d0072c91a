package io.cutover.cli;

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
        if (ex instanceof InputException) {
            error(commandLine, ex.getMessage());
            return ExitCode.USAGE;
        }
        error(commandLine, "internal error: " + ex + (debug ? "" : " (run with CUTOVER_DEBUG=1 for the stack trace, and report it)"));
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.INTERNAL;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        error(commandLine, ex.getMessage());
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
