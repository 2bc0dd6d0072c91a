package io.cutover.ssh;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Supplies the passphrase of an encrypted private key. Asked at most once per key file and connector
 * (the decrypted key is kept in memory for the run). Implementations must not log what they return.
 */
@FunctionalInterface
public interface PassphraseSource {

    /** The environment variable {@link #fromEnvironment(Map)} reads. */
    String ENV = "CUTOVER_SSH_PASSPHRASE";

    /** The passphrase for {@code keyFile}, or empty when there is none to offer. The caller wipes the array. */
    Optional<char[]> passphraseFor(Path keyFile);

    /** No passphrases: encrypted keys are skipped (and named if authentication then fails). */
    static PassphraseSource none() {
        return keyFile -> Optional.empty();
    }

    /** One passphrase for every encrypted key, from {@value #ENV} in the given environment. */
    static PassphraseSource fromEnvironment(Map<String, String> environment) {
        String value = environment.get(ENV);
        return keyFile -> value == null || value.isEmpty() ? Optional.empty() : Optional.of(value.toCharArray());
    }
}
