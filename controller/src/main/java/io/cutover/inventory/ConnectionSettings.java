package io.cutover.inventory;

import io.cutover.ssh.SshHost;
import io.cutover.yaml.InputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one host over SSH, resolved once from its merged vars with Ansible's names and
 * precedence (when both are set, {@code ansible_ssh_*} wins over the short form, as in Ansible).
 * A {@code null} means the inventory does not set it: the SSH layer then takes it from the ssh
 * options, ssh_config or its defaults ({@link #sshHost()}), so a default is never mistaken for a
 * value the inventory chose.
 * <ul>
 * <li>{@code address}: {@code ansible_ssh_host} / {@code ansible_host}, else the inventory name;</li>
 * <li>{@code port}: {@code ansible_ssh_port} / {@code ansible_port}, else null;</li>
 * <li>{@code user}: {@code ansible_ssh_user} / {@code ansible_user} / {@code ansible_remote_user}, else null;</li>
 * <li>{@code privateKeyFile}: {@code ansible_ssh_private_key_file} / {@code ansible_private_key_file}, {@code ~/} expanded;</li>
 * <li>{@code become}: {@code ansible_become} (Ansible booleans: yes/no, true/false, on/off, 1/0…), default false;
 *     {@code becomeUser}: {@code ansible_sudo_user} / {@code ansible_become_user}, default {@code root};
 *     {@code becomePassword}: {@code ansible_become_password} / {@code ansible_become_pass} (a secret, not in
 *     {@link #toString()}); {@code ansible_become_method} must be {@code sudo};</li>
 * <li>{@code sshCommonArgs}, {@code sshExtraArgs}: {@code ansible_ssh_common_args}, {@code ansible_ssh_extra_args},
 *     kept verbatim (null if unset);</li>
 * <li>{@code connectTimeout}: {@code ansible_ssh_timeout} / {@code ansible_timeout} in seconds, else null;</li>
 * <li>{@code knownHosts}: {@code cutover_known_hosts}, a known_hosts file for this host (null: the SSH layer's default).</li>
 * </ul>
 * A value written as {@code "{{ other_var }}"} is replaced by that var (also {@code inventory_hostname});
 * any other Jinja expression is refused, since cutover does not evaluate Jinja.
 */
public record ConnectionSettings(String host, String address, Integer port, String user, Path privateKeyFile,
        boolean become, String becomeUser, String becomePassword, String sshCommonArgs, String sshExtraArgs,
        Duration connectTimeout, Path knownHosts, List<SshHost.Args> args, Map<String, String> origins) {

    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_BECOME_USER = "root";

    public ConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(becomeUser, "becomeUser");
        args = List.copyOf(args);
        origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    }

    /** Settings from the inventory alone: its common args, then its extra args; no origins recorded. */
    public ConnectionSettings(String host, String address, Integer port, String user, Path privateKeyFile,
            boolean become, String becomeUser, String becomePassword, String sshCommonArgs, String sshExtraArgs,
            Duration connectTimeout, Path knownHosts) {
        this(host, address, port, user, privateKeyFile, become, becomeUser, becomePassword, sshCommonArgs, sshExtraArgs,
                connectTimeout, knownHosts, inventoryArgs(sshCommonArgs, sshExtraArgs), Map.of());
    }

    private static List<SshHost.Args> inventoryArgs(String common, String extra) {
        List<SshHost.Args> args = new ArrayList<>();
        if (common != null) {
            args.add(new SshHost.Args(ConnectionResolver.COMMON_ARGS[0], common));
        }
        if (extra != null) {
            args.add(new SshHost.Args(ConnectionResolver.EXTRA_ARGS[0], extra));
        }
        return args;
    }

    /**
     * Where a setting came from ({@code user}, {@code port}, {@code private_key_file}, {@code become},
     * {@code become_user}, {@code timeout}, {@code address}, {@code known_hosts}): a var and its file:line,
     * a command-line flag, an environment variable or an ansible.cfg line; empty when nothing set it.
     */
    public Optional<String> origin(String setting) {
        return Optional.ofNullable(origins.get(setting));
    }

    public Optional<String> userIfSet() {
        return Optional.ofNullable(user);
    }

    /** The port to show when the inventory sets none (the SSH layer may still take one from ssh_config). */
    public int portOrDefault() {
        return port == null ? DEFAULT_PORT : port;
    }

    /** The SSH layer's view of these settings: what is unset here stays unset there. */
    public SshHost sshHost() {
        SshHost.Privilege privilege = become
                ? new SshHost.Privilege(becomeUser, becomePassword == null ? null : becomePassword.toCharArray()) : null;
        return new SshHost(host, address, port, user, privateKeyFile, knownHosts, args, connectTimeout, privilege);
    }

    @Override
    public String toString() {
        return "ConnectionSettings[host=" + host + ", address=" + address + ", port=" + port + ", user=" + user
                + ", privateKeyFile=" + privateKeyFile + ", become=" + become + ", becomeUser=" + becomeUser
                + ", becomePassword=" + (becomePassword == null ? "none" : "***") + ", sshCommonArgs=" + sshCommonArgs
                + ", sshExtraArgs=" + sshExtraArgs + ", connectTimeout=" + connectTimeout + ", knownHosts=" + knownHosts
                + ", args=" + args + ", origins=" + origins + "]";
    }

    /** Resolves and validates; every problem is an {@link InputException} naming where the var was set. */
    static ConnectionSettings of(HostVars vars, ConnectionDefaults defaults) {
        return new ConnectionResolver(vars, defaults).resolve();
    }

    /** Checks only the connection vars written as literals: Jinja expressions are left for connect time. */
    static void checkLiterals(HostVars vars) {
        new ConnectionResolver(vars, ConnectionDefaults.NONE).checkLiterals();
    }
}
