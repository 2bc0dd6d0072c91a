package io.cutover.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the helper's facts say about BIND as a service on one host, parsed once: the init system,
 * named's systemd unit and its state, and — where BIND is missing — the package apt would install.
 * Plan, preflight and the helper calls all read these, so they cannot disagree on a host.
 *
 * @param init    {@code systemd}, {@code none} (no service manager: a shell or a container's init as
 *                PID 1) or {@code unknown}; {@code null} offline (facts not gathered)
 * @param pid1    the name of PID 1, as the helper read it
 * @param service named's unit, when systemd knows one
 * @param missing the package that would install BIND, when BIND is not installed
 * @param running named runs
 * @param answers named answers on 127.0.0.1:53
 * @param forwarders where the local BIND forwards today
 */
public record BindFacts(String init, String pid1, boolean installed, Optional<Service> service, Optional<Package> missing,
        boolean running, boolean answers, List<String> forwarders) {

    /** named's systemd unit as it is before the change; {@code restarts}: systemd restarts named if it dies. */
    public record Service(String unit, String unitFileState, String activeState, String restart, boolean restarts) {

        public Service {
            Objects.requireNonNull(unit, "unit");
        }
    }

    /** The package that installs BIND and apt's candidate for it ({@code null}: no source has it). */
    public record Package(String manager, String name, String candidate, String source) {

        public Package {
            Objects.requireNonNull(name, "name");
        }

        public boolean installable() {
            return "apt".equals(manager) && candidate != null;
        }
    }

    public BindFacts {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(missing, "missing");
        forwarders = List.copyOf(forwarders);
    }

    /** Facts not gathered (offline plan): every decision is left to the host's facts. */
    public static final BindFacts OFFLINE = new BindFacts(null, null, false, Optional.empty(), Optional.empty(), false, false,
            List.of());

    /** From the facts tree; {@link #OFFLINE} when it is not one (an offline plan's placeholder). */
    public static BindFacts of(Object facts) {
        if (!(facts instanceof Map<?, ?> tree)) {
            return OFFLINE;
        }
        Map<?, ?> init = map(tree.get("init"));
        Map<?, ?> bind = map(tree.get("bind"));
        Optional<Service> service = Optional.ofNullable(bind.get("service")).map(BindFacts::map)
                .map(s -> new Service(text(s.get("unit")), text(s.get("unit_file_state")), text(s.get("active_state")),
                        text(s.get("restart")), Boolean.TRUE.equals(s.get("restarts"))));
        Optional<Package> missing = Optional.ofNullable(bind.get("package")).map(BindFacts::map)
                .map(p -> new Package(text(p.get("manager")), Objects.requireNonNullElse(text(p.get("name")), "bind9"),
                        text(p.get("candidate")), text(p.get("source"))));
        // a helper from before init was reported: no service manager known, as that helper behaved
        String system = init.isEmpty() ? "none" : text(init.get("system"));
        List<String> forwarders = bind.get("forwarders") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        return new BindFacts(system, text(init.get("pid1")), Boolean.TRUE.equals(bind.get("installed")), service, missing,
                Boolean.TRUE.equals(bind.get("running")), Boolean.TRUE.equals(bind.get("listening_127_0_0_1_53")), forwarders);
    }

    public boolean offline() {
        return init == null;
    }

    public boolean systemd() {
        return "systemd".equals(init);
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
