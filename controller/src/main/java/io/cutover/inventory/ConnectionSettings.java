package io.cutover.inventory;

import io.cutover.yaml.InputException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one host over SSH, resolved from its merged vars with Ansible's names and
 * precedence (when both are set, {@code ansible_ssh_*} wins over the short form, as in Ansible):
 * <ul>
 * <li>{@code address}: {@code ansible_ssh_host} / {@code ansible_host}, else the inventory name;</li>
 * <li>{@code port}: {@code ansible_ssh_port} / {@code ansible_port}, else 22;</li>
 * <li>{@code user}: {@code ansible_ssh_user} / {@code ansible_user}, else null (the SSH layer's default);</li>
 * <li>{@code privateKeyFile}: {@code ansible_ssh_private_key_file} / {@code ansible_private_key_file}, {@code ~/} expanded;</li>
 * <li>{@code become}: {@code ansible_become} (Ansible booleans: yes/no, true/false, on/off, 1/0…), default false;
 *     {@code becomeUser}: {@code ansible_sudo_user} / {@code ansible_become_user}, default {@code root};</li>
 * <li>{@code sshCommonArgs}: {@code ansible_ssh_common_args}, kept verbatim (null if unset);</li>
 * <li>{@code knownHosts}: {@code cutover_known_hosts}, a known_hosts file for this host (null: the SSH layer's default).</li>
 * </ul>
 * A value written as {@code "{{ other_var }}"} is replaced by that var (also {@code inventory_hostname});
 * any other Jinja expression is refused, since cutover does not evaluate Jinja.
 */
public record ConnectionSettings(String host, String address, int port, String user, Path privateKeyFile,
        boolean become, String becomeUser, String sshCommonArgs, Path knownHosts) {

    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_BECOME_USER = "root";

    public ConnectionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(becomeUser, "becomeUser");
    }

    public Optional<String> userIfSet() {
        return Optional.ofNullable(user);
    }

    /** Resolves and validates; every problem is an {@link InputException} naming where the var was set. */
    static ConnectionSettings of(HostVars vars) {
        return new ConnectionResolver(vars).resolve();
    }

    /** Checks only the connection vars written as literals: Jinja expressions are left for connect time. */
    static void checkLiterals(HostVars vars) {
        new ConnectionResolver(vars).checkLiterals();
    }
}
