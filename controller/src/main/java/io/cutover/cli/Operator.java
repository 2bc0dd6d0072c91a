package io.cutover.cli;

import io.cutover.journal.JournalEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who starts a run and from where, for the journal's run-start: "who ran it" in `status --list`
 * and the report attached to a change ticket: the account cutover runs as, the person behind sudo
 * (SUDO_USER) or null, and this machine's name.
 */
final class Operator {

    /** Read from the kernel rather than resolved: the resolver is what a rollout changes. */
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private Operator() {
    }

    static JournalEvent.Operator of(Environment environment) {
        String sudoUser = environment.variable("SUDO_USER");
        String controller;
        try {
            controller = Files.readString(HOSTNAME).strip();
        } catch (IOException | SecurityException e) {
            controller = "";
        }
        return new JournalEvent.Operator(environment.user(), sudoUser == null || sudoUser.isBlank() ? null : sudoUser,
                controller.isEmpty() ? "unknown" : controller);
    }
}
