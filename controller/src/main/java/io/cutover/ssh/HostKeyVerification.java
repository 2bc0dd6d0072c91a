package io.cutover.ssh;

import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.Collectors;

/**
 * sshj's known_hosts matching (hashed names, {@code [host]:port}, markers, and the preference for key
 * types already known) plus our policy, remembering why a key was refused so the connector can say so.
 * One instance per connection attempt; not reused.
 */
final class HostKeyVerification extends OpenSSHKnownHosts {
    private final Path file;
    private final HostKeyPolicy policy;
    private final KnownHostsFile knownHosts;
    private volatile String refusal;

    HostKeyVerification(Path file, HostKeyPolicy policy, KnownHostsFile knownHosts,
                        net.schmizz.sshj.common.LoggerFactory logs) throws IOException {
        super(file.toFile(), logs);
        this.file = file;
        this.policy = policy;
        this.knownHosts = knownHosts;
    }

    /** Why the host key was refused, or {@code null} if it was not. */
    String refusal() {
        return refusal;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostPattern, PublicKey key) {
        String fingerprint = KnownHostsFile.fingerprint(key);
        if (policy == HostKeyPolicy.STRICT) {
            refusal = "host key for " + hostPattern + " is not in " + file + " (" + keyType(key) + " " + fingerprint
                    + "); refusing to connect. Verify the fingerprint out of band, then add it (ssh-keyscan, or"
                    + " one interactive ssh), or run with --host-key-policy accept-new";
            return false;
        }
        try {
            switch (knownHosts.record(file, hostPattern, key)) {
                case ADDED:
                case ALREADY_PRESENT:
                    return true;
                default:
                    return changed(hostPattern, key);
            }
        } catch (IOException e) {
            refusal = "cannot record the host key " + fingerprint + " in " + file + ": " + e.getMessage();
            return false;
        }
    }

    @Override
    protected boolean hostKeyChangedAction(String hostPattern, PublicKey key) {
        return changed(hostPattern, key);
    }

    private boolean changed(String hostPattern, PublicKey key) {
        List<KnownHostsFile.Line> lines = knownHosts.applicableLines(file, hostPattern, key);
        String where = lines.isEmpty() ? file.toString()
                : lines.stream().map(KnownHostsFile.Line::toString).collect(Collectors.joining(", "));
        refusal = "HOST KEY CHANGED for " + hostPattern + ": it now presents " + keyType(key) + " "
                + KnownHostsFile.fingerprint(key) + ", which does not match " + where
                + ". This may be an attack or a reinstalled host; refusing to connect. If the change is"
                + " expected, remove the old entry (ssh-keygen -R '" + hostPattern + "' -f " + file + ")";
        return false;
    }

    private static String keyType(PublicKey key) {
        return net.schmizz.sshj.common.KeyType.fromKey(key).toString();
    }
}
