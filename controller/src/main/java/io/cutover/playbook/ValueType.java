package io.cutover.playbook;

import io.cutover.yaml.InputException;
import io.cutover.yaml.YamlLoader;
import io.cutover.yaml.YamlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The types a playbook value can have. Everything that reaches a host is one of these, checked
 * before any connection is made: a value that is not what it claims (an "IP address" that is not
 * one, a process name with shell metacharacters, a relative path) is refused with a message that
 * says what was expected.
 */
public enum ValueType {
    STRING("string") {
        @Override
        Object check(Object value) {
            String text = text(value);
            if (text.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw new IllegalArgumentException("contains a control character (newline?)");
            }
            return text;
        }
    },
    INTEGER("integer") {
        @Override
        Object check(Object value) {
            if (value instanceof Integer || value instanceof Long) {
                return ((Number) value).longValue();
            }
            // Ansible's -e key=value gives text, and its argument checks turn "6432" into 6432: so do we
            if (value instanceof String text && text.strip().matches("[+-]?[0-9]{1,18}")) {
                return Long.parseLong(text.strip());
            }
            throw new IllegalArgumentException("is not an integer");
        }
    },
    BOOLEAN("boolean") {
        @Override
        Object check(Object value) {
            if (value instanceof Boolean) {
                return value;
            }
            // as Ansible's boolean(): the words -e key=value and INI inventories give as text
            if (value instanceof String text) {
                String word = text.strip().toLowerCase(Locale.ROOT);
                if (List.of("yes", "on", "true", "y", "t", "1").contains(word)) {
                    return true;
                }
                if (List.of("no", "off", "false", "n", "f", "0").contains(word)) {
                    return false;
                }
            }
            throw new IllegalArgumentException("is not a boolean (true/false)");
        }
    },
    PORT("port") {
        @Override
        Object check(Object value) {
            long port = (Long) INTEGER.check(value);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("is not a port number (1-65535)");
            }
            return port;
        }
    },
    IP("IP address") {
        @Override
        Object check(Object value) {
            String text = text(value);
            if (!isIpAddress(text)) {
                throw new IllegalArgumentException("is not an IP address");
            }
            return text;
        }
    },
    IP_LIST("list of IP addresses") {
        @Override
        Object check(Object value) {
            List<Object> addresses = listOf(value, IP);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("is an empty list; at least one IP address is needed");
            }
            return addresses;
        }
    },
    DNS_NAME("DNS name") {
        @Override
        Object check(Object value) {
            String text = text(value);
            if (!DNS_NAME_PATTERN.matcher(text).matches() || text.length() > 253) {
                throw new IllegalArgumentException("is not a DNS name (letters, digits, '-', '.')");
            }
            return text;
        }
    },
    ABSOLUTE_PATH("absolute path") {
        @Override
        Object check(Object value) {
            String text = text(value);
            if (!PATH_PATTERN.matcher(text).matches() || text.contains("/../") || text.endsWith("/..")
                    || text.contains("//")) {
                throw new IllegalArgumentException(
                        "is not a plain absolute path (starts with /, letters, digits, . _ - + @ only, no ..)");
            }
            return text;
        }
    },
    PROCESS("process name or pidfile") {
        @Override
        Object check(Object value) {
            String text = text(value);
            if (text.startsWith("/")) {
                return ABSOLUTE_PATH.check(text);
            }
            if (!PROCESS_PATTERN.matcher(text).matches()) {
                throw new IllegalArgumentException(
                        "is not a process name (letters, digits, . _ -, at most 64) nor a pidfile path");
            }
            return text;
        }
    },
    PROCESS_LIST("list of process names or pidfiles") {
        @Override
        Object check(Object value) {
            return listOf(value, PROCESS);
        }
    },
    DURATION("duration") {
        @Override
        Object check(Object value) {
            return Duration.parse(value);
        }
    },
    SECRET("secret") {
        @Override
        Object check(Object value) {
            if (value instanceof Secret secret) {
                return secret;
            }
            return new Secret((String) STRING.check(value));
        }
    },
    DNS_NAME_LIST("list of DNS names") {
        @Override
        Object check(Object value) {
            return listOf(value, DNS_NAME);
        }
    },
    FILE_MODE("octal file mode") {
        @Override
        Object check(Object value) {
            String text = text(value);
            if (!MODE_PATTERN.matcher(text).matches()) {
                throw new IllegalArgumentException("is not an octal file mode such as \"0644\" (3 or 4 digits 0-7, quoted)");
            }
            return text;
        }
    },
    MAPPING_LIST("list of mappings ([{key: value, ...}, ...])") {
        @Override
        Object check(Object value) {
            Object parsed = value instanceof String text ? flowYaml(text) : value;
            if (!(parsed instanceof List<?> || parsed instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("is not a list of mappings: write it as [{key: value, ...}, ...]");
            }
            List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
            List<Object> entries = new ArrayList<>(items.size());
            for (Object item : items) {
                if (!(item instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("has entry " + (entries.size() + 1) + " " + show(item)
                            + ", which is not a mapping: write each entry as {key: value, ...}");
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key) || e.getValue() == null) {
                        throw new IllegalArgumentException("has entry " + (entries.size() + 1) + " with " + show(e.getKey())
                                + (e.getValue() == null ? " and no value after it" : ", which is not a key (a word)"));
                    }
                    entry.put(key, e.getValue());
                }
                entries.add(Collections.unmodifiableMap(entry));
            }
            return List.copyOf(entries);
        }
    },
    NAME("name") {
        @Override
        Object check(Object value) {
            String text = text(value);
            if (!NAME_PATTERN.matcher(text).matches()) {
                throw new IllegalArgumentException("is not a simple name (letters, digits, . _ -, at most 63)");
            }
            return text;
        }
    };

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern DNS_NAME_PATTERN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern PATH_PATTERN = Pattern.compile("/[A-Za-z0-9._+@/-]{0,4095}");
    private static final Pattern PROCESS_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MODE_PATTERN = Pattern.compile("[0-7]{3,4}");
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    /** Human name used in messages and docs, e.g. "list of IP addresses". */
    public String description() {
        return description;
    }

    /** The key used in playbooks ({@code type: ip-list}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Checks and normalises a value (integers become Long, durations {@link Duration}).
     *
     * @throws IllegalArgumentException with the reason, phrased to follow the value: "is not …"
     */
    abstract Object check(Object value);

    /** Checks a value; the message of the exception names the value and the expected type. */
    public Object validate(Object value) {
        if (value == null) {
            // `key:` with nothing after it is YAML null; a var that reaches a host needs a value.
            throw new InvalidValue("null (nothing after the colon) is not a " + description + "; give it a value or leave the var out");
        }
        if (value instanceof String text && (text.contains("{{") || text.contains("{%"))) {
            // Ansible would evaluate it; sent on as written it would reach a host literally
            throw new InvalidValue((this == SECRET ? "`***`" : show(value)) + " is a Jinja expression, which is not"
                    + " supported here (cutover does not evaluate Jinja): write the value itself, or refer to another"
                    + " var with ${other_var} (FreeMarker, as the playbooks do)");
        }
        try {
            return check(value);
        } catch (InvalidValue e) {
            throw e; // a list item already named itself
        } catch (IllegalArgumentException | ClassCastException e) {
            String reason = e instanceof ClassCastException ? "is not a " + description : e.getMessage();
            // A secret's value is never echoed, not even when it is refused.
            throw new InvalidValue((this == SECRET ? "`***`" : show(value)) + " " + reason);
        }
    }

    /** A validation failure whose message already starts with the offending value. */
    private static final class InvalidValue extends IllegalArgumentException {
        InvalidValue(String message) {
            super(message);
        }
    }

    public static ValueType fromKey(String key) {
        for (ValueType type : values()) {
            if (type.key().equals(key)) {
                return type;
            }
        }
        return null;
    }

    static boolean isIpAddress(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return false;
        }
        try {
            // Only hex digits, colons and dots reach here: an IPv6 literal parse, never a DNS lookup.
            return java.net.InetAddress.getByName(text) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** A list written as one string ({@code -e 'key=[{a: 1}, {b: 2}]'}, an INI inventory): YAML flow syntax. */
    private static Object flowYaml(String text) {
        try {
            YamlValue parsed = new YamlLoader().parse(Path.of("value"), text);
            return parsed == null ? List.of() : parsed.toPlain();
        } catch (InputException e) {
            throw new IllegalArgumentException("is not a list of mappings in YAML ([{key: value}, ...]; quote a value that holds"
                    + " { } [ ] or a comma): " + e.getMessage().replaceFirst("^value:[0-9:]*\\s*", ""));
        }
    }

    private static String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Boolean b) {
            throw new IllegalArgumentException("is the boolean " + b + ", not text: YAML reads an unquoted yes/no/on/off"
                    + " as a boolean; quote it if you meant the word, e.g. \"" + (b ? "yes" : "no") + "\"");
        }
        throw new IllegalArgumentException("is not a string");
    }

    /**
     * A list of {@code item}; a single value is a list of one and "a,b" a list of two, as users
     * write them on the command line ({@code -e servers=10.0.0.1,10.0.0.2}). "[a, b]" and "[]" are
     * the same lists written in brackets ({@code -e refresh_processes=[]}): the form a YAML file and
     * a {@code {"key": [...]}} mapping give, so every way of writing an empty list means one.
     */
    private static List<Object> listOf(Object value, ValueType item) {
        List<?> items;
        if (value instanceof String text && text.trim().startsWith("[") && text.trim().endsWith("]")) {
            String inner = text.trim().substring(1, text.trim().length() - 1).trim();
            items = inner.isEmpty() ? List.of() : java.util.Arrays.stream(inner.split(",")).map(String::trim).toList();
        } else if (value instanceof List<?> list) {
            items = list;
        } else if (value instanceof String text && text.contains(",")) {
            items = java.util.Arrays.stream(text.split(",")).map(String::trim).toList();
        } else {
            items = List.of(value);
        }
        List<Object> checked = new ArrayList<>(items.size());
        for (Object element : items) {
            checked.add(item.validate(element));
        }
        return List.copyOf(checked);
    }

    public static String show(Object value) {
        if (value instanceof Secret) {
            return "`***`";
        }
        if (value instanceof String text) {
            String escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
            return "`" + (escaped.length() > 80 ? escaped.substring(0, 77) + "..." : escaped) + "`";
        }
        return value == null ? "null" : "`" + value + "`";
    }
}
