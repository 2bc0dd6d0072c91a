package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.YamlLoader;
import io.cutover.yaml.YamlMap;
import io.cutover.yaml.YamlValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The {@code group_vars/} and {@code host_vars/} directories next to each inventory source, read
 * as Ansible's host_group_vars plugin reads them: for a name, the first of {@code NAME},
 * {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json} that exists wins; if it is a directory,
 * all its files (sorted, recursively, hidden and {@code ~} backups skipped) are merged in order.
 */
final class VarsFiles {

    enum Kind {
        GROUP("group_vars"), HOST("host_vars");

        final String directory;

        Kind(String directory) {
            this.directory = directory;
        }
    }

    private static final List<String> EXTENSIONS = List.of(".yml", ".yaml", ".json");

    private final List<Path> baseDirs;
    private final YamlLoader loader;
    private final Strictness strictness;
    /** Per base directory and kind: entry name in the vars directory -> nothing (just the listing). */
    private final Map<Path, Map<Kind, Set<String>>> listings = new HashMap<>();
    /** Per base directory, kind and entity name: the merged vars of its files. */
    private final Map<Path, Map<Kind, Map<String, Map<String, Var>>>> loaded = new HashMap<>();

    VarsFiles(List<Path> baseDirs, YamlLoader loader, Strictness strictness) {
        this.baseDirs = List.copyOf(baseDirs);
        this.loader = loader;
        this.strictness = strictness;
    }

    List<Path> baseDirs() {
        return baseDirs;
    }

    /** Reads every file that belongs to one of {@code names}; warns about files that look like typos of one. */
    void load(Kind kind, Collection<String> names) {
        for (Path base : new java.util.LinkedHashSet<>(baseDirs)) {
            Set<String> listing = listing(base, kind);
            Map<String, Map<String, Var>> byName = new HashMap<>();
            loaded.computeIfAbsent(base, b -> new HashMap<>()).put(kind, byName);
            if (listing.isEmpty()) {
                continue;
            }
            for (String name : names) {
                Map<String, Var> vars = read(base, kind, listing, name);
                if (!vars.isEmpty()) {
                    byName.put(name, vars);
                }
            }
            warnAboutStrays(base, kind, listing, names);
        }
    }

    /** The vars the files in {@code base} give {@code name}; empty if none. */
    Map<String, Var> vars(Path base, Kind kind, String name) {
        return loaded.getOrDefault(base, Map.of()).getOrDefault(kind, Map.of()).getOrDefault(name, Map.of());
    }

    private Set<String> listing(Path base, Kind kind) {
        return listings.computeIfAbsent(base, b -> new HashMap<>()).computeIfAbsent(kind, k -> {
            Path dir = base.resolve(k.directory);
            if (!Files.isDirectory(dir)) {
                if (Files.exists(dir)) {
                    strictness.warn(Location.of(dir), "`" + k.directory + "` is not a directory; skipped");
                }
                return Set.of();
            }
            try (Stream<Path> entries = Files.list(dir)) {
                Set<String> names = new TreeSet<>();
                entries.forEach(p -> names.add(p.getFileName().toString()));
                return names;
            } catch (IOException e) {
                throw new InputException(Location.of(dir), "cannot list directory: " + e.getMessage());
            }
        });
    }

    private Map<String, Var> read(Path base, Kind kind, Set<String> listing, String name) {
        if (name.startsWith("/") || name.contains("/") || name.equals(".") || name.equals("..")) {
            return Map.of(); // a name that is a path: Ansible skips chroot-like names; we skip all paths
        }
        Path dir = base.resolve(kind.directory);
        List<Path> files = new ArrayList<>();
        for (String candidate : candidates(name)) {
            if (!listing.contains(candidate)) {
                continue;
            }
            Path path = dir.resolve(candidate);
            if (Files.isDirectory(path)) {
                collect(path, files);
            } else {
                files.add(path);
            }
            break;
        }
        Map<String, Var> vars = new LinkedHashMap<>();
        for (Path file : files) {
            YamlValue data = loader.load(file);
            if (data == null || isEmpty(data)) {
                continue; // Ansible ignores empty files
            }
            if (!(data instanceof YamlMap map)) {
                throw new InputException(data.location(), "a " + kind.directory + " file must be a mapping of"
                        + " `name: value` vars, found " + data.kind());
            }
            for (YamlMap.Entry entry : map.entries().values()) {
                vars.put(Values.keyName(entry), new Var(Values.plain(entry.value()), entry.keyLocation()));
            }
        }
        return Collections.unmodifiableMap(vars);
    }

    private static boolean isEmpty(YamlValue data) {
        Object plain = data instanceof YamlMap map ? map.entries() : data.toPlain();
        return plain == null || Boolean.FALSE.equals(plain) || "".equals(plain)
                || (plain instanceof Map<?, ?> m && m.isEmpty()) || (plain instanceof List<?> l && l.isEmpty())
                || (plain instanceof Number n && n.doubleValue() == 0);
    }

    private static List<String> candidates(String name) {
        List<String> names = new ArrayList<>();
        names.add(name);
        EXTENSIONS.forEach(ext -> names.add(name + ext));
        return names;
    }

    private static void collect(Path dir, List<Path> into) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new InputException(Location.of(dir), "cannot list directory: " + e.getMessage());
        }
        names.sort(CodePoints::compare);
        for (String name : names) {
            if (name.startsWith(".") || name.endsWith("~")) {
                continue;
            }
            Path path = dir.resolve(name);
            String ext = extension(name);
            if (Files.isDirectory(path)) {
                if (ext.isEmpty()) {
                    collect(path, into);
                }
            } else if (Files.isRegularFile(path) && (ext.isEmpty() || EXTENSIONS.contains(ext))) {
                into.add(path);
            }
        }
    }

    /** Python's os.path.splitext: the last dot's suffix, ignoring leading dots. */
    static String extension(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '.') {
            start++;
        }
        int dot = name.lastIndexOf('.');
        return dot > start ? name.substring(dot) : "";
    }

    private void warnAboutStrays(Path base, Kind kind, Set<String> listing, Collection<String> names) {
        Set<String> known = names instanceof Set<String> set ? set : new java.util.HashSet<>(names);
        for (String entry : listing) {
            if (entry.startsWith(".") || entry.endsWith("~")) {
                continue;
            }
            String stem = stem(entry);
            if (known.contains(stem) || known.contains(entry)) {
                continue;
            }
            String what = kind == Kind.GROUP ? "group" : "host";
            if (kind == Kind.GROUP && stem.equals(Inventory.ALL)) {
                continue;
            }
            io.cutover.yaml.Suggestions.closest(stem, known).ifPresent(match -> strictness.warn(
                    Location.of(base.resolve(kind.directory).resolve(entry)),
                    "no " + what + " is named `" + stem + "`, so these vars apply to nothing; did you mean `"
                            + match + "`?"));
        }
    }

    private static String stem(String entry) {
        for (String ext : EXTENSIONS) {
            if (entry.endsWith(ext)) {
                return entry.substring(0, entry.length() - ext.length());
            }
        }
        return entry;
    }
}
