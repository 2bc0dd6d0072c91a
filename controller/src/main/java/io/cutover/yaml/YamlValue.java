package io.cutover.yaml;

/**
 * A YAML value that remembers where it was written, so that validation errors can name the
 * file, line and column. Scalars carry the value YAML 1.1 gives them (as Ansible's PyYAML does:
 * {@code yes} is a boolean, {@code 0755} an octal integer).
 */
public sealed interface YamlValue permits YamlMap, YamlList, YamlScalar {

    Location location();

    /** The plain Java value: {@code Map<String,Object>} (insertion order), {@code List<Object>}, scalars. */
    Object toPlain();

    /** A short name of the kind of value, for messages: "a mapping", "a list", "a string"… */
    String kind();

    default YamlMap asMap(String field) {
        if (this instanceof YamlMap map) {
            return map;
        }
        throw new InputException(location(), field, "expected a mapping, found " + kind());
    }

    default YamlList asList(String field) {
        if (this instanceof YamlList list) {
            return list;
        }
        throw new InputException(location(), field, "expected a list, found " + kind());
    }

    default YamlScalar asScalar(String field) {
        if (this instanceof YamlScalar scalar) {
            return scalar;
        }
        throw new InputException(location(), field, "expected a single value, found " + kind());
    }

    /** A string; numbers and booleans are refused rather than silently converted. */
    default String asString(String field) {
        Object value = asScalar(field).value();
        if (value instanceof String text) {
            return text;
        }
        throw new InputException(location(), field, "expected a string, found " + kind());
    }

    default boolean isNull() {
        return this instanceof YamlScalar scalar && scalar.value() == null;
    }
}
