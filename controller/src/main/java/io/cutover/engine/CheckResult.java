package io.cutover.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What {@code cutover check} found on one host.
 *
 * @param owner  who owns the host's resolv.conf as facts report it (none, dhclient, resolvconf,
 *               NetworkManager, systemd-resolved), or null when the host could not be read
 * @param drift  what is not as the playbook leaves it, one sentence each (empty when the host is)
 * @param proof  the capture of the refresh targets' fresh lookup ({@code capture-verify}'s answer), or null
 * @param error  why the host could not be checked at all (unreachable, helper failed), or null
 */
public record CheckResult(String host, String owner, List<String> drift, JsonNode proof, String error) {

    public CheckResult {
        Objects.requireNonNull(host, "host");
        drift = List.copyOf(drift);
    }

    static CheckResult unchecked(String host, String error) {
        return new CheckResult(host, null, List.of(), null, Objects.requireNonNull(error));
    }

    /** True when the host was checked and nothing drifted. */
    public boolean ok() {
        return error == null && drift.isEmpty();
    }

    /** The proof as one line (the packet that reached 127.0.0.1:53), or "" when there is none. */
    public String proofSummary() {
        return proof == null ? "" : Proof.captureSummary(proof);
    }
}
