package io.cutover.ssh;

import com.hierynomus.sshj.key.KeyAlgorithm;
import java.security.PublicKey;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * sshj's "publickey" authentication (RFC 4252 §7) with a key held by ssh-agent: the same exchange as
 * sshj's own {@code AuthPublickey} — a query without signature, then, on the server's PK_OK, the
 * signed request — but the signature is made by the agent, so the private key never enters this
 * process. The algorithm is the one sshj would choose for a key of that type on this connection
 * (rsa-sha2-512/256 for RSA when the server announces them).
 */
final class AgentAuth extends AbstractAuthMethod {
    private final AgentKeys agent;
    private final AgentKeys.Key key;
    private final PublicKey publicKey;
    private String algorithm;

    AgentAuth(AgentKeys agent, AgentKeys.Key key) throws Buffer.BufferException {
        super("publickey");
        this.agent = agent;
        this.key = key;
        this.publicKey = new Buffer.PlainBuffer(key.blob()).readPublicKey();
    }

    AgentKeys.Key key() {
        return key;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd != Message.USERAUTH_60) {
            super.handle(cmd, buf);
            return;
        }
        SSHPacket request = request(true);
        byte[] signed = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(request)
                .getCompactData();
        try {
            request.putString(agent.sign(key, signed, algorithm()));
        } catch (IllegalStateException e) {
            throw new UserAuthException(e.getMessage());
        }
        params.getTransport().write(request);
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        return super.buildReq().putBoolean(signed).putString(algorithm()).putString(key.blob());
    }

    private String algorithm() throws UserAuthException {
        if (algorithm == null) {
            try {
                List<KeyAlgorithm> algorithms = params.getTransport().getClientKeyAlgorithms(KeyType.fromKey(publicKey));
                if (algorithms.isEmpty()) {
                    throw new UserAuthException("no signature algorithm for " + key.describe());
                }
                algorithm = algorithms.get(0).getKeyAlgorithm();
            } catch (TransportException e) {
                throw new UserAuthException("no signature algorithm for " + key.describe(), e);
            }
        }
        return algorithm;
    }

    @Override
    public String toString() {
        return "agent key " + key.describe();
    }
}
