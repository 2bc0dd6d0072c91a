package io.cutover.ssh;

import java.io.Console;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Supplies the passphrase of an encrypted private key. Asked at most once per key file and connector
 * (the decrypted key is kept in memory for the run). Implementations must not log what they return.
 */
public interface PassphraseSource {

    /** The environment variable {@link #fromEnvironment(Map)} reads. */
    String ENV = "CUTOVER_SSH_PASSPHRASE";

    /** The passphrase for {@code keyFile}, or empty when there is none to offer. The caller wipes the array. */
    Optional<char[]> passphraseFor(Path keyFile);

    /**
     * What a user can do when this source had no passphrase, for the error message: it must name only
     * ways that exist here (never "you will be asked" when there is no terminal).
     */
    default String whenMissing() {
        return "set " + ENV;
    }

    /** No passphrases: encrypted keys are skipped (and named if authentication then fails). */
    static PassphraseSource none() {
        return keyFile -> Optional.empty();
    }

    /** One passphrase for every encrypted key, from {@value #ENV} in the given environment. */
    static PassphraseSource fromEnvironment(Map<String, String> environment) {
        String value = environment.get(ENV);
        return keyFile -> value == null || value.isEmpty() ? Optional.empty() : Optional.of(value.toCharArray());
    }

    /**
     * Asks on the controlling terminal, with echo off, as ssh does ("Enter passphrase for key ..."); empty
     * when there is no terminal (a pipe, CI, cron) or the user enters nothing. Prompts never overlap: hosts
     * connecting in parallel wait for the one prompt.
     */
    static PassphraseSource terminal() {
        return new PassphraseSource() {
            @Override
            public synchronized Optional<char[]> passphraseFor(Path keyFile) {
                Console console = System.console();
                if (console == null) {
                    return Optional.empty();
                }
                char[] answer = console.readPassword("Enter passphrase for key '%s': ", keyFile);
                return answer == null || answer.length == 0 ? Optional.empty() : Optional.of(answer);
            }

            @Override
            public String whenMissing() {
                return System.console() == null
                        ? "set " + ENV + " (there is no terminal to ask on), or add the key to ssh-agent"
                        : "enter it when asked, set " + ENV + ", or add the key to ssh-agent";
            }
        };
    }

    /** This source, then {@code next} when this one has nothing for a key. */
    default PassphraseSource orElse(PassphraseSource next) {
        PassphraseSource first = this;
        return new PassphraseSource() {
            @Override
            public Optional<char[]> passphraseFor(Path keyFile) {
                Optional<char[]> passphrase = first.passphraseFor(keyFile);
                return passphrase.isPresent() ? passphrase : next.passphraseFor(keyFile);
            }

            @Override
            public String whenMissing() {
                return next.whenMissing();
            }
        };
    }
}
