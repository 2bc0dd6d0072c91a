package io.cutover.ssh;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/** Key pairs made at test time and written as OpenSSH private key files. */
final class TestKeys {
    private TestKeys() {
    }

    static KeyPair generate(String type) {
        try {
            return switch (type) {
                case "ed25519" -> KeyUtils.generateKeyPair("ssh-ed25519", 256);
                case "ecdsa" -> KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
                case "rsa" -> KeyUtils.generateKeyPair("ssh-rsa", 2048);
                default -> throw new IllegalArgumentException(type);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code keys} to {@code file} in OpenSSH format, encrypted when {@code passphrase} is not null. */
    static Path write(KeyPair keys, Path file, String passphrase) {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherType("256");
            encryption.setKdfRounds(2); // real keys use 16+; tests only need the format, not the cost
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keys, "cutover-test", encryption, out);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    /** {@code type base64}, as in authorized_keys and known_hosts. */
    static String publicEntry(KeyPair keys) {
        return PublicKeyEntry.toString(keys.getPublic());
    }
}
