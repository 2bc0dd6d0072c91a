package io.cutover.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where runs live: {@code <root>/<run-id>/journal.jsonl}, root {@code .cutover/runs} by default.
 * Created private (0700): journals hold host facts. Run ids sort by time: {@code 20261125-183012-a1b2}.
 */
public final class RunDirectory {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;

    public RunDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A new run id: UTC time plus a random suffix, unique within the root. */
    public String newRunId(Clock clock) {
        String base = ID_TIME.format(clock.instant());
        for (int attempt = 0; attempt < 100; attempt++) {
            String id = base + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
            if (!Files.exists(root.resolve(id))) {
                return id;
            }
        }
        throw new JournalWriteException("cannot find a free run id under " + root, null);
    }

    /** Creates the run's directory (and the root), both 0700, and returns the journal path. */
    public Path create(String runId) {
        try {
            createPrivate(root.getParent() == null ? root : root.getParent());
            createPrivate(root);
            Path dir = root.resolve(runId);
            createPrivate(dir);
            return dir.resolve("journal.jsonl");
        } catch (IOException e) {
            throw new JournalWriteException("cannot create the run directory under " + root + ": " + e.getMessage(), e);
        }
    }

    public Path journal(String runId) {
        return root.resolve(runId).resolve("journal.jsonl");
    }

    /** The most recent run, by id (ids sort by start time). */
    public Optional<String> latest() {
        return runs().stream().reduce((a, b) -> b);
    }

    public List<String> runs() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("journal.jsonl")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new JournalException("cannot list runs in " + root + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
