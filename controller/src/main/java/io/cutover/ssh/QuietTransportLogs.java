package io.cutover.ssh;

import net.schmizz.sshj.common.LoggerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

import java.util.Set;

/**
 * sshj logs at ERROR, with its own wording, the very failures this layer turns into one clear
 * per-host {@link SshException} (refused host key, dead transport, a waiter woken by it). With a
 * hundred hosts that would bury the real message, so those few loggers are silenced; every other
 * sshj logger goes to slf4j as usual.
 */
final class QuietTransportLogs implements LoggerFactory {
    private static final Set<String> TRANSLATED = Set.of(
            "net.schmizz.sshj.transport.KeyExchanger",
            "net.schmizz.sshj.transport.TransportImpl",
            "net.schmizz.concurrent.Promise",
            "net.schmizz.sshj.transport.verification.OpenSSHKnownHosts",
            "io.cutover.ssh.HostKeyVerification");

    @Override
    public Logger getLogger(String name) {
        return TRANSLATED.contains(name) ? NOPLogger.NOP_LOGGER : LoggerFactory.DEFAULT.getLogger(name);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(clazz.getName());
    }
}
