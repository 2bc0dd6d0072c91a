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
 * Turns what the inventory says about one host ({@link SshHost}, resolved there once) into an
 * {@link SshTarget}. For every setting the first source that has it wins:
 * <ol>
 *   <li>what the inventory set (a {@code null} in {@link SshHost} is "not set", never a default);</li>
 *   <li>the ssh(1) options the inventory gives ({@link SshHost#args()});</li>
 *   <li>the user's {@code ~/.ssh/config}, looked up with the inventory's address or else its name —
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
    private final java.util.Set<String> warnedNoChecking = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The run-wide defaults and CLI choices.
     *
     * @param becomePassword the password asked once at start (--ask-become-pass), or {@code null}
     * @param hostKeyPolicyForced the policy was given on the command line: it wins over StrictHostKeyChecking
     *                            in the inventory's args and ssh_config (else the loop "run with
     *                            --host-key-policy accept-new" → still refused would never end)
     * @param agentSocket    {@code $SSH_AUTH_SOCK}, or {@code null}: the agent offered unless IdentityAgent says otherwise
     */
    public record Defaults(String localUser, Path home, HostKeyPolicy hostKeyPolicy, Duration connectTimeout,
                           Duration commandTimeout, Duration keepAlive, char[] becomePassword,
                           boolean hostKeyPolicyForced, Path agentSocket) {

        public Defaults(String localUser, Path home, HostKeyPolicy hostKeyPolicy, Duration connectTimeout,
                        Duration commandTimeout, Duration keepAlive, char[] becomePassword) {
            this(localUser, home, hostKeyPolicy, connectTimeout, commandTimeout, keepAlive, becomePassword, false, null);
        }

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
                    + ", keepAlive=" + keepAlive + ", becomePassword=" + (becomePassword == null ? "none" : "***")
                    + ", hostKeyPolicyForced=" + hostKeyPolicyForced + ", agentSocket=" + agentSocket + "]";
        }
    }

    public SshSettingsResolver(OpenSshConfig config, Defaults defaults, Consumer<String> warnings) {
        this.config = config;
        this.defaults = defaults;
        this.warnings = warnings;
    }

    /** Resolves where and how to reach {@code host}: what its inventory set, then args, ssh_config, defaults. */
    public SshTarget resolve(SshHost host) {
        return resolve(host, new java.util.HashMap<>());
    }

    /**
     * The target and, for the settings the inventory layer left open ({@code address}, {@code port},
     * {@code user}, {@code identity_files}, {@code known_hosts}, {@code host_key_policy}, {@code agent},
     * {@code timeout}, {@code jump}), where their value came from: an option in an ssh args variable or
     * ansible.cfg line, ssh_config, the command line or the default. For {@code cutover inventory --host}.
     */
    public record Explained(SshTarget target, Map<String, String> origins) {
    }

    public Explained explain(SshHost host) {
        Map<String, String> origins = new java.util.LinkedHashMap<>();
        SshTarget target = resolve(host, origins);
        return new Explained(target, origins);
    }

    private SshTarget resolve(SshHost host, Map<String, String> origins) {
        String name = host.name();
        SshArgs args = new SshArgs();
        Map<String, String> argSource = new java.util.HashMap<>();
        for (SshHost.Args written : host.args()) {
            SshArgs more = SshArgs.parse(name, written.source(), written.text(), warnings);
            more.options.forEach((k, v) -> {
                if (args.options.putIfAbsent(k, v) == null) {
                    argSource.put(k, written.source());
                }
            });
            args.identityFiles.addAll(more.identityFiles);
        }

        String alias = host.address();
        OpenSshConfig.HostConfig cfg = config.lookup(alias);
        String address = first(args.options.get("hostname"), cfg.get("hostname")).map(h -> h.replace("%h", alias))
                .orElse(alias);
        int port = host.port() != null ? host.port()
                : port(name, first(args.options.get("port"), cfg.get("port")).orElse("22"));
        String user = Optional.ofNullable(host.user())
                .or(() -> first(args.options.get("user"), cfg.get("user"))).orElse(defaults.localUser());
        Tokens tokens = new Tokens(defaults.home(), alias, address, port, user, defaults.localUser());

        List<Path> identities = new ArrayList<>();
        Optional.ofNullable(host.identityFile()).ifPresent(k -> identities.add(tokens.path(k.toString())));
        args.identityFiles.forEach(k -> identities.add(tokens.path(k)));
        List<Path> explicit = List.copyOf(identities);
        cfg.identityFiles().forEach(k -> identities.add(tokens.path(k)));
        if (identities.isEmpty()) {
            identities.addAll(defaultIdentities());
        }

        Path knownHosts = Optional.ofNullable(host.knownHosts()).map(Path::toString)
                .or(() -> first(args.options.get("userknownhostsfile"), cfg.get("userknownhostsfile"))
                        .map(f -> CommandLineWords.split(f).get(0)))
                .map(tokens::path).orElse(defaults.home().resolve(".ssh/known_hosts"));
        HostKeyPolicy policy = defaults.hostKeyPolicyForced() ? defaults.hostKeyPolicy()
                : first(args.options.get("stricthostkeychecking"), cfg.get("stricthostkeychecking"))
                        .map(p -> policy(name, p)).orElse(defaults.hostKeyPolicy());
        Optional<String> identityAgent = first(args.options.get("identityagent"), cfg.get("identityagent"));
        // not Optional.map: IdentityAgent none resolves to null, which must not fall back to $SSH_AUTH_SOCK
        Path agent = identityAgent.isPresent() ? agent(name, identityAgent.get(), tokens) : defaults.agentSocket();
        Duration connectTimeout = Optional.ofNullable(host.connectTimeout())
                .or(() -> first(args.options.get("connecttimeout"), cfg.get("connecttimeout"))
                        .map(s -> seconds(name, "ConnectTimeout", s))).orElse(defaults.connectTimeout());
        Duration keepAlive = first(args.options.get("serveraliveinterval"), cfg.get("serveraliveinterval"))
                .map(s -> seconds(name, "ServerAliveInterval", s)).orElse(defaults.keepAlive());

        SshTarget jump = first(args.options.get("proxyjump"), cfg.get("proxyjump"))
                .filter(j -> !j.equalsIgnoreCase("none"))
                .map(j -> jumpChain(name, j, explicit, knownHosts, policy, connectTimeout, keepAlive, agent)).orElse(null);
        OptionOrigin where = (option, fallback) -> args.options.containsKey(option)
                ? "-o " + option + " in " + argSource.get(option)
                : cfg.get(option) != null ? "ssh_config (" + option + ")" : fallback;
        origins.put("address", where.of("hostname", "the inventory"));
        origins.put("port", host.port() != null ? "the inventory" : where.of("port", "default"));
        origins.put("user", host.user() != null ? "the inventory" : where.of("user", "default (local user)"));
        origins.put("identity_files", host.identityFile() != null || !args.identityFiles.isEmpty() ? "the inventory"
                + (cfg.identityFiles().isEmpty() ? "" : ", then ssh_config") : !cfg.identityFiles().isEmpty()
                ? "ssh_config (identityfile)" : "default");
        origins.put("known_hosts", host.knownHosts() != null ? "the inventory" : where.of("userknownhostsfile", "default"));
        origins.put("host_key_policy", defaults.hostKeyPolicyForced() ? "--host-key-policy"
                : where.of("stricthostkeychecking", "default"));
        origins.put("agent", args.options.containsKey("identityagent") || cfg.get("identityagent") != null
                ? where.of("identityagent", "") : agent != null ? "$SSH_AUTH_SOCK" : "none (SSH_AUTH_SOCK is not set)");
        origins.put("timeout", host.connectTimeout() != null ? "the inventory" : where.of("connecttimeout", "default"));
        if (jump != null) {
            origins.put("jump", where.of("proxyjump", ""));
        }
        try {
            return new SshTarget(name, address, port, user, identities, knownHosts, policy, jump,
                    become(name, host.become(), user), connectTimeout, defaults.commandTimeout(), keepAlive, agent);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(name, e.getMessage());
        }
    }

    private interface OptionOrigin {
        String of(String option, String fallback);
    }

    private Become become(String host, SshHost.Privilege privilege, String loginUser) {
        if (privilege == null || privilege.user().equals(loginUser)) {
            return Become.none();
        }
        try {
            if (privilege.password() != null) {
                return Become.sudoWithPassword(privilege.user(), privilege.password());
            }
            if (defaults.becomePassword() != null) {
                return Become.sudoWithPassword(privilege.user(), defaults.becomePassword());
            }
            return Become.sudo(privilege.user());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(host, "become: " + e.getMessage());
        }
    }

    /** {@code [user@]host[:port]} hops, comma separated, first hop first; each hop's settings from the config. */
    private SshTarget jumpChain(String name, String spec, List<Path> explicitKeys, Path knownHosts,
                                HostKeyPolicy policy, Duration connectTimeout, Duration keepAlive, Path agent) {
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
                        connectTimeout, defaults.commandTimeout(), keepAlive, agent);
            } catch (IllegalArgumentException e) {
                throw new SettingsException(name, "ProxyJump '" + spec + "': " + e.getMessage());
            }
        }
        return previous;
    }

    /**
     * ssh_config's IdentityAgent: {@code none} (no agent), {@code SSH_AUTH_SOCK} or {@code $SSH_AUTH_SOCK}
     * (the environment's socket), or a socket path ({@code ~} and {@code %} tokens expanded).
     */
    private Path agent(String host, String value, Tokens tokens) {
        String v = CommandLineWords.split(value).isEmpty() ? "" : CommandLineWords.split(value).get(0);
        if (v.equalsIgnoreCase("none")) {
            return null;
        }
        if (v.equals("SSH_AUTH_SOCK") || v.equals("$SSH_AUTH_SOCK") || v.equals("${SSH_AUTH_SOCK}")) {
            return defaults.agentSocket();
        }
        if (v.startsWith("$")) {
            warnings.accept(host + ": IdentityAgent " + v + ": only $SSH_AUTH_SOCK is read from the environment;"
                    + " using $SSH_AUTH_SOCK");
            return defaults.agentSocket();
        }
        return tokens.path(v);
    }

    private List<Path> defaultIdentities() {
        Path ssh = defaults.home().resolve(".ssh");
        return List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_ecdsa"), ssh.resolve("id_rsa"));
    }

    private HostKeyPolicy policy(String host, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("no") || v.equals("off")) {
            // once per run, not per host and per resolve: host_key_checking = False in ansible.cfg applies to all
            if (warnedNoChecking.add(v)) {
                warnings.accept(host + " (and every other host where it is set): StrictHostKeyChecking=" + value
                        + " is not honoured (cutover never trusts silently); using accept-new, which still refuses"
                        + " changed keys");
            }
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
