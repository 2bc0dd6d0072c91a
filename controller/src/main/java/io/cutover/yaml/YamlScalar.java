package io.cutover.yaml;

import java.util.Objects;

/**
 * One scalar: {@code value} is what YAML 1.1 makes of it (String, Boolean, Integer/Long/BigInteger,
 * Double, or null); {@code text} is the characters as written, e.g. for keys that must stay text.
 */
public record YamlScalar(Object value, String text, Location location) implements YamlValue {

    public YamlScalar {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(location, "location");
    }

    @Override
    public Object toPlain() {
        return value;
    }

    @Override
    public String kind() {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean (" + text + ")";
        }
        if (value instanceof Number) {
            return "a number (" + text + ")";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
