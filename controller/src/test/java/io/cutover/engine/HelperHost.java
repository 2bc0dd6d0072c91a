package io.cutover.engine;

import io.cutover.journal.Events;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.inventory.Inventory;
import io.cutover.inventory.InventoryLoader;
import io.cutover.journal.Journal;
import io.cutover.plan.Planner;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.ssh.OpenSshConfig;
import io.cutover.ssh.PassphraseSource;
import io.cutover.ssh.SshConnector;
import io.cutover.ssh.SshServerExtension;
import io.cutover.ssh.SshSettingsResolver;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One host for engine tests: the in-process SSH server runs the real cutover-helper with a test
 * root ({@code CUTOVER_ROOT}: host paths such as /etc are taken under it) and a state directory
 * of its own, so a run needs no root and touches nothing of the machine's. Fake tools go in
 * {@link #tools()}, first on the commands' PATH.
 */
final class HelperHost {

    final SshServerExtension server;
    final Path dir;
    final Path root;
    final Path state;
    private final Path tools;

    HelperHost(SshServerExtension server, Path dir) throws IOException {
        this.server = server;
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("root"));
        this.state = Files.createDirectories(dir.resolve("home/state"));
        this.tools = Files.createDirectories(dir.resolve("tools"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve(".cutover-test-root"), "");
        Files.writeString(root.resolve("etc/resolv.conf"), "nameserver 192.0.2.53\n");
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Test Linux 12\"\n");
        server.setEnvironment("CUTOVER_ROOT", root.toString());
        server.prependPath(tools);
    }

    Path tools() {
        return tools;
    }

    /** Puts an executable {@code name} with this sh {@code body} first on the PATH of the host's commands. */
    void fakeTool(String name, String body) throws IOException {
        Path tool = tools.resolve(name);
        Files.writeString(tool, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
    }

    /** The run's directory in the helper's state (undo log, guard files, revert lock). */
    Path runDir(String runId) {
        return state.resolve("runs").resolve(runId);
    }

    /** A run of {@code playbook} (its templates beside it in templates/) on this host, named web1. */
    RunContext run(String runId, Path playbook) throws IOException {
        Path inventoryFile = Files.writeString(dir.resolve("inventory.yml"), "all:\n  hosts:\n    web1:\n"
                + "      ansible_host: 127.0.0.1\n      ansible_port: " + server.port() + "\n"
                + "      ansible_user: " + SshServerExtension.USER + "\n"
                + "      ansible_ssh_private_key_file: " + server.clientKey() + "\n"
                + "      cutover_known_hosts: " + server.knownHosts() + "\n");
        Inventory inventory = new InventoryLoader().load(List.of(inventoryFile));
        var loaded = new PlaybookLoader(new YamlLoader()).load(playbook);
        Planner planner = new Planner(loaded, new Renderer(loaded.templateDir()), VarValues.NONE);
        SshSettingsResolver ssh = new SshSettingsResolver(OpenSshConfig.empty(),
                SshSettingsResolver.Defaults.of(SshServerExtension.USER, dir), warning -> { });
        HelperHome home = new HelperHome(dir.resolve("home/bin").toString(), state.toString());
        return new RunContext(runId, planner, inventory, ssh, new SshConnector(PassphraseSource.none()),
                HelperScript.bundled(), home, Duration.ofSeconds(30), loaded.rollout().rollbackAll(), Map.of());
    }

    /** Runs {@code run} on web1 to its end, journaled in this host's directory. */
    HostOutcome apply(RunContext run) {
        try (Journal journal = Journal.open(dir.resolve("journal.jsonl"), Clock.systemUTC())) {
            journal.append(Events.runStart(run.runId(), "p.yml", "web1"));
            return new Engine(run, journal, event -> { }, new Engine.Settings(1, 0))
                    .run(List.of(List.of("web1")), java.util.Set.of()).outcomes().get(0);
        }
    }
}
