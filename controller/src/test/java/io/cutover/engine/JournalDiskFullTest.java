package io.cutover.engine;

import io.cutover.journal.JournalEvent;
import io.cutover.journal.Events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.inventory.Inventory;
import io.cutover.inventory.InventoryLoader;
import io.cutover.journal.Journal;
import io.cutover.journal.JournalReader;
import io.cutover.ssh.PassphraseSource;
import io.cutover.ssh.OpenSshConfig;
import io.cutover.ssh.SshConnector;
import io.cutover.ssh.SshSettingsResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run journal on a filesystem that is really full (a 64 KiB tmpfs, filled): a record that
 * cannot be written ends that host with the reason, and every other host and the fork pool go on.
 * Needs root to mount the tmpfs.
 */
class JournalDiskFullTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T18:30:12Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path mount;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mount = Files.createDirectory(dir.resolve("full"));
        run("mount", "-t", "tmpfs", "-o", "size=64k,mode=700", "tmpfs", mount.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    @Test
    void aJournalThatCannotBeWrittenEndsEachHostWithTheReasonAndTheRunGoesOn() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens once it is closed: connecting is refused at once
        }
        Path inventoryFile = Files.writeString(dir.resolve("inventory.yml"), "all:\n  vars:\n    ansible_host: 127.0.0.1\n"
                + "    ansible_port: " + closedPort + "\n  hosts:\n    web1:\n    web2:\n    web3:\n");
        Inventory inventory = new InventoryLoader().load(List.of(inventoryFile));
        RunContext run = new RunContext("r1", null, inventory,
                new SshSettingsResolver(OpenSshConfig.empty(), SshSettingsResolver.Defaults.of("deploy", dir), w -> { }),
                new SshConnector(PassphraseSource.none()), HelperScript.bundled(), HelperHome.DEFAULT, Duration.ofSeconds(5), false, Map.of());
        Path file = mount.resolve("journal.jsonl");
        List<HostOutcome> outcomes;
        try (Journal journal = Journal.open(file, CLOCK)) {
            journal.append(runStartFillingOnePage());
            fill(mount.resolve("filler"));

            outcomes = new Engine(run, journal, event -> { }, new Engine.Settings(1, 100))
                    .run(List.of(List.of("web1", "web2", "web3")), Set.of()).outcomes();
        }

        assertThat(outcomes).extracting(HostOutcome::host).containsExactly("web1", "web2", "web3");
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.status().finished()).isFalse();
            assertThat(o.reason()).contains("cannot write the run journal " + file);
        });
        // A failed append leaves no torn line behind: once space is freed, the journal reads and resumes.
        Files.delete(mount.resolve("filler"));
        assertThat(JournalReader.read(file)).singleElement().satisfies(r -> assertThat(r.type()).isEqualTo("run-start"));
    }

    /**
     * A run-start exactly one 4 KiB page long: tmpfs allocates whole pages, so a record that only
     * partly filled its page would leave room for the next ones on a "full" filesystem.
     */
    private JournalEvent.RunStart runStartFillingOnePage() throws IOException {
        Path probe = dir.resolve("probe.jsonl");
        try (Journal journal = Journal.open(probe, CLOCK)) {
            journal.append(runStart(""));
        }
        return runStart("x".repeat(4096 - (int) Files.size(probe)));
    }

    /** A run-start whose playbook path is padded to the length the test needs. */
    private static JournalEvent.RunStart runStart(String padding) {
        return Events.runStart("r1", "p.yml" + padding, "web1", "web2", "web3");
    }

    private static void fill(Path filler) throws IOException {
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // ENOSPC: the filesystem is full now
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }
}
