package io.cutover.playbook;

import java.util.Objects;

/**
 * One argument an action takes: its type, either "required" or a default value, and, for
 * arguments that pick among fixed choices, the allowed values ({@code oneOf}, empty = any).
 */
public record ArgSpec(String name, ValueType type, boolean required, Object defaultValue, String help,
        java.util.List<String> oneOf) {

    public ArgSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        oneOf = java.util.List.copyOf(oneOf);
        if (required && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a required argument has no default");
        }
    }

    static ArgSpec required(String name, ValueType type, String help) {
        return new ArgSpec(name, type, true, null, help, java.util.List.of());
    }

    static ArgSpec optional(String name, ValueType type, Object defaultValue, String help) {
        return new ArgSpec(name, type, false, defaultValue, help, java.util.List.of());
    }

    static ArgSpec choice(String name, String defaultValue, String help, String... choices) {
        return new ArgSpec(name, ValueType.NAME, false, defaultValue, help, java.util.List.of(choices));
    }

    /** Type check plus the choices: the value normalised, or an IllegalArgumentException saying why. */
    public Object check(Object value) {
        Object checked = type.validate(value);
        if (!oneOf.isEmpty() && !oneOf.contains(String.valueOf(checked))) {
            throw new IllegalArgumentException(ValueType.show(value) + " is not one of " + String.join(", ", oneOf)
                    + io.cutover.yaml.Suggestions.didYouMean(String.valueOf(checked), oneOf));
        }
        return checked;
    }
}
