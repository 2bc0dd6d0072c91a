package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads Ansible YAML inventories ({@code -i FILE}, repeatable) into an {@link Inventory}, with the
 * {@code group_vars/} and {@code host_vars/} directories next to each source. Several sources merge
 * as in Ansible: later files add hosts and groups and override vars. A directory source reads its
 * YAML files in name order, as Ansible does.
 *
 * <p>Strict by default: whatever Ansible would skip with only a warning (a misspelt {@code host:},
 * a group written as a list, an empty file…) is an {@link InputException} naming file:line:column
 * and the likely fix. {@code lenient} turns those into warnings and does what Ansible does.
 */
public final class InventoryLoader {

    private static final List<String> YAML_EXTENSIONS = List.of(".yml", ".yaml", ".json");
    /** Ansible's default inventory ignore list: hidden files, vars dirs, editor/backup/other-format files. */
    private static final Pattern IGNORED = Pattern.compile("^\\.|^host_vars$|^group_vars$|^vars_plugins$"
            + "|(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$");

    private final Strictness strictness;
    private final YamlLoader yaml;

    /**
     * @param lenient  downgrade refusals of things Ansible tolerates into warnings
     * @param warnings receives each warning as one line, already prefixed with file:line:column
     */
    public InventoryLoader(boolean lenient, Consumer<String> warnings) {
        Objects.requireNonNull(warnings, "warnings");
        this.strictness = new Strictness(lenient, warnings);
        this.yaml = new YamlLoader(lenient, warnings);
    }

    /** A strict loader that has nowhere to put warnings (there are none in strict mode but stray vars files). */
    public InventoryLoader() {
        this(false, warning -> { });
    }

    public Inventory load(Path... sources) {
        return load(List.of(sources));
    }

    public Inventory load(List<Path> sources) {
        if (sources.isEmpty()) {
            throw new InputException("no inventory given; pass one with -i FILE");
        }
        List<Path> normalised = new ArrayList<>();
        for (Path source : sources) {
            normalised.add(source.toAbsolutePath().normalize());
        }
        InventoryBuilder builder = new InventoryBuilder(Location.of(sources.get(0)));
        List<Path> baseDirs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            if (Files.isDirectory(source)) {
                readDirectory(source, builder);
                baseDirs.add(normalised.get(i));
            } else {
                readFile(source, builder, true);
                baseDirs.add(normalised.get(i).getParent());
            }
        }
        builder.reconcile();
        refuseHostsNamedLikeGroups(builder);
        VarsFiles files = new VarsFiles(baseDirs, yaml, strictness);
        files.load(VarsFiles.Kind.GROUP, builder.groups.keySet());
        files.load(VarsFiles.Kind.HOST, builder.hosts.keySet());
        Inventory inventory = new Inventory(sources, builder, files);
        for (Host host : inventory.hosts()) {
            try {
                ConnectionSettings.checkLiterals(inventory.hostVars(host.name()));
            } catch (InputException e) {
                strictness.refuse(e.location().orElse(null), e.getMessage().substring(
                        e.location().map(l -> l.toString().length() + 2).orElse(0)));
            }
        }
        return inventory;
    }

    private void readFile(Path file, InventoryBuilder builder, boolean named) {
        if (!Files.exists(file)) {
            throw new InputException(Location.of(file), "no such inventory file");
        }
        String name = file.getFileName().toString();
        String ext = VarsFiles.extension(name);
        if (!ext.isEmpty() && !YAML_EXTENSIONS.contains(ext)) {
            String hint = ext.equals(".ini") || ext.equals(".cfg")
                    ? "; it looks like an INI inventory: convert it with `ansible-inventory -i " + file + " --list -y`"
                    : "";
            throw new InputException(Location.of(file), "cutover reads YAML inventories (.yml, .yaml, .json or no"
                    + " extension), not `" + ext + "` files" + hint);
        }
        new YamlInventoryParser(file, builder, strictness).parse(yaml.load(file));
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
            if (IGNORED.matcher(name).find()) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                readDirectory(entry, builder);
                continue;
            }
            String ext = VarsFiles.extension(name);
            if (!ext.isEmpty() && !YAML_EXTENSIONS.contains(ext)) {
                strictness.refuse(Location.of(entry), "not a YAML inventory file (.yml, .yaml, .json or no extension);"
                        + " Ansible would try its other inventory plugins on it. Move it out of the inventory directory");
                continue;
            }
            readFile(entry, builder, false);
        }
    }

    /**
     * Ansible only warns when a host and a group share a name, yet then a var written for the host
     * lands on the group, and {@code --limit NAME} picks only the host.
     */
    private void refuseHostsNamedLikeGroups(InventoryBuilder builder) {
        for (InventoryBuilder.HostState host : builder.hosts.values()) {
            InventoryBuilder.GroupState group = builder.groups.get(host.name);
            if (group != null) {
                strictness.refuse(host.location, "`" + host.name + "` is both a host and a group (group defined at "
                        + group.location + "); Ansible then gives the host's vars to the group and `--limit "
                        + host.name + "` selects only the host. Rename one of them");
            }
        }
    }
}
