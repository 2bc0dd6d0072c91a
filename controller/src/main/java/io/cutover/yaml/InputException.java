package io.cutover.yaml;

import java.util.Optional;

/**
 * Something the user gave us is wrong: a file, a value, a flag. The CLI prints the message as one
 * line and exits with code 2; nothing has been sent to any host when this is thrown. The message
 * always says where ({@code file:line:column}, and the field when there is one) and, when we can
 * guess it, what to do instead.
 */
public class InputException extends RuntimeException {

    private final transient Location location;
    private final String field;

    public InputException(Location location, String field, String message) {
        super(format(location, field, message));
        this.location = location;
        this.field = field;
    }

    public InputException(Location location, String message) {
        this(location, null, message);
    }

    /** An input error with no file behind it, e.g. a command-line value. */
    public InputException(String message) {
        this(null, null, message);
    }

    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    private static String format(Location location, String field, String message) {
        StringBuilder text = new StringBuilder();
        if (location != null) {
            text.append(location).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            text.append(field).append(": ");
        }
        return text.append(message).toString();
    }
}
