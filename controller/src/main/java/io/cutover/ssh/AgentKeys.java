package io.cutover.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The keys an ssh-agent holds, and signatures made by it, over its Unix socket ({@code $SSH_AUTH_SOCK}
 * or ssh_config's IdentityAgent). The private keys never leave the agent; nothing is ever forwarded to
 * a host (cutover opens no agent channel). The protocol is jsch's agent client; every request opens its
 * own connection to the socket, so one instance may serve all hosts' threads.
 */
final class AgentKeys {

    /** One key the agent holds: its public blob (as on the wire) and the agent's comment for it. */
    record Key(byte[] blob, String comment, Identity identity) {

        /** {@code ssh-ed25519 SHA256:... (comment)}: the fingerprint ssh-add -l shows, for messages. */
        String describe() {
            String type = new String(blob, 4, Math.min(blob.length - 4, readInt(blob)), java.nio.charset.StandardCharsets.US_ASCII);
            try {
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(blob);
                return type + " SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha)
                        + (comment.isEmpty() ? "" : " (" + comment + ")");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static int readInt(byte[] b) {
            return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }
    }

    private final Path socket;
    private final AgentIdentityRepository agent;

    private AgentKeys(Path socket, AgentIdentityRepository agent) {
        this.socket = socket;
        this.agent = agent;
    }

    /** The agent at {@code socket}; {@link #keys()} says whether it answers. */
    static AgentKeys at(Path socket) {
        try {
            return new AgentKeys(socket, new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(),
                    socket)));
        } catch (AgentProxyException e) {
            throw new IllegalStateException("Unix domain sockets are not available in this JVM", e);
        }
    }

    Path socket() {
        return socket;
    }

    /**
     * The agent's keys, in the agent's order; empty when it holds none.
     *
     * @throws IllegalStateException with the reason when the socket cannot be reached
     */
    List<Key> keys() {
        if (!Files.exists(socket)) {
            throw new IllegalStateException("ssh-agent socket " + socket + " does not exist (is the agent running?"
                    + " check SSH_AUTH_SOCK or IdentityAgent)");
        }
        if (agent.getStatus() != AgentIdentityRepository.RUNNING) {
            throw new IllegalStateException("ssh-agent at " + socket + " does not answer");
        }
        return agent.getIdentities().stream().map(i -> new Key(i.getPublicKeyBlob(), i.getName() == null ? ""
                : i.getName(), i)).toList();
    }

    /**
     * The agent's signature of {@code data} with {@code key}, as the SSH wire wants it
     * (string algorithm, string signature); {@code algorithm} picks SHA-2 for RSA keys.
     *
     * @throws IllegalStateException when the agent refuses (the key was removed, a confirm was denied)
     */
    byte[] sign(Key key, byte[] data, String algorithm) {
        byte[] signature = key.identity().getSignature(data, algorithm);
        if (signature == null) {
            throw new IllegalStateException("ssh-agent at " + socket + " refused to sign with " + key.describe());
        }
        return signature;
    }
}
