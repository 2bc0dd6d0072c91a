package io.cutover.engine;

/** A step did not do what it must; the host is rolled back. Package-private control flow of HostRun. */
final class StepFailure extends RuntimeException {

    StepFailure(String message) {
        super(message, null, false, false);
    }
}
