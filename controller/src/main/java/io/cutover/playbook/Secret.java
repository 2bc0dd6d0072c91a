package io.cutover.playbook;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A password or similar: passed to the host on stdin only, and shown everywhere else (plans,
 * journal, logs, JSON output) as {@code ***}.
 */
public record Secret(String value) {

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Also what Jackson writes: a record is otherwise serialized field by field, and `plan --format
     * json` printed {"value": "the password"} for every secret arg.
     */
    @JsonValue
    @Override
    public String toString() {
        return "***";
    }
}
