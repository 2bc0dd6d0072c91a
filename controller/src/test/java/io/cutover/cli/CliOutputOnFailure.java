package io.cutover.cli;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Adds what each command a failed test ran through {@link Cli} printed (args, exit code, stdout,
 * stderr) to its failure, so an assertion on one stream shows the other; forgets the runs after
 * each test. Registered for every test (META-INF/services, junit-platform.properties).
 */
public final class CliOutputOnFailure implements TestExecutionExceptionHandler, AfterEachCallback {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        List<Cli> ran = Cli.ran();
        if (!ran.isEmpty() && failure instanceof AssertionError) {
            StringBuilder printed = new StringBuilder("the commands this test ran printed:");
            ran.forEach(cli -> printed.append('\n').append(cli));
            failure.addSuppressed(new CommandOutput(printed.toString()));
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Cli.forget();
    }

    /** What the commands printed, shown with the failure's report (no stack trace of its own). */
    private static final class CommandOutput extends Exception {
        CommandOutput(String printed) {
            super(printed, null, false, false);
        }
    }
}
