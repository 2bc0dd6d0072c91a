package io.cutover.ssh;

import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Private keys, read and decrypted once per file for the whole run: with hundreds of hosts, parsing
 * and bcrypt-decrypting the same key per connection would cost more than the SSH handshakes.
 */
final class Identities {
    private final Config config;
    private final PassphraseSource passphrases;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    /** A key file that loaded ({@code provider}) or why it did not ({@code problem}). */
    record Loaded(Path file, KeyProvider provider, String problem) {
    }

    Identities(Config config, PassphraseSource passphrases) {
        this.config = config;
        this.passphrases = passphrases;
    }

    /** The usable keys among {@code files} and, separately, why the others are not usable. */
    List<Loaded> load(List<Path> files) {
        List<Loaded> result = new ArrayList<>();
        for (Path file : files) {
            Path key = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(key)) {
                continue; // like OpenSSH: a configured identity that does not exist is silently skipped
            }
            result.add(cache.computeIfAbsent(key, this::read));
        }
        return result;
    }

    private Loaded read(Path file) {
        OnePassphrase passphrase = new OnePassphrase(file);
        try {
            KeyProvider provider = new SSHClient(config).loadKeys(file.toString(), passphrase);
            provider.getPublic();
            provider.getPrivate(); // decrypt now, once, on this thread; sshj's key files cache the pair
            return new Loaded(file, provider, null);
        } catch (Exception e) {
            String why;
            if (passphrase.asked && !passphrase.given) {
                why = "cannot decrypt it: it is encrypted and no passphrase was given (" + passphrases.whenMissing() + ")";
            } else if (passphrase.asked) {
                why = "cannot decrypt it: wrong passphrase?";
            } else {
                why = "cannot read it: " + e.getMessage();
            }
            return new Loaded(file, null, file + ": " + why);
        }
    }

    /** Hands sshj the passphrase once; sshj keeps no copy beyond the decryption. */
    private final class OnePassphrase implements PasswordFinder {
        private final Path file;
        private boolean asked;
        private boolean given;

        OnePassphrase(Path file) {
            this.file = file;
        }

        @Override
        public char[] reqPassword(Resource<?> resource) {
            asked = true;
            Optional<char[]> passphrase = passphrases.passphraseFor(file);
            given = passphrase.isPresent();
            // sshj fails on a null passphrase with a NullPointerException; an empty one fails cleanly.
            return passphrase.orElseGet(() -> new char[0]);
        }

        @Override
        public boolean shouldRetry(Resource<?> resource) {
            return false;
        }
    }
}
