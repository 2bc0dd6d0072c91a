package io.cutover.cli;

import io.cutover.inventory.Inventory;
import io.cutover.plan.Batches;
import io.cutover.plan.HostFacts;
import io.cutover.plan.HostPlan;
import io.cutover.plan.Planner;
import io.cutover.playbook.ExtraVars;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.playbook.Rollout.BatchSize;
import io.cutover.render.Renderer;
import io.cutover.render.Unknown;
import io.cutover.run.Fleet;
import io.cutover.ssh.SshException;
import io.cutover.ssh.SshSettingsResolver;
import io.cutover.yaml.InputException;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything a run is made of, loaded and checked before any connection: playbook, vars,
 * inventory, selected hosts, their offline plans and SSH settings. Any mistake here is an
 * {@link InputException} (exit 2) and no host has been contacted. Also fingerprints the inputs,
 * so that {@code resume} can refuse to continue a run whose files changed.
 */
record RunInputs(Playbook playbook, Inventory inventory, VarValues overrides, Planner planner,
        List<String> hosts, List<List<String>> batches, Map<String, String> inputHashes) {

    /** The inputs a verb's options name: its playbook and -e, its inventory, --limit and --lenient. */
    static RunInputs load(PlaybookOptions playbook, InventoryOptions inventory, List<BatchSize> serialOverride, PrintWriter warnings) {
        return load(playbook.playbookFile, inventory.files(warnings), inventory.limit, inventory.lenient, playbook.extraVars, serialOverride,
                warnings);
    }

    static RunInputs load(Path playbookFile, List<Path> inventoryFiles, String limit, boolean lenient,
            List<String> extraVars, List<BatchSize> serialOverride, PrintWriter warnings) {
        YamlLoader yaml = new YamlLoader();
        Playbook playbook = new PlaybookLoader(yaml).load(playbookFile);
        VarValues overrides = ExtraVars.parse(extraVars, yaml);
        Inventory inventory = Inventory.load(inventoryFiles, lenient, message -> {
            warnings.println("cutover: " + message);
            warnings.flush();
        });
        List<String> hosts = inventory.hostNames(limit == null ? "all" : limit);
        Planner planner = new Planner(playbook, new Renderer(playbook.templateDir()), overrides);
        for (String host : hosts) {
            planner.plan(host, inventory.hostVars(host).varValues(), HostFacts.offline(), new Unknown("run id")); // every var checked
        }
        List<BatchSize> serial = serialOverride == null || serialOverride.isEmpty() ? playbook.rollout().serial() : serialOverride;
        return new RunInputs(playbook, inventory, overrides, planner, hosts, Batches.split(hosts, serial),
                hashes(playbookFile, inventoryFiles, extraVars));
    }

    /** These inputs with hosts' connections resolved under the verb's -u, -b... and ANSIBLE_* and ansible.cfg. */
    RunInputs connecting(SshOptions ssh, PrintWriter warnings) {
        return connecting(ssh.connectionDefaults(warnings));
    }

    RunInputs connecting(io.cutover.inventory.ConnectionDefaults defaults) {
        return new RunInputs(playbook, inventory.withConnectionDefaults(defaults), overrides, planner, hosts, batches,
                inputHashes);
    }

    /** What the run layer works on: these inputs' planner, inventory, hosts and batches. */
    Fleet fleet() {
        return new Fleet(planner, inventory, hosts, batches, playbook.rollout().rollbackAll());
    }

    /** Resolves every selected host's SSH settings up front: a bad value stops the run before any connection. */
    void checkSsh(SshSettingsResolver resolver) {
        checkSsh(resolver, inventory, hosts);
    }

    static void checkSsh(SshSettingsResolver resolver, Inventory inventory, List<String> hosts) {
        for (String host : hosts) {
            try {
                resolver.resolve(inventory.connection(host).sshHost());
            } catch (SshException e) {
                throw new InputException(e.getMessage());
            }
        }
    }

    List<HostPlan> offlinePlans() {
        List<HostPlan> plans = new ArrayList<>();
        for (String host : hosts) {
            plans.add(planner.plan(host, inventory.hostVars(host).varValues(), HostFacts.offline(), new Unknown("run id")));
        }
        return plans;
    }

    /** SHA-256 of the playbook with its templates, the inventory files (with group_vars/host_vars) and -e. */
    static Map<String, String> hashes(Path playbookFile, List<Path> inventoryFiles, List<String> extraVars) {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("playbook", digest(files(playbookFile, playbookFile.toAbsolutePath().getParent().resolve("templates"))));
        List<Path> inventory = new ArrayList<>();
        for (Path file : inventoryFiles) {
            Path dir = file.toAbsolutePath().getParent();
            inventory.addAll(files(file, dir.resolve("group_vars"), dir.resolve("host_vars")));
        }
        hashes.put("inventory", digest(inventory));
        hashes.put("extra_vars", sha256(String.join("\n", extraVars).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return hashes;
    }

    private static List<Path> files(Path first, Path... dirs) {
        List<Path> all = new ArrayList<>(List.of(first));
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(all::add);
                } catch (IOException e) {
                    throw new InputException(dir + ": cannot read: " + e.getMessage());
                }
            }
        }
        return all;
    }

    private static String digest(List<Path> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                md.update(file.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(Files.isDirectory(file) ? new byte[0] : Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new InputException("cannot read an input to fingerprint it: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
