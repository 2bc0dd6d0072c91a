package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The settings of ansible.cfg and of the {@code ANSIBLE_*} environment that cutover honours, found and
 * read as ansible-core 2.14 does (config/manager.py, the ssh connection plugin's option table):
 * <ul>
 * <li>the file: {@code $ANSIBLE_CONFIG} (a directory means its ansible.cfg), else {@code ./ansible.cfg}
 *     (skipped, with a warning, when the working directory is world-writable), else {@code ~/.ansible.cfg},
 *     else {@code /etc/ansible/ansible.cfg}; the first that exists is the only one read;</li>
 * <li>an environment variable wins over the file; where Ansible lists several keys or variables for one
 *     setting, the last one set wins, as in Ansible;</li>
 * <li>relative paths in the file are relative to the file's directory, in the environment to the working
 *     directory; {@code ~} is expanded.</li>
 * </ul>
 * A key cutover does not use is ignored, as Ansible ignores keys it does not know; a value cutover uses
 * that cannot be right is an {@link InputException} naming the file, line and key (or the variable).
 */
public final class AnsibleConfig {

    /** A value and where it was set, for {@code cutover inventory --host}: "ansible.cfg:4 [defaults] forks". */
    public record Sourced<T>(T value, String origin) {
    }

    private record Ini(String section, String key) {
    }

    private record Key<T>(String name, List<String> env, List<Ini> ini, Function<Raw, T> type) {
    }

    /** A raw text with where it came from, given to a key's type to check and convert. */
    private record Raw(String text, String origin, Location location, String key, Path baseDir, Path home) {
        InputException bad(String why) {
            return location == null ? new InputException(origin + ": " + why)
                    : new InputException(location, key, why);
        }
    }

    private static final Key<List<Path>> INVENTORY = new Key<>("inventory", List.of("ANSIBLE_INVENTORY"),
            List.of(new Ini("defaults", "hostfile"), new Ini("defaults", "inventory")), AnsibleConfig::pathList);
    private static final Key<String> REMOTE_USER = new Key<>("remote_user", List.of("ANSIBLE_REMOTE_USER"),
            List.of(new Ini("defaults", "remote_user")), AnsibleConfig::text);
    private static final Key<Integer> REMOTE_PORT = new Key<>("remote_port", List.of("ANSIBLE_REMOTE_PORT"),
            List.of(new Ini("defaults", "remote_port")), r -> integer(r, 1, 65535));
    private static final Key<Path> PRIVATE_KEY_FILE = new Key<>("private_key_file", List.of("ANSIBLE_PRIVATE_KEY_FILE"),
            List.of(new Ini("defaults", "private_key_file")), AnsibleConfig::path);
    private static final Key<Integer> FORKS = new Key<>("forks", List.of("ANSIBLE_FORKS"),
            List.of(new Ini("defaults", "forks")), r -> integer(r, 1, 1000));
    private static final Key<Boolean> HOST_KEY_CHECKING = new Key<>("host_key_checking",
            List.of("ANSIBLE_HOST_KEY_CHECKING", "ANSIBLE_SSH_HOST_KEY_CHECKING"),
            List.of(new Ini("defaults", "host_key_checking"), new Ini("ssh_connection", "host_key_checking")),
            AnsibleConfig::bool);
    private static final Key<Duration> TIMEOUT = new Key<>("timeout", List.of("ANSIBLE_TIMEOUT", "ANSIBLE_SSH_TIMEOUT"),
            List.of(new Ini("defaults", "timeout"), new Ini("ssh_connection", "timeout")),
            r -> Duration.ofSeconds(integer(r, 1, 86_400)));
    private static final Key<Boolean> BECOME = new Key<>("become", List.of("ANSIBLE_BECOME"),
            List.of(new Ini("privilege_escalation", "become")), AnsibleConfig::bool);
    private static final Key<String> BECOME_USER = new Key<>("become_user", List.of("ANSIBLE_BECOME_USER"),
            List.of(new Ini("privilege_escalation", "become_user")), AnsibleConfig::text);
    private static final Key<String> BECOME_METHOD = new Key<>("become_method", List.of("ANSIBLE_BECOME_METHOD"),
            List.of(new Ini("privilege_escalation", "become_method")), AnsibleConfig::sudoOnly);
    private static final Key<String> SSH_ARGS = new Key<>("ssh_args", List.of("ANSIBLE_SSH_ARGS"),
            List.of(new Ini("ssh_connection", "ssh_args")), AnsibleConfig::text);
    private static final Key<String> SSH_COMMON_ARGS = new Key<>("ssh_common_args", List.of("ANSIBLE_SSH_COMMON_ARGS"),
            List.of(new Ini("ssh_connection", "ssh_common_args")), AnsibleConfig::text);
    private static final Key<String> SSH_EXTRA_ARGS = new Key<>("ssh_extra_args", List.of("ANSIBLE_SSH_EXTRA_ARGS"),
            List.of(new Ini("ssh_connection", "ssh_extra_args")), AnsibleConfig::text);

    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t", "1.0");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f", "0.0");

    private final Path file;
    private final PyConfigParser ini;
    private final Map<String, String> env;
    private final Path cwd;
    private final Path home;

    private AnsibleConfig(Path file, PyConfigParser ini, Map<String, String> env, Path cwd, Path home) {
        this.file = file;
        this.ini = ini;
        this.env = Map.copyOf(env);
        this.cwd = cwd;
        this.home = home;
    }

    /** Nothing set anywhere: what a run sees with no ansible.cfg and no ANSIBLE_* variable. */
    public static AnsibleConfig none() {
        return new AnsibleConfig(null, null, Map.of(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Finds and reads ansible.cfg for a process with environment {@code env}, working directory {@code cwd}
     * and home {@code home}; then checks every value cutover uses, so that a bad one stops the command before
     * anything else happens.
     */
    public static AnsibleConfig load(Map<String, String> env, Path cwd, Path home, Consumer<String> warnings) {
        Optional<Path> found = find(env, cwd, home, warnings);
        PyConfigParser parsed = null;
        if (found.isPresent()) {
            parsed = PyConfigParser.parse(found.get(), read(found.get()));
        }
        AnsibleConfig config = new AnsibleConfig(found.orElse(null), parsed, env, cwd, home);
        for (Key<?> key : List.of(INVENTORY, REMOTE_USER, REMOTE_PORT, PRIVATE_KEY_FILE, FORKS, HOST_KEY_CHECKING,
                TIMEOUT, BECOME, BECOME_USER, BECOME_METHOD, SSH_ARGS, SSH_COMMON_ARGS, SSH_EXTRA_ARGS)) {
            config.get(key);
        }
        return config;
    }

    /** Ansible's search: $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg; first found wins. */
    static Optional<Path> find(Map<String, String> env, Path cwd, Path home, Consumer<String> warnings) {
        List<Path> candidates = new ArrayList<>();
        String fromEnv = env.get("ANSIBLE_CONFIG");
        if (fromEnv != null) {
            Path path = cwd.resolve(expandHome(fromEnv, home));
            candidates.add(Files.isDirectory(path) ? path.resolve("ansible.cfg") : path);
        }
        Path local = cwd.resolve("ansible.cfg");
        if (worldWritable(cwd)) {
            if (Files.exists(local)) {
                warnings.accept("ignoring " + local + ": the working directory is world-writable, so anyone could have"
                        + " written it (Ansible ignores it too); set ANSIBLE_CONFIG=" + local + " to use it");
            }
        } else {
            candidates.add(local);
        }
        candidates.add(home.resolve(".ansible.cfg"));
        candidates.add(Path.of("/etc/ansible/ansible.cfg"));
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isReadable(p)).findFirst()
                .map(p -> p.toAbsolutePath().normalize());
    }

    /** The ansible.cfg that was read, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public Optional<Sourced<List<Path>>> inventory() {
        return get(INVENTORY);
    }

    public Optional<Sourced<String>> remoteUser() {
        return get(REMOTE_USER);
    }

    public Optional<Sourced<Integer>> remotePort() {
        return get(REMOTE_PORT);
    }

    public Optional<Sourced<Path>> privateKeyFile() {
        return get(PRIVATE_KEY_FILE);
    }

    public Optional<Sourced<Integer>> forks() {
        return get(FORKS);
    }

    public Optional<Sourced<Boolean>> hostKeyChecking() {
        return get(HOST_KEY_CHECKING);
    }

    public Optional<Sourced<Duration>> timeout() {
        return get(TIMEOUT);
    }

    public Optional<Sourced<Boolean>> become() {
        return get(BECOME);
    }

    public Optional<Sourced<String>> becomeUser() {
        return get(BECOME_USER);
    }

    public Optional<Sourced<String>> sshArgs() {
        return get(SSH_ARGS);
    }

    public Optional<Sourced<String>> sshCommonArgs() {
        return get(SSH_COMMON_ARGS);
    }

    public Optional<Sourced<String>> sshExtraArgs() {
        return get(SSH_EXTRA_ARGS);
    }

    /** The environment first (the last of its names that is set), then the file (its last entry that is set). */
    private <T> Optional<Sourced<T>> get(Key<T> key) {
        Raw raw = null;
        for (String name : key.env()) {
            String value = env.get(name);
            if (value != null) {
                raw = new Raw(value, "environment variable " + name, null, name, cwd, home);
            }
        }
        if (raw == null && ini != null) {
            for (Ini entry : key.ini()) {
                Optional<PyConfigParser.Entry> value = ini.get(entry.section(), entry.key());
                if (value.isPresent()) {
                    raw = new Raw(value.get().value(), file + ":" + value.get().line() + " [" + entry.section() + "] "
                            + entry.key(), new Location(file, value.get().line(), 0), "[" + entry.section() + "] "
                            + entry.key(), file.getParent(), home);
                }
            }
        }
        if (raw == null) {
            return Optional.empty();
        }
        return Optional.of(new Sourced<>(key.type().apply(raw), raw.origin()));
    }

    private static String text(Raw raw) {
        if (raw.text().indexOf('\0') >= 0) {
            throw raw.bad("contains a NUL byte");
        }
        return raw.text();
    }

    private static String sudoOnly(Raw raw) {
        if (!raw.text().strip().equals("sudo")) {
            throw raw.bad("`" + raw.text() + "` is not supported: cutover becomes root with sudo only");
        }
        return "sudo";
    }

    private static int integer(Raw raw, int min, int max) {
        String text = raw.text().strip();
        if (!text.matches("[+-]?[0-9]{1,9}")) {
            throw raw.bad("`" + raw.text() + "` is not a whole number");
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw raw.bad(value + " is out of range (" + min + "-" + max + ")");
        }
        return value;
    }

    /** Ansible's booleans; where Ansible takes anything else for false, cutover refuses it. */
    private static boolean bool(Raw raw) {
        String text = raw.text().strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw raw.bad("`" + raw.text() + "` is not a boolean (Ansible would take it for False); write True or False");
    }

    private static Path path(Raw raw) {
        String text = raw.text().strip();
        if (text.isEmpty() || text.indexOf('\0') >= 0) {
            throw raw.bad("`" + raw.text() + "` is not a file path");
        }
        return raw.baseDir().resolve(expandHome(text, raw.home())).normalize();
    }

    /** Ansible's pathlist: comma separated, each a path, empty parts dropped. */
    private static List<Path> pathList(Raw raw) {
        List<Path> paths = new ArrayList<>();
        for (String part : raw.text().split(",")) {
            if (!part.isBlank()) {
                paths.add(path(new Raw(part, raw.origin(), raw.location(), raw.key(), raw.baseDir(), raw.home())));
            }
        }
        if (paths.isEmpty()) {
            throw raw.bad("names no inventory");
        }
        return paths;
    }

    private static String expandHome(String path, Path home) {
        if (path.equals("~")) {
            return home.toString();
        }
        return path.startsWith("~/") ? home + path.substring(1) : path;
    }

    private static boolean worldWritable(Path dir) {
        try {
            return Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(Location.of(file), "is not UTF-8 text (Ansible refuses it too)");
        } catch (IOException e) {
            throw new InputException(Location.of(file), "cannot read it: " + e.getMessage());
        }
    }
}
