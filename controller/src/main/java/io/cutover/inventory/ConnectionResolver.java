package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.ssh.SshHost;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a host's vars into {@link ConnectionSettings}, refusing values that cannot be right. */
final class ConnectionResolver {

    static final String[] ADDRESS = {"ansible_ssh_host", "ansible_host"};
    static final String[] PORT = {"ansible_ssh_port", "ansible_port"};
    static final String[] USER = {"ansible_ssh_user", "ansible_user", "ansible_remote_user"};
    static final String[] KEY = {"ansible_ssh_private_key_file", "ansible_private_key_file"};
    static final String[] BECOME = {"ansible_become"};
    static final String[] BECOME_USER = {"ansible_sudo_user", "ansible_become_user"};
    static final String[] BECOME_METHOD = {"ansible_become_method"};
    static final String[] BECOME_PASSWORD = {"ansible_become_password", "ansible_become_pass"};
    static final String[] COMMON_ARGS = {"ansible_ssh_common_args"};
    static final String[] EXTRA_ARGS = {"ansible_ssh_extra_args"};
    static final String[] TIMEOUT = {"ansible_ssh_timeout", "ansible_timeout"};
    static final String[] KNOWN_HOSTS = {"cutover_known_hosts"};
    static final String[] SSH_ARGS = {"ansible_ssh_args"};
    static final String[] HOST_KEY_CHECKING = {"ansible_ssh_host_key_checking", "ansible_host_key_checking"};

    private static final Pattern SIMPLE_REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@\\\\$-]{0,255}");
    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t", "1.0");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f", "0.0");

    private final HostVars vars;
    private final ConnectionDefaults defaults;

    ConnectionResolver(HostVars vars, ConnectionDefaults defaults) {
        this.vars = vars;
        this.defaults = defaults;
    }

    ConnectionSettings resolve() {
        Map<String, String> origins = new LinkedHashMap<>();
        String address = text(ADDRESS, true);
        if (address == null) {
            address = vars.host();
            String problem = SshAddress.problem(address);
            if (problem != null) {
                throw new InputException("host `" + address + "`: its inventory name is its SSH address (it has no"
                        + " ansible_host), but it is not a valid IP address or hostname: " + problem
                        + "; set ansible_host for it");
            }
            origins.put("address", "the inventory name");
        } else {
            checkAddress(address, ADDRESS);
            origins.put("address", origin(ADDRESS));
        }
        Object portValue = value(PORT, true);
        Integer port = portValue == null ? fromDefault(defaults.port(), "port", origins) : port(portValue);
        noteVar(PORT, "port", origins);
        String user = text(USER, true);
        if (user != null) {
            checkUser(user, USER);
            noteVar(USER, "user", origins);
        } else {
            user = fromDefault(defaults.user(), "user", origins);
            if (user != null) {
                checkDefaultUser(user, defaults.user());
            }
        }
        String key = text(KEY, true);
        Path keyFile = key != null ? path(key, KEY) : fromDefault(defaults.privateKeyFile(), "private_key_file", origins);
        noteVar(KEY, "private_key_file", origins);
        Object becomeValue = value(BECOME, true);
        boolean become;
        if (becomeValue != null) {
            become = bool(becomeValue, BECOME);
            noteVar(BECOME, "become", origins);
        } else {
            become = Boolean.TRUE.equals(fromDefault(defaults.become(), "become", origins));
        }
        String becomeUser = text(BECOME_USER, true);
        if (becomeUser != null) {
            checkUser(becomeUser, BECOME_USER);
            noteVar(BECOME_USER, "become_user", origins);
        } else {
            becomeUser = fromDefault(defaults.becomeUser(), "become_user", origins);
            if (becomeUser == null) {
                becomeUser = ConnectionSettings.DEFAULT_BECOME_USER;
            } else {
                checkDefaultUser(becomeUser, defaults.becomeUser());
            }
        }
        String becomePassword = null;
        if (become) {
            checkBecomeMethod(text(BECOME_METHOD, true));
            becomePassword = text(BECOME_PASSWORD, true);
        }
        String timeout = text(TIMEOUT, true);
        Duration connectTimeout = timeout != null ? seconds(timeout, TIMEOUT)
                : fromDefault(defaults.timeout(), "timeout", origins);
        noteVar(TIMEOUT, "timeout", origins);
        String knownHosts = text(KNOWN_HOSTS, true);
        noteVar(KNOWN_HOSTS, "known_hosts", origins);
        // The order of Ansible's ssh command line (ssh plugin _build_command): ssh_args, then
        // StrictHostKeyChecking=no when host key checking is off, then the common and extra args.
        // ssh takes the first value of an option, and so does cutover.
        List<SshHost.Args> args = new ArrayList<>();
        addArgs(args, SSH_ARGS, defaults.sshArgs());
        Object checking = value(HOST_KEY_CHECKING, true);
        if (checking != null ? !bool(checking, HOST_KEY_CHECKING)
                : defaults.hostKeyChecking() != null && !defaults.hostKeyChecking().value()) {
            args.add(new SshHost.Args(checking != null ? origin(HOST_KEY_CHECKING)
                    : defaults.hostKeyChecking().origin(), "-o StrictHostKeyChecking=no"));
        }
        String commonArgs = addArgs(args, COMMON_ARGS, defaults.sshCommonArgs());
        String extraArgs = addArgs(args, EXTRA_ARGS, defaults.sshExtraArgs());
        return new ConnectionSettings(vars.host(), address, port, user, keyFile, become, becomeUser,
                becomePassword, commonArgs, extraArgs, connectTimeout, path(knownHosts, KNOWN_HOSTS), args, origins);
    }

    /** The var among {@code names} if set, else the default; its text, added to {@code args} with its origin. */
    private String addArgs(List<SshHost.Args> args, String[] names, AnsibleConfig.Sourced<String> fallback) {
        String text = text(names, true);
        if (text != null) {
            args.add(new SshHost.Args(winner(names), text));
            return text;
        }
        if (fallback != null) {
            args.add(new SshHost.Args(fallback.origin(), fallback.value()));
            return fallback.value();
        }
        return null;
    }

    private <T> T fromDefault(AnsibleConfig.Sourced<T> value, String setting, Map<String, String> origins) {
        if (value == null) {
            return null;
        }
        origins.put(setting, value.origin());
        return value.value();
    }

    private void noteVar(String[] names, String setting, Map<String, String> origins) {
        if (winner(names) != null) {
            origins.put(setting, origin(names));
        }
    }

    /** "ansible_user (inventory.yml:3:7)": the winning var and where it was written. */
    private String origin(String[] names) {
        String name = winner(names);
        return name + vars.origin(name).map(l -> " (" + l + ")").orElse("");
    }

    private void checkDefaultUser(String user, AnsibleConfig.Sourced<String> source) {
        if (!USER_NAME.matcher(user).matches()) {
            throw new InputException(source.origin() + ": `" + user + "` is not a valid user name (letters, digits,"
                    + " `.`, `_`, `-`, `@`; not starting with `-`)");
        }
    }

    private void checkBecomeMethod(String method) {
        if (method != null && !method.equals("sudo")) {
            fail(BECOME_METHOD, "`" + method + "` is not supported (only sudo)");
        }
    }

    private Duration seconds(String text, String[] names) {
        if (!text.strip().matches("[0-9]{1,9}") || Long.parseLong(text.strip()) == 0) {
            fail(names, "`" + text + "` is not a timeout (a whole number of seconds, at least 1)");
        }
        return Duration.ofSeconds(Long.parseLong(text.strip()));
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
        String timeout = literalText(TIMEOUT);
        if (timeout != null) {
            seconds(timeout, TIMEOUT);
        }
        Object checking = literal(HOST_KEY_CHECKING);
        if (checking != null) {
            bool(checking, HOST_KEY_CHECKING);
        }
        for (String[] names : new String[][] {KEY, COMMON_ARGS, EXTRA_ARGS, SSH_ARGS, KNOWN_HOSTS, BECOME_METHOD, BECOME_PASSWORD}) {
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
            return value instanceof Boolean ? fail(names, "expected text, found the boolean " + value
                    + " (YAML reads an unquoted yes/no/on/off as a boolean); quote it if you meant the word")
                    : value.toString();
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
        String problem = SshAddress.problem(address);
        if (problem != null) {
            fail(names, "`" + address + "` is not a valid IP address or hostname: " + problem);
        }
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
