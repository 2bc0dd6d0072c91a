package io.cutover.playbook;

import java.util.Objects;

/** One argument an action takes: its type, and either "required" or a default value. */
public record ArgSpec(String name, ValueType type, boolean required, Object defaultValue, String help) {

    public ArgSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a required argument has no default");
        }
    }

    static ArgSpec required(String name, ValueType type, String help) {
        return new ArgSpec(name, type, true, null, help);
    }

    static ArgSpec optional(String name, ValueType type, Object defaultValue, String help) {
        return new ArgSpec(name, type, false, defaultValue, help);
    }
}
