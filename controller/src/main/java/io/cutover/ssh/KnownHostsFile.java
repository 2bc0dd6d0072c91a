package io.cutover.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reading and appending known_hosts files. One instance per {@link SshConnector}: it serialises the
 * appends of concurrent connections inside this JVM (a per-file monitor) and against other processes
 * (an exclusive file lock), and re-reads the file under the lock so a key recorded by a parallel
 * connection a moment ago is neither appended twice nor silently replaced.
 */
final class KnownHostsFile {
    private final Map<Path, Object> monitors = new ConcurrentHashMap<>();

    /** Outcome of {@link #record}. */
    enum Recorded { ADDED, ALREADY_PRESENT, CONFLICT }

    /** A known_hosts line that applies to a host, with its 1-based line number. */
    record Line(Path file, int number, String text) {
        @Override
        public String toString() {
            return file + ":" + number;
        }
    }

    /** Appends {@code hostPattern keytype base64} unless an entry for that host and key type exists. */
    Recorded record(Path file, String hostPattern, PublicKey key) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        synchronized (monitors.computeIfAbsent(absolute, p -> new Object())) {
            createParent(absolute);
            try (FileChannel channel = FileChannel.open(absolute, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                String current = read(channel);
                for (Line line : applicable(absolute, current, hostPattern, key)) {
                    return matches(line.text(), key) ? Recorded.ALREADY_PRESENT : Recorded.CONFLICT;
                }
                String prefix = current.isEmpty() || current.endsWith("\n") ? "" : "\n";
                String entry = prefix + hostPattern + " " + KeyType.fromKey(key) + " " + base64(key) + "\n";
                channel.write(ByteBuffer.wrap(entry.getBytes(StandardCharsets.UTF_8)), channel.size());
                channel.force(true);
                return Recorded.ADDED;
            }
        }
    }

    /** Lines of {@code file} that list a key of the same type for {@code hostPattern}. */
    List<Line> applicableLines(Path file, String hostPattern, PublicKey key) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return applicable(file, Files.readString(file, StandardCharsets.UTF_8), hostPattern, key);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** OpenSSH's fingerprint: {@code SHA256:} and the unpadded base64 of the key blob's SHA-256. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(PublicKey key) {
        return Base64.getEncoder().encodeToString(blob(key));
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    private static List<Line> applicable(Path file, String content, String hostPattern, PublicKey key)
            throws IOException {
        KeyType type = KeyType.fromKey(key);
        OpenSSHKnownHosts.EntryFactory factory = new OpenSSHKnownHosts(new StringReader("")).new EntryFactory();
        List<Line> lines = new ArrayList<>();
        String[] texts = content.split("\n", -1);
        for (int i = 0; i < texts.length; i++) {
            try {
                OpenSSHKnownHosts.KnownHostEntry entry = factory.parseEntry(texts[i]);
                if (entry != null && entry.appliesTo(type, hostPattern)) {
                    lines.add(new Line(file, i + 1, texts[i]));
                }
            } catch (IOException | RuntimeException unparsable) {
                // OpenSSH ignores lines it cannot read, and so do we.
            }
        }
        return lines;
    }

    private static boolean matches(String line, PublicKey key) {
        try {
            OpenSSHKnownHosts.KnownHostEntry entry =
                    new OpenSSHKnownHosts(new StringReader("")).new EntryFactory().parseEntry(line);
            return entry.verify(key);
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // keep reading
        }
        return new String(buffer.array(), StandardCharsets.UTF_8);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(parent);
            }
        }
    }
}
