package io.cutover.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who started a run and from where, for the journal's run-start ("who ran it" in `status --list`
 * and the report). Under sudo the person is SUDO_USER, not root.
 */
record Operator(String user, String controller) {

    /** Read from the kernel rather than resolved: a controller with broken DNS must still start. */
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    static Operator of(Environment environment) {
        String sudoUser = environment.variable("SUDO_USER");
        String user = sudoUser != null && !sudoUser.isBlank() ? sudoUser : environment.user();
        String controller;
        try {
            controller = Files.readString(HOSTNAME).strip();
        } catch (IOException | SecurityException e) {
            controller = "unknown";
        }
        return new Operator(user, controller.isEmpty() ? "unknown" : controller);
    }

    Map<String, String> toRecord() {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("user", user);
        record.put("controller", controller);
        return record;
    }
}
