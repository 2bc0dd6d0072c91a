package io.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A valid setup (inventory, playbook with its templates, vars file) in a temp dir whose hosts all
 * point at a local TCP listener that counts the connections it accepts: a bad input must be
 * refused before any of them. The CLI runs in-process (Main.commandLine), so it is fast.
 */
final class Fixture implements AutoCloseable {

    static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();

    /**
     * Errors that name where the bad value came from without naming the file: a var's value (host,
     * var, "inventory var" / "-e" or the playbook step using it), an undeclared -e var, an inventory
     * left with no host at all. (A gap in the messages: an -e @file's name is not repeated.)
     */
    static final String NAMES_ITS_SOURCE = "cutover: error: (-e |host \\S+: |host pattern `).*";

    record Run(int code, String out, String err) {
    }

    final Path dir;
    final Path inventory;
    final Path baseVars;
    final Path playbook;
    final Path vars;
    final Path runs;
    private final ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();

    Fixture(Path dir) {
        try {
            this.dir = dir;
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::acceptLoop, "fixture-listener");
            acceptor.setDaemon(true);
            acceptor.start();
            Path pb = Files.createDirectories(dir.resolve("pb"));
            copyTree(REPO.resolve("playbooks/templates"), pb.resolve("templates"));
            playbook = Files.copy(REPO.resolve("playbooks/local-caching-bind.yml"), pb.resolve("local-caching-bind.yml"));
            Files.writeString(dir.resolve("id_test"), "not a key\n");
            Files.writeString(dir.resolve("known_hosts"), "");
            runs = dir.resolve("runs");
            baseVars = dir.resolve("base-vars.yml");
            Files.writeString(baseVars, baseVarsText());
            inventory = dir.resolve("inventory.yml");
            Files.writeString(inventory, baseVarsText() + "  children:\n    app:\n      hosts:\n"
                    + "        app1:\n          ansible_host: 127.0.0.1\n        app2:\n          ansible_host: 127.0.0.1\n");
            vars = dir.resolve("vars.yml");
            Files.writeString(vars, "refresh_processes: [pgbouncer]\ntrigger_via: pgbouncer\npgbouncer_port: 6432\n"
                    + "cutover_alt_forwarders: [10.9.9.13]\nbind_dnssec_validate_except: [lab.test]\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String baseVarsText() {
        return "all:\n  vars:\n    ansible_user: root\n    ansible_port: " + listener.getLocalPort() + "\n"
                + "    ansible_ssh_private_key_file: " + dir.resolve("id_test") + "\n"
                + "    cutover_known_hosts: " + dir.resolve("known_hosts") + "\n"
                + "    cutover_alt_forwarders: [10.9.9.13]\n    cutover_old_nameservers: [10.9.9.11, 10.9.9.12]\n"
                + "    bind_dnssec_validation: \"no\"\n";
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                accepted.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    int connections() {
        return accepted.get();
    }

    /** {@code apply} as a user runs it, --yes, journals in the temp dir. */
    Run apply(String... extra) {
        List<String> args = new ArrayList<>(List.of("apply", "--yes", "--runs-dir", runs.toString(), "--connect-timeout", "2"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * The contract for bad input: exit 2, one error line naming {@code file} (the file's name), no
     * stack trace, and not one connection to any host. Returns the error line.
     */
    String assertRefused(Run run, String file, int connectionsBefore, String what) {
        assertThat(run.code()).as("%s: exit code; stderr: %s", what, run.err()).isEqualTo(2);
        assertNoStackTrace(run, what);
        List<String> errors = run.err().lines().filter(l -> l.contains("cutover: error")).toList();
        assertThat(errors).as("%s: one error line in %s", what, run.err()).hasSize(1);
        if (file != null) {
            assertThat(errors.get(0)).as("%s: the error names the file", what).contains(file);
        }
        assertThat(connections()).as("%s: no connection may be opened", what).isEqualTo(connectionsBefore);
        return errors.get(0);
    }

    static void assertNoStackTrace(Run run, String what) {
        assertThat(run.err()).as("%s: no stack trace in stderr", what).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).as("%s: no stack trace in stdout", what).doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** Adds {@code n} to the count of inputs tried that bench/faults.sh reads (controller/target/faults-inputs.txt). */
    static synchronized void count(String suite, int n) {
        try {
            Path file = Path.of("target", "faults-inputs.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, n + " " + suite + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
