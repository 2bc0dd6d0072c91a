package io.cutover.playbook;

import java.util.Objects;

/**
 * A password or similar: passed to the host on stdin only, and shown everywhere else (plans,
 * journal, logs, JSON output) as {@code ***}.
 */
public record Secret(String value) {

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "***";
    }
}
