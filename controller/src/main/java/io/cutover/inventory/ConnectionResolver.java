package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a host's vars into {@link ConnectionSettings}, refusing values that cannot be right. */
final class ConnectionResolver {

    static final String[] ADDRESS = {"ansible_ssh_host", "ansible_host"};
    static final String[] PORT = {"ansible_ssh_port", "ansible_port"};
    static final String[] USER = {"ansible_ssh_user", "ansible_user"};
    static final String[] KEY = {"ansible_ssh_private_key_file", "ansible_private_key_file"};
    static final String[] BECOME = {"ansible_become"};
    static final String[] BECOME_USER = {"ansible_sudo_user", "ansible_become_user"};
    static final String[] COMMON_ARGS = {"ansible_ssh_common_args"};
    static final String[] KNOWN_HOSTS = {"cutover_known_hosts"};

    private static final Pattern SIMPLE_REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@\\\\$-]{0,255}");
    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t", "1.0");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f", "0.0");

    private final HostVars vars;

    ConnectionResolver(HostVars vars) {
        this.vars = vars;
    }

    ConnectionSettings resolve() {
        String address = text(ADDRESS, true);
        if (address == null) {
            address = vars.host();
            String problem = addressProblem(address);
            if (problem != null) {
                throw new InputException("host `" + address + "`: its inventory name is its SSH address (it has no"
                        + " ansible_host), but it is not a valid IP address or hostname: " + problem
                        + "; set ansible_host for it");
            }
        } else {
            checkAddress(address, ADDRESS);
        }
        Object portValue = value(PORT, true);
        int port = portValue == null ? ConnectionSettings.DEFAULT_PORT : port(portValue);
        String user = text(USER, true);
        if (user != null) {
            checkUser(user, USER);
        }
        String key = text(KEY, true);
        Object becomeValue = value(BECOME, true);
        boolean become = becomeValue != null && bool(becomeValue, BECOME);
        String becomeUser = text(BECOME_USER, true);
        if (becomeUser == null) {
            becomeUser = ConnectionSettings.DEFAULT_BECOME_USER;
        } else {
            checkUser(becomeUser, BECOME_USER);
        }
        String commonArgs = text(COMMON_ARGS, true);
        String knownHosts = text(KNOWN_HOSTS, true);
        return new ConnectionSettings(vars.host(), address, port, user, path(key, KEY), become, becomeUser,
                commonArgs, path(knownHosts, KNOWN_HOSTS));
    }

    /** The load-time check: literal values only, so inventories full of Jinja still load. */
    void checkLiterals() {
        String address = literalText(ADDRESS);
        if (address != null) {
            checkAddress(address, ADDRESS);
        }
        Object port = literal(PORT);
        if (port != null) {
            port(port);
        }
        String user = literalText(USER);
        if (user != null) {
            checkUser(user, USER);
        }
        Object become = literal(BECOME);
        if (become != null) {
            bool(become, BECOME);
        }
        String becomeUser = literalText(BECOME_USER);
        if (becomeUser != null) {
            checkUser(becomeUser, BECOME_USER);
        }
        for (String[] names : new String[][] {KEY, COMMON_ARGS, KNOWN_HOSTS}) {
            literalText(names);
        }
    }

    /** The winning var among {@code names} (first set wins), with simple {@code {{ var }}} references resolved. */
    private Object value(String[] names, boolean resolveTemplates) {
        String name = winner(names);
        if (name == null) {
            return null;
        }
        Object value = vars.values().get(name);
        if (resolveTemplates && value instanceof String text && text.contains("{{")) {
            return resolveTemplate(name, text);
        }
        return value;
    }

    private Object literal(String[] names) {
        String name = winner(names);
        if (name == null) {
            return null;
        }
        Object value = vars.values().get(name);
        return value instanceof String text && (text.contains("{{") || text.contains("{%")) ? null : value;
    }

    private String literalText(String[] names) {
        Object value = literal(names);
        return value == null ? null : asText(value, names);
    }

    private String text(String[] names, boolean resolveTemplates) {
        Object value = value(names, resolveTemplates);
        return value == null ? null : asText(value, names);
    }

    private String asText(Object value, String[] names) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value instanceof Boolean ? fail(names, "expected text, found the boolean " + value) : value.toString();
        }
        return fail(names, "expected text, found " + (value instanceof Map ? "a mapping" : "a list"));
    }

    private String winner(String[] names) {
        for (String name : names) {
            if (vars.values().containsKey(name) && vars.values().get(name) != null) {
                return name;
            }
        }
        return null;
    }

    private Object resolveTemplate(String name, String text) {
        String current = text;
        for (int round = 0; round < 10 && current.contains("{{"); round++) {
            Matcher m = SIMPLE_REFERENCE.matcher(current);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                Object referenced = reference(m.group(1));
                if (referenced == null || referenced instanceof Map || referenced instanceof java.util.List) {
                    throw new InputException(origin(name), name, "host `" + vars.host() + "`: `" + text
                            + "` refers to `" + m.group(1) + "`, which is " + (referenced == null ? "not set" : "not a single value")
                            + " for this host; set a literal value");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(referenced.toString()));
            }
            m.appendTail(out);
            current = out.toString();
        }
        if (current.contains("{{") || current.contains("{%")) {
            throw new InputException(origin(name), name, "host `" + vars.host() + "`: `" + text
                    + "` is a Jinja expression; cutover does not evaluate Jinja (only `{{ some_var }}`): write the literal value");
        }
        return current;
    }

    private Object reference(String name) {
        return switch (name) {
            case "inventory_hostname" -> vars.host();
            case "inventory_hostname_short" -> HostAddress.isIpAddress(vars.host())
                    ? vars.host() : vars.host().split("\\.", -1)[0];
            default -> vars.values().get(name);
        };
    }

    private void checkAddress(String address, String[] names) {
        String problem = addressProblem(address);
        if (problem != null) {
            fail(names, "`" + address + "` is not a valid IP address or hostname: " + problem);
        }
    }

    static String addressProblem(String address) {
        if (address.isEmpty()) {
            return "it is empty";
        }
        if (HostAddress.isIpAddress(address) && !address.contains("[")) {
            return null;
        }
        if (address.chars().anyMatch(c -> c > 127)) {
            return "it has non-ASCII characters (use the xn-- punycode form)";
        }
        if (address.startsWith("-")) {
            return "it starts with `-`";
        }
        if (address.contains(":")) {
            return "it is neither an IPv4 nor an IPv6 address (write IPv6 without brackets or port;"
                    + " put a port in ansible_port)";
        }
        if (address.length() > 253) {
            return "it is longer than 253 characters";
        }
        String trimmed = address.endsWith(".") ? address.substring(0, address.length() - 1) : address;
        for (String label : trimmed.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "it has an empty label (`..`)";
            }
            if (!LABEL.matcher(label).matches()) {
                return label.length() > 63 ? "the label `" + label + "` is longer than 63 characters"
                        : "the label `" + label + "` may only hold letters, digits, `-` and `_`,"
                                + " and may not start or end with `-`";
            }
        }
        if (trimmed.matches("[0-9.]+")) {
            return "it looks like an IPv4 address but is not one";
        }
        return null;
    }

    private int port(Object value) {
        BigInteger port = null;
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            port = new BigInteger(value.toString());
        } else if (value instanceof String text && text.strip().matches("[+]?[0-9]+")) {
            port = new BigInteger(text.strip().replace("+", ""));
        }
        if (port == null) {
            fail(PORT, "`" + PythonText.str(value) + "` is not a port number (1-65535)");
        }
        if (port.signum() <= 0 || port.compareTo(BigInteger.valueOf(65535)) > 0) {
            fail(PORT, "port " + port + " is out of range (1-65535)");
        }
        return port.intValue();
    }

    private void checkUser(String user, String[] names) {
        if (!USER_NAME.matcher(user).matches()) {
            fail(names, "`" + user + "` is not a valid user name (letters, digits, `.`, `_`, `-`, `@`;"
                    + " not starting with `-`)");
        }
    }

    private boolean bool(Object value, String[] names) {
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value instanceof Double || value instanceof Integer || value instanceof String
                ? value.toString().strip().toLowerCase(Locale.ROOT) : null;
        if (text != null && TRUE.contains(text)) {
            return true;
        }
        if (text != null && FALSE.contains(text)) {
            return false;
        }
        fail(names, "`" + PythonText.str(value) + "` is not a boolean; use true or false");
        return false;
    }

    private Path path(String text, String[] names) {
        if (text == null) {
            return null;
        }
        if (text.isBlank() || text.indexOf('\0') >= 0) {
            fail(names, "`" + text + "` is not a file path");
        }
        if (text.equals("~") || text.startsWith("~/")) {
            text = System.getProperty("user.home") + text.substring(1);
        }
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            fail(names, "`" + text + "` is not a file path: " + e.getReason());
            return null;
        }
    }

    private Location origin(String name) {
        return vars.origin(name).orElse(null);
    }

    private <T> T fail(String[] names, String message) {
        String name = winner(names);
        if (name == null) {
            name = names[names.length - 1];
        }
        throw new InputException(origin(name), name, "host `" + vars.host() + "`: " + message);
    }
}
