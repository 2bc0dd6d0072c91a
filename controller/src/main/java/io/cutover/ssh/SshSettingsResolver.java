package io.cutover.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns one inventory host's variables into an {@link SshTarget}. For every setting the first source
 * that has it wins:
 * <ol>
 *   <li>the explicit inventory variables ({@code ansible_host}, {@code ansible_port}, {@code ansible_user},
 *       {@code ansible_ssh_private_key_file}, {@code ansible_become*}, {@code cutover_known_hosts}…);</li>
 *   <li>options inside {@code ansible_ssh_common_args} / {@code ansible_ssh_extra_args};</li>
 *   <li>the user's {@code ~/.ssh/config}, looked up with {@code ansible_host} or else the inventory name —
 *       so, as with ssh, a {@code HostName} there translates that name;</li>
 *   <li>the defaults: port 22, the local user, {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa},
 *       {@code ~/.ssh/known_hosts}, and the run's host-key policy and timeouts.</li>
 * </ol>
 * Identity files accumulate instead: explicit ones first, then the config's; the defaults only when
 * neither names one. Warnings (ignored options) go to the sink given to the constructor.
 */
public final class SshSettingsResolver {
    private final OpenSshConfig config;
    private final Defaults defaults;
    private final Consumer<String> warnings;

    /**
     * The run-wide defaults and CLI choices.
     *
     * @param becomePassword the password asked once at start (--ask-become-pass), or {@code null}
     */
    public record Defaults(String localUser, Path home, HostKeyPolicy hostKeyPolicy, Duration connectTimeout,
                           Duration commandTimeout, Duration keepAlive, char[] becomePassword) {
        public Defaults {
            if (localUser == null || localUser.isBlank()) {
                throw new IllegalArgumentException("local user is unknown");
            }
            becomePassword = becomePassword == null ? null : becomePassword.clone();
        }

        /** Strict host keys, 10 s to connect, 5 min per command, keep-alive every 15 s, no become password. */
        public static Defaults of(String localUser, Path home) {
            return new Defaults(localUser, home, HostKeyPolicy.STRICT, Duration.ofSeconds(10),
                    Duration.ofMinutes(5), Duration.ofSeconds(15), null);
        }

        @Override
        public String toString() {
            return "Defaults[localUser=" + localUser + ", home=" + home + ", hostKeyPolicy=" + hostKeyPolicy
                    + ", connectTimeout=" + connectTimeout + ", commandTimeout=" + commandTimeout
                    + ", keepAlive=" + keepAlive + ", becomePassword=" + (becomePassword == null ? "none" : "***") + "]";
        }
    }

    public SshSettingsResolver(OpenSshConfig config, Defaults defaults, Consumer<String> warnings) {
        this.config = config;
        this.defaults = defaults;
        this.warnings = warnings;
    }

    /** Resolves the target of inventory host {@code name} from its merged variables. */
    public SshTarget resolve(String name, Map<String, Object> vars) {
        Vars v = new Vars(name, vars);
        SshArgs args = SshArgs.parse(name, "ansible_ssh_common_args", v.text("ansible_ssh_common_args"), warnings);
        SshArgs extra = SshArgs.parse(name, "ansible_ssh_extra_args", v.text("ansible_ssh_extra_args"), warnings);
        extra.options.forEach(args.options::putIfAbsent);
        args.identityFiles.addAll(extra.identityFiles);

        String alias = v.first("ansible_host", "ansible_ssh_host").orElse(name);
        OpenSshConfig.HostConfig cfg = config.lookup(alias);
        String address = first(args.options.get("hostname"), cfg.get("hostname")).map(h -> h.replace("%h", alias))
                .orElse(alias);
        int port = v.port("ansible_port", "ansible_ssh_port")
                .orElseGet(() -> port(name, first(args.options.get("port"), cfg.get("port")).orElse("22")));
        String user = v.first("ansible_user", "ansible_ssh_user", "ansible_remote_user")
                .or(() -> first(args.options.get("user"), cfg.get("user"))).orElse(defaults.localUser());
        Tokens tokens = new Tokens(defaults.home(), alias, address, port, user, defaults.localUser());

        List<Path> identities = new ArrayList<>();
        v.first("ansible_ssh_private_key_file", "ansible_private_key_file").ifPresent(k -> identities.add(tokens.path(k)));
        args.identityFiles.forEach(k -> identities.add(tokens.path(k)));
        List<Path> explicit = List.copyOf(identities);
        cfg.identityFiles().forEach(k -> identities.add(tokens.path(k)));
        if (identities.isEmpty()) {
            identities.addAll(defaultIdentities());
        }

        Path knownHosts = v.first("cutover_known_hosts").or(() -> first(args.options.get("userknownhostsfile"),
                cfg.get("userknownhostsfile")).map(f -> CommandLineWords.split(f).get(0)))
                .map(tokens::path).orElse(defaults.home().resolve(".ssh/known_hosts"));
        HostKeyPolicy policy = first(args.options.get("stricthostkeychecking"), cfg.get("stricthostkeychecking"))
                .map(p -> policy(name, p)).orElse(defaults.hostKeyPolicy());
        Duration connectTimeout = v.seconds("ansible_ssh_timeout", "ansible_timeout")
                .or(() -> first(args.options.get("connecttimeout"), cfg.get("connecttimeout"))
                        .map(s -> seconds(name, "ConnectTimeout", s))).orElse(defaults.connectTimeout());
        Duration keepAlive = first(args.options.get("serveraliveinterval"), cfg.get("serveraliveinterval"))
                .map(s -> seconds(name, "ServerAliveInterval", s)).orElse(defaults.keepAlive());

        SshTarget jump = first(args.options.get("proxyjump"), cfg.get("proxyjump"))
                .filter(j -> !j.equalsIgnoreCase("none"))
                .map(j -> jumpChain(name, j, explicit, knownHosts, policy, connectTimeout, keepAlive)).orElse(null);
        try {
            return new SshTarget(name, address, port, user, identities, knownHosts, policy, jump,
                    become(v, user), connectTimeout, defaults.commandTimeout(), keepAlive);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(name, e.getMessage());
        }
    }

    private Become become(Vars v, String loginUser) {
        if (!v.bool("ansible_become")) {
            return Become.none();
        }
        String method = v.first("ansible_become_method").orElse("sudo");
        if (!method.equals("sudo")) {
            throw new SettingsException(v.host, "ansible_become_method '" + method + "' is not supported (only sudo)");
        }
        String target = v.first("ansible_become_user").orElse("root");
        if (target.equals(loginUser)) {
            return Become.none();
        }
        Optional<String> inInventory = v.first("ansible_become_password", "ansible_become_pass");
        try {
            if (inInventory.isPresent()) {
                return Become.sudoWithPassword(target, inInventory.get().toCharArray());
            }
            if (defaults.becomePassword() != null) {
                return Become.sudoWithPassword(target, defaults.becomePassword());
            }
            return Become.sudo(target);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(v.host, "become: " + e.getMessage());
        }
    }

    /** {@code [user@]host[:port]} hops, comma separated, first hop first; each hop's settings from the config. */
    private SshTarget jumpChain(String name, String spec, List<Path> explicitKeys, Path knownHosts,
                                HostKeyPolicy policy, Duration connectTimeout, Duration keepAlive) {
        SshTarget previous = null;
        for (String hop : spec.split(",")) {
            JumpSpec js = JumpSpec.parse(name, hop.strip());
            OpenSshConfig.HostConfig cfg = config.lookup(js.host());
            String address = Optional.ofNullable(cfg.get("hostname")).map(h -> h.replace("%h", js.host())).orElse(js.host());
            int port = js.port() > 0 ? js.port() : port(name, Optional.ofNullable(cfg.get("port")).orElse("22"));
            String user = Optional.ofNullable(js.user()).or(() -> Optional.ofNullable(cfg.get("user")))
                    .orElse(defaults.localUser());
            Tokens tokens = new Tokens(defaults.home(), js.host(), address, port, user, defaults.localUser());
            List<Path> keys = new ArrayList<>();
            cfg.identityFiles().forEach(k -> keys.add(tokens.path(k)));
            keys.addAll(explicitKeys);
            keys.addAll(defaultIdentities());
            Path hopKnownHosts = Optional.ofNullable(cfg.get("userknownhostsfile"))
                    .map(f -> tokens.path(CommandLineWords.split(f).get(0))).orElse(knownHosts);
            try {
                previous = new SshTarget(name + " (jump " + js.host() + ")", address, port, user,
                        keys.stream().distinct().toList(), hopKnownHosts, policy, previous, Become.none(),
                        connectTimeout, defaults.commandTimeout(), keepAlive);
            } catch (IllegalArgumentException e) {
                throw new SettingsException(name, "ProxyJump '" + spec + "': " + e.getMessage());
            }
        }
        return previous;
    }

    private List<Path> defaultIdentities() {
        Path ssh = defaults.home().resolve(".ssh");
        return List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_ecdsa"), ssh.resolve("id_rsa"));
    }

    private HostKeyPolicy policy(String host, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("no") || v.equals("off")) {
            warnings.accept(host + ": StrictHostKeyChecking=" + value + " is not honoured (cutover never trusts"
                    + " silently); using accept-new, which still refuses changed keys");
            return HostKeyPolicy.ACCEPT_NEW;
        }
        try {
            return HostKeyPolicy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(host, "StrictHostKeyChecking: " + e.getMessage());
        }
    }

    static int port(String host, String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(host, "port '" + value + "' is not a number between 1 and 65535");
    }

    static Duration seconds(String host, String what, String value) {
        try {
            long s = Long.parseLong(value.strip());
            if (s >= 0) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(host, what + " '" + value + "' is not a whole number of seconds");
    }

    @SafeVarargs
    private static <T> Optional<T> first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
