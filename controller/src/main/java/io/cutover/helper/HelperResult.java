package io.cutover.helper;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * What one helper subcommand answered: its exit code (0 ok, 1 failed, 2 usage, 3 precondition,
 * 4 verification failed, 75 busy) and its one JSON object.
 */
public record HelperResult(String subcommand, int exitCode, boolean ok, boolean changed, JsonNode data, String error,
        String stderr, Duration took) {

    public static final int BUSY = 75;

    public String describeFailure() {
        String what = error != null && !error.isBlank() ? error : lastLine(stderr);
        return subcommand + " failed (exit " + exitCode + meaning() + "): " + what;
    }

    private String meaning() {
        return switch (exitCode) {
            case 2 -> ", usage";
            case 3 -> ", precondition not met";
            case 4 -> ", verification failed";
            case BUSY -> ", host busy";
            default -> "";
        };
    }

    private static String lastLine(String text) {
        if (text == null || text.isBlank()) {
            return "no message";
        }
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
