package io.cutover.inventory;

import io.cutover.yaml.InputException;
import io.cutover.yaml.Location;
import io.cutover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Loads Ansible inventories ({@code -i SOURCE}, repeatable) into an {@link Inventory}: YAML and INI
 * files, inventory scripts, {@code ansible-inventory --list} JSON, {@code 'web1,web2,'} host lists
 * and directories of these (see {@link InventorySources}), with the {@code group_vars/} and
 * {@code host_vars/} directories next to each source. Several sources merge as in Ansible: later
 * ones add hosts and groups and override vars.
 *
 * <p>Strict by default: whatever Ansible would skip with only a warning (a misspelt {@code host:},
 * a group written as a list, an empty file…) is an {@link InputException} naming file:line:column
 * and the likely fix. {@code lenient} turns those into warnings and does what Ansible does.
 */
public final class InventoryLoader {

    /** How long an inventory script may run before it is stopped (Ansible waits for ever). */
    public static final Duration DEFAULT_SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final Strictness strictness;
    private final YamlLoader yaml;
    private final Duration scriptTimeout;

    /**
     * @param lenient       downgrade refusals of things Ansible tolerates into warnings
     * @param warnings      receives each warning as one line, already prefixed with file:line:column
     * @param scriptTimeout how long each run of an inventory script may take
     */
    public InventoryLoader(boolean lenient, Consumer<String> warnings, Duration scriptTimeout) {
        Objects.requireNonNull(warnings, "warnings");
        if (scriptTimeout.isNegative() || scriptTimeout.isZero()) {
            throw new IllegalArgumentException("script timeout must be positive: " + scriptTimeout);
        }
        this.strictness = new Strictness(lenient, warnings);
        this.yaml = new YamlLoader(lenient, warnings);
        this.scriptTimeout = scriptTimeout;
    }

    public InventoryLoader(boolean lenient, Consumer<String> warnings) {
        this(lenient, warnings, DEFAULT_SCRIPT_TIMEOUT);
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
            normalised.add(InventorySources.isHostList(source) ? source : source.toAbsolutePath().normalize());
        }
        InventoryBuilder builder = new InventoryBuilder(Location.of(sources.get(0)));
        List<Path> baseDirs = new ArrayList<>();
        InventorySources reader = new InventorySources(strictness, yaml, scriptTimeout);
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            reader.read(source, builder);
            if (InventorySources.isHostList(source)) {
                continue; // Ansible reads no group_vars/ for a host list
            }
            baseDirs.add(Files.isDirectory(source) ? normalised.get(i) : normalised.get(i).getParent());
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
