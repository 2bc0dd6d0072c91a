package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.YamlLoader;
import io.cutover.yaml.YamlMap;
import io.cutover.yaml.YamlValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads one {@code -i} source, choosing its format the way ansible-core's default inventory
 * plugins (host_list, script, yaml, ini) take turns: a string with a comma that is no file is a
 * host list; an executable file starting with {@code #!} is an inventory script; a file with no
 * extension or .yml/.yaml/.json is YAML if it parses as a YAML mapping, else INI; any other file is
 * INI. A directory reads its entries in name order, skipping what Ansible skips.
 */
final class InventorySources {

    private static final List<String> YAML_EXTENSIONS = List.of(".yml", ".yaml", ".json");
    /** Ansible's default inventory ignore list: hidden files, vars dirs, editor/backup/other-format files. */
    private static final Pattern IGNORED = Pattern.compile("^\\.|^host_vars$|^group_vars$|^vars_plugins$"
            + "|(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$");
    /** The first line of YAML inventories: a `key:` (not `host:2222`), `---`, or a flow mapping. */
    private static final Pattern YAML_START = Pattern.compile("^(?:---|%YAML|\\{|[^\\s\\[=#;]+:(?:\\s|$))");

    private final Strictness strictness;
    private final YamlLoader yaml;
    private final Duration scriptTimeout;

    InventorySources(Strictness strictness, YamlLoader yaml, Duration scriptTimeout) {
        this.strictness = strictness;
        this.yaml = yaml;
        this.scriptTimeout = scriptTimeout;
    }

    /** Ansible's host_list test: a comma in something that is not a file. */
    static boolean isHostList(Path source) {
        return source.toString().contains(",") && !Files.exists(source);
    }

    /** Reads {@code source} into the builder. */
    void read(Path source, InventoryBuilder builder) {
        if (isHostList(source)) {
            new HostListParser(builder, strictness).parse(source.toString());
        } else if (Files.isDirectory(source)) {
            readDirectory(source, builder);
        } else {
            readFile(source, builder);
        }
    }

    private void readFile(Path file, InventoryBuilder builder) {
        if (!Files.exists(file)) {
            throw new InputException(Location.of(file), "no such inventory file (a list of hosts needs a comma:"
                    + " -i 'web1,web2,' or -i 'web1,')");
        }
        boolean shebang = startsWithShebang(file);
        if (shebang && Files.isExecutable(file)) {
            InventoryScript script = new InventoryScript(file, scriptTimeout, strictness);
            new ScriptInventoryParser(Location.of(file), builder, strictness).parse(script.list(), script::host);
            return;
        }
        String ext = VarsFiles.extension(file.getFileName().toString());
        if (ext.equals(".toml")) {
            throw new InputException(Location.of(file), "cutover does not read TOML inventories; convert it with"
                    + " `ansible-inventory -i " + file + " --list -y > inventory.yml`");
        }
        String text = YamlLoader.readText(file);
        InputException yamlError = null;
        if (ext.isEmpty() || YAML_EXTENSIONS.contains(ext)) {
            YamlValue root = null;
            try {
                root = yaml.parse(file, text);
            } catch (InputException e) {
                yamlError = e;
            }
            if (yamlError == null && (root == null || root instanceof YamlMap)) {
                readYaml(file, root, builder);
                return;
            }
        }
        try {
            new IniInventoryParser(file, builder, strictness).parse(text);
        } catch (InputException iniError) {
            if (yamlError != null && looksLikeYaml(text)) {
                throw yamlError;
            }
            if (shebang) {
                throw new InputException(Location.of(file), "starts with `#!` but is not executable, so it was read as"
                        + " an INI inventory, which failed (" + iniError.getMessage() + "); if it is an inventory"
                        + " script, make it executable: chmod +x " + file);
            }
            throw iniError;
        }
    }

    /** A YAML mapping is a YAML inventory, unless it is the JSON that `ansible-inventory --list` prints. */
    private void readYaml(Path file, YamlValue root, InventoryBuilder builder) {
        if (root != null) {
            Object plain = Values.plain(root);
            if (ScriptInventoryParser.isListing(plain)) {
                new ScriptInventoryParser(Location.of(file), builder, strictness).parse(plain, host -> null);
                return;
            }
        }
        new YamlInventoryParser(file, builder, strictness).parse(root);
    }

    private void readDirectory(Path dir, InventoryBuilder builder) {
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.forEach(entries::add);
        } catch (IOException e) {
            throw new InputException(Location.of(dir), "cannot list the inventory directory: " + e.getMessage());
        }
        entries.sort((a, b) -> CodePoints.compare(a.getFileName().toString(), b.getFileName().toString()));
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.endsWith(".ini") && !name.startsWith(".")) {
                // Dropping a file of hosts without a word is how a host silently misses a cutover.
                strictness.refuse(Location.of(entry), "Ansible skips `.ini` files inside an inventory directory"
                        + " (INVENTORY_IGNORE_EXTS), so the hosts in it would not be loaded; rename it without the"
                        + " extension (e.g. `" + name.substring(0, name.length() - 4) + "`) to load it with the"
                        + " directory, or pass it with its own -i");
                continue;
            }
            if (IGNORED.matcher(name).find()) {
                continue;
            }
            read(entry, builder);
        }
    }

    private static boolean startsWithShebang(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(2);
            return start.length == 2 && start[0] == '#' && start[1] == '!';
        } catch (IOException e) {
            throw new InputException(Location.of(file), "cannot read: " + e.getMessage());
        }
    }

    /** Whether the first line that says anything is YAML rather than an INI section or host line. */
    static boolean looksLikeYaml(String text) {
        for (String line : text.split("\n")) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            return YAML_START.matcher(stripped).find();
        }
        return false;
    }
}
