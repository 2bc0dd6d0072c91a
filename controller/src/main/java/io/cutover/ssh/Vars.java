package io.cutover.ssh;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Typed reads of one host's inventory variables; a wrong type is an error naming host and variable. */
final class Vars {
    final String host;
    private final Map<String, Object> vars;

    Vars(String host, Map<String, Object> vars) {
        this.host = host;
        this.vars = vars == null ? Map.of() : vars;
    }

    /** The first of {@code names} that is set, as text (numbers are accepted and printed). */
    Optional<String> first(String... names) {
        for (String name : names) {
            Object value = vars.get(name);
            if (value == null) {
                continue;
            }
            if (value instanceof String || value instanceof Number) {
                String text = value.toString().strip();
                if (text.isEmpty()) {
                    throw new SettingsException(host, name + " is empty");
                }
                if (text.indexOf('\0') >= 0 || text.indexOf('\n') >= 0) {
                    throw new SettingsException(host, name + " contains a line break or NUL");
                }
                return Optional.of(text);
            }
            throw new SettingsException(host, name + " must be a string, not " + describe(value));
        }
        return Optional.empty();
    }

    String text(String name) {
        return first(name).orElse(null);
    }

    Optional<Integer> port(String... names) {
        for (String name : names) {
            Optional<String> value = first(name);
            if (value.isPresent()) {
                try {
                    return Optional.of(SshSettingsResolver.port(host, value.get()));
                } catch (SettingsException e) {
                    throw new SettingsException(host, name + " " + value.get() + " is not a port (1-65535)");
                }
            }
        }
        return Optional.empty();
    }

    Optional<Duration> seconds(String... names) {
        for (String name : names) {
            Optional<String> value = first(name);
            if (value.isPresent()) {
                return Optional.of(SshSettingsResolver.seconds(host, name, value.get()));
            }
        }
        return Optional.empty();
    }

    /** Ansible's booleans: true/false, yes/no, on/off, 1/0 (any case). */
    boolean bool(String name) {
        Object value = vars.get(name);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().strip().toLowerCase(Locale.ROOT);
        switch (text) {
            case "true": case "yes": case "on": case "1": case "y": case "t":
                return true;
            case "false": case "no": case "off": case "0": case "n": case "f": case "":
                return false;
            default:
                throw new SettingsException(host, name + " '" + value + "' is not a boolean (true/false, yes/no)");
        }
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof Iterable) {
            return "a list";
        }
        return value.getClass().getSimpleName() + " " + value;
    }
}
