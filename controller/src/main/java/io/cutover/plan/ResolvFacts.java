package io.cutover.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who owns /etc/resolv.conf on one host and what that owner is configured to do, from the helper's
 * facts, parsed once. cutover changes resolv.conf through its owner so that the owner's next
 * rewrite keeps 127.0.0.1; plan, preflight, the helper call and {@code check} all read this.
 *
 * @param ownerName the owner as the helper names it, or {@code null} offline (facts not gathered)
 * @param ownerFile the configuration file of the owner the helper installs, with today's content
 * @param state     the owner's own state as facts report it (see the accessors)
 * @param linkTarget where /etc/resolv.conf points when it is a symlink
 */
public record ResolvFacts(String ownerName, Optional<OwnerFile> ownerFile, Map<?, ?> state, Optional<String> linkTarget) {

    /** The owners cutover knows, by the name the helper reports. */
    public enum Owner {
        NONE("none"),
        DHCLIENT("dhclient"),
        RESOLVCONF("resolvconf"),
        NETWORK_MANAGER("NetworkManager"),
        SYSTEMD_RESOLVED("systemd-resolved");

        private final String factName;

        Owner(String factName) {
            this.factName = factName;
        }

        public String factName() {
            return factName;
        }

        static Optional<Owner> of(String factName) {
            for (Owner owner : values()) {
                if (owner.factName.equals(factName)) {
                    return Optional.of(owner);
                }
            }
            return Optional.empty();
        }

        /** Configured through systemd (a reload, a unit): refused on hosts without it. */
        public boolean needsSystemd() {
            return this == RESOLVCONF || this == NETWORK_MANAGER || this == SYSTEMD_RESOLVED;
        }

        /** Writes resolv.conf itself later (a lease, a record change): its bytes are the owner's, not ours. */
        public boolean rewritesResolvConf() {
            return this == DHCLIENT || this == RESOLVCONF;
        }

        /** cutover writes resolv.conf (for resolvconf, Debian's named-resolvconf unit makes resolvconf do it). */
        public boolean writtenByCutover() {
            return this != RESOLVCONF;
        }
    }

    /** The owner's configuration file as the helper will install it, and as the host has it now. */
    public record OwnerFile(String path, String content, CurrentFile current) {

        public OwnerFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(current, "current");
        }
    }

    public static final ResolvFacts OFFLINE = new ResolvFacts(null, Optional.empty(), Map.of(), Optional.empty());

    public ResolvFacts {
        Objects.requireNonNull(ownerFile, "ownerFile");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(linkTarget, "linkTarget");
    }

    /** The unit Debian's bind9 ships to register 127.0.0.1 with resolvconf. */
    public static final String NAMED_RESOLVCONF_UNIT = "named-resolvconf.service";

    /** From the facts tree; {@link #OFFLINE} when it is not one (an offline plan's placeholder). */
    public static ResolvFacts of(Object facts) {
        if (!(facts instanceof Map<?, ?> tree)) {
            return OFFLINE;
        }
        Map<?, ?> resolv = map(tree.get("resolv_conf"));
        Optional<OwnerFile> file = Optional.ofNullable(resolv.get("owner_file")).filter(Map.class::isInstance).map(ResolvFacts::map)
                .map(f -> new OwnerFile(text(f.get("path")), text(f.get("content")),
                        f.get("current") == null ? CurrentFile.ABSENT : CurrentFile.of(text(f.get("current")))));
        Optional<String> link = Boolean.TRUE.equals(resolv.get("symlink")) ? Optional.ofNullable(text(resolv.get("real_path")))
                : Optional.empty();
        return new ResolvFacts(Objects.requireNonNullElse(text(resolv.get("manager")), "none"), file, map(resolv.get("owner_state")), link);
    }

    public boolean offline() {
        return ownerName == null;
    }

    /** The owner, when cutover knows it (empty offline, and for an owner name it does not know). */
    public Optional<Owner> owner() {
        return ownerName == null ? Optional.empty() : Owner.of(ownerName);
    }

    /** NetworkManager's effective {@code [main] dns=}. */
    public String networkManagerDns() {
        return text(state.get("dns"));
    }

    /** systemd-resolved's global servers. */
    public List<?> resolvedGlobalDns() {
        return state.get("global_dns") instanceof List<?> l ? l : List.of();
    }

    /** A systemd unit's state: {@code unitFileState} enabled, disabled…; {@code activeState} active, inactive… */
    public record UnitState(String unitFileState, String activeState) {

        /** "enabled/active". */
        public String describe() {
            return unitFileState + "/" + activeState;
        }
    }

    /** named-resolvconf.service as systemd has it, when it is loaded. */
    public Optional<UnitState> namedResolvconfUnit() {
        Map<?, ?> unit = map(state.get("unit"));
        return unit.isEmpty() ? Optional.empty()
                : Optional.of(new UnitState(text(unit.get("unit_file_state")), text(unit.get("active_state"))));
    }

    /** resolvconf truncates the server list after the first loopback address (Debian's default). */
    public boolean resolvconfTruncates() {
        return !Boolean.FALSE.equals(state.get("truncates_after_loopback"));
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
