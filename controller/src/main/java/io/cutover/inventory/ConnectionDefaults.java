package io.cutover.inventory;

import io.cutover.inventory.AnsibleConfig.Sourced;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What applies to a host whose inventory vars do not say: the command line (-u, --private-key, -b,
 * --become-user, -T), else the {@code ANSIBLE_*} environment, else ansible.cfg (the caller merges them
 * in that order). As in Ansible, a host's own vars ({@code ansible_user}, {@code ansible_become}, ...)
 * win over all three. Every component may be {@code null}: not set anywhere, so the SSH layer's
 * ssh_config and defaults decide. Each value carries where it was set, for {@code inventory --host}.
 */
public record ConnectionDefaults(Sourced<String> user, Sourced<Integer> port, Sourced<Path> privateKeyFile,
        Sourced<Duration> timeout, Sourced<Boolean> become, Sourced<String> becomeUser, Sourced<String> sshArgs,
        Sourced<Boolean> hostKeyChecking, Sourced<String> sshCommonArgs, Sourced<String> sshExtraArgs) {

    /** Nothing set by the command line, the environment or ansible.cfg. */
    public static final ConnectionDefaults NONE = new ConnectionDefaults(null, null, null, null, null, null, null, null,
            null, null);

    /** The environment and ansible.cfg alone, as {@code config} read them. */
    public static ConnectionDefaults of(AnsibleConfig config) {
        return new ConnectionDefaults(text(config.remoteUser()), config.remotePort().orElse(null),
                config.privateKeyFile().orElse(null), config.timeout().orElse(null), config.become().orElse(null),
                text(config.becomeUser()), text(config.sshArgs()), config.hostKeyChecking().orElse(null),
                text(config.sshCommonArgs()), text(config.sshExtraArgs()));
    }

    /** Ansible's ssh plugin tests these for truth: `remote_user =` with nothing after it sets nothing. */
    private static Sourced<String> text(java.util.Optional<Sourced<String>> value) {
        return value.filter(v -> !v.value().isBlank()).orElse(null);
    }

    /**
     * These defaults as plain data for a run's journal ({@code setting -> {value, origin}}), so that
     * {@code resume} and {@code rollback} reach hosts as the run did, wherever they are started from.
     */
    public Map<String, Map<String, Object>> toRecord() {
        Map<String, Map<String, Object>> record = new LinkedHashMap<>();
        put(record, "user", user);
        put(record, "port", port);
        put(record, "private_key_file", privateKeyFile == null ? null
                : new Sourced<>(privateKeyFile.value().toString(), privateKeyFile.origin()));
        put(record, "timeout_s", timeout == null ? null : new Sourced<>(timeout.value().toSeconds(), timeout.origin()));
        put(record, "become", become);
        put(record, "become_user", becomeUser);
        put(record, "ssh_args", sshArgs);
        put(record, "host_key_checking", hostKeyChecking);
        put(record, "ssh_common_args", sshCommonArgs);
        put(record, "ssh_extra_args", sshExtraArgs);
        return record;
    }

    /** The inverse of {@link #toRecord()}; what a record lacks stays unset. */
    public static ConnectionDefaults fromRecord(Map<String, Map<String, Object>> record) {
        return new ConnectionDefaults(get(record, "user", Object::toString), get(record, "port", v -> ((Number) v).intValue()),
                get(record, "private_key_file", v -> Path.of(v.toString())),
                get(record, "timeout_s", v -> Duration.ofSeconds(((Number) v).longValue())),
                get(record, "become", v -> (Boolean) v), get(record, "become_user", Object::toString),
                get(record, "ssh_args", Object::toString), get(record, "host_key_checking", v -> (Boolean) v),
                get(record, "ssh_common_args", Object::toString), get(record, "ssh_extra_args", Object::toString));
    }

    private static void put(Map<String, Map<String, Object>> record, String key, Sourced<?> value) {
        if (value != null) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("value", value.value());
            entry.put("origin", value.origin());
            record.put(key, entry);
        }
    }

    private static <T> Sourced<T> get(Map<String, Map<String, Object>> record, String key,
            java.util.function.Function<Object, T> type) {
        Map<String, Object> entry = record.get(key);
        if (entry == null || entry.get("value") == null) {
            return null;
        }
        return new Sourced<>(type.apply(entry.get("value")), entry.get("origin") + " (as the run started)");
    }

    /** These defaults under the command line's values: a non-null argument wins, named {@code flag}. */
    public ConnectionDefaults withCommandLine(String user, Path privateKeyFile, boolean become, String becomeUser,
            Duration timeout) {
        return new ConnectionDefaults(user != null ? new Sourced<>(user, "-u/--user") : this.user, port,
                privateKeyFile != null ? new Sourced<>(privateKeyFile.toAbsolutePath().normalize(), "--private-key")
                        : this.privateKeyFile,
                timeout != null ? new Sourced<>(timeout, "-T/--timeout") : this.timeout,
                become ? new Sourced<>(true, "-b/--become") : this.become,
                becomeUser != null ? new Sourced<>(becomeUser, "--become-user") : this.becomeUser,
                sshArgs, hostKeyChecking, sshCommonArgs, sshExtraArgs);
    }
}
