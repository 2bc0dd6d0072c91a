package io.cutover.plan;

import io.cutover.plan.ResolvFacts.Owner;
import java.util.Optional;

/**
 * What pointing resolv.conf at 127.0.0.1 means on one host, in the plan's words: which owner
 * writes the file, what cutover changes in that owner's configuration, and what the undo returns
 * the host to. Pure given the facts; the text and JSON plans both print it.
 */
final class ResolvNotes {

    private ResolvNotes() {
    }

    static String of(ResolvFacts facts) {
        if (facts.offline()) {
            return "through resolv.conf's owner (facts decide): no owner: the file is written; dhclient: an enter hook "
                    + "keeps 127.0.0.1 on every lease; resolvconf: Debian's named-resolvconf.service; NetworkManager: "
                    + "dns=none; systemd-resolved: 127.0.0.1 as its global server and resolv.conf a file naming 127.0.0.1";
        }
        return facts.owner().map(owner -> describe(owner, facts))
                .orElse("resolv.conf is owned by " + facts.ownerName() + ", which cutover does not know (preflight refuses the host)");
    }

    private static String describe(Owner owner, ResolvFacts facts) {
        String file = facts.ownerFile().map(ResolvFacts.OwnerFile::path).orElse("");
        String link = facts.linkTarget().map(t -> " (replacing its symlink to " + t + ")").orElse("");
        return switch (owner) {
            case NONE -> "resolv.conf has no owner: written" + (link.isEmpty() ? "" : " through its symlink to "
                    + facts.linkTarget().get()) + "; undo restores it byte for byte";
            case DHCLIENT -> "dhclient rewrites resolv.conf on every lease: the enter hook " + file + " makes dhclient-script "
                    + "write 127.0.0.1 as the only server (search domains still from DHCP); resolv.conf written now; "
                    + "undo removes the hook and restores the file (the next lease writes the DHCP servers again)";
            case RESOLVCONF -> "resolvconf generates resolv.conf: " + file + " orders " + ResolvFacts.NAMED_RESOLVCONF_UNIT
                    + " before network-online.target (resolv.conf is rebuilt at every boot), systemctl daemon-reload, "
                    + "systemctl enable --now " + ResolvFacts.NAMED_RESOLVCONF_UNIT
                    + " (Debian's bind9 unit: resolvconf -a lo.named with nameserver 127.0.0.1, listed first and the list "
                    + "truncated after it, also after a reboot); undo returns the unit to " + unitState(facts.namedResolvconfUnit())
                    + " (its stop runs resolvconf -d lo.named)";
            case NETWORK_MANAGER -> "NetworkManager writes resolv.conf: " + file + " sets dns=none (now dns="
                    + facts.networkManagerDns() + "), systemctl reload NetworkManager, then resolv.conf written" + link
                    + "; undo removes " + file + ", restores resolv.conf and reloads NetworkManager";
            case SYSTEMD_RESOLVED -> "systemd-resolved owns resolv.conf: " + file + " makes 127.0.0.1 its only global server "
                    + "(Domains=~., for nss-resolve and stub users), resolv.conf becomes a file naming 127.0.0.1" + link
                    + ", systemctl reload-or-restart systemd-resolved; undo restores the symlink, removes the drop-in and "
                    + "reloads systemd-resolved";
        };
    }

    private static String unitState(Optional<ResolvFacts.UnitState> unit) {
        return unit.map(ResolvFacts.UnitState::describe).orElse("its state after the install");
    }
}
