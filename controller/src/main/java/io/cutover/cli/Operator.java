package io.cutover.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who started a run and from where, for the journal's run-start: "who ran it" in `status --list`
 * and the report attached to a change ticket.
 *
 * @param user       the account cutover runs as
 * @param sudoUser   the person behind sudo (SUDO_USER), or null
 * @param controller this machine's name
 */
record Operator(String user, String sudoUser, String controller) {

    /** Read from the kernel rather than resolved: the resolver is what a rollout changes. */
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    static Operator of(Environment environment) {
        String sudoUser = environment.variable("SUDO_USER");
        String controller;
        try {
            controller = Files.readString(HOSTNAME).strip();
        } catch (IOException | SecurityException e) {
            controller = "";
        }
        return new Operator(environment.user(), sudoUser == null || sudoUser.isBlank() ? null : sudoUser,
                controller.isEmpty() ? "unknown" : controller);
    }

    Map<String, String> toRecord() {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("user", user);
        record.put("sudo_user", sudoUser);
        record.put("controller", controller);
        return record;
    }
}
