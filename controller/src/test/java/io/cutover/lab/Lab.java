package io.cutover.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A lab fleet for each test of an IT (lab/lab.sh under its own instance name): real sshd, named,
 * pgbouncer, PostgreSQL in network namespaces. A JUnit extension: {@code @RegisterExtension final
 * Lab lab = Lab.fleet("ck", 2);} brings the lab up before each test (and the class's own
 * {@code @BeforeEach}) and down after it (and after the class's {@code @AfterEach}), even when the
 * test fails. Under CI=true a lab that cannot start FAILS the test, never skips it; elsewhere,
 * without root, the test is skipped with the reason.
 */
final class Lab implements BeforeEachCallback, AfterEachCallback {

    static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Path LAB_SH = REPO.resolve("lab/lab.sh");

    private final String name;
    private final List<String> upArgs;

    private Lab(String name, List<String> upArgs) {
        this.name = name;
        this.upArgs = List.copyOf(upArgs);
    }

    /**
     * The lab instance a test uses: {@code CUTOVER_LAB} (an engineer's own, e.g. sb15) or "j", then
     * the IT's {@code suffix}, so that two checkouts running the ITs at once never share one.
     */
    private static String instance(String suffix) {
        String prefix = System.getenv().getOrDefault("CUTOVER_LAB", "j");
        // a name lab.sh refuses is the caller's mistake, not a lab that cannot start: fail, never skip
        if ((prefix + suffix).length() > 6) {
            throw new IllegalStateException("lab instance " + prefix + suffix + " (CUTOVER_LAB=" + prefix + " + this IT's " + suffix
                    + ") is longer than lab.sh's 6 characters: set CUTOVER_LAB to at most " + (6 - suffix.length()) + " characters");
        }
        return prefix + suffix;
    }

    /** {@code hosts} full app hosts, under the instance named by {@code suffix} (≤ 6 chars [a-z0-9] in all). */
    static Lab fleet(String suffix, int hosts) {
        return fleet(suffix, hosts, 0);
    }

    /** Full app hosts and light hosts (sshd and named, no pgbouncer). */
    static Lab fleet(String suffix, int hosts, int light) {
        return new Lab(instance(suffix), List.of("up", "--hosts", Integer.toString(hosts), "--light", Integer.toString(light)));
    }

    /**
     * {@code hosts} app hosts plus the five systemd-booted Debian hosts of group {@code real}
     * (lab/README.md "Real hosts"), for what only a real Debian 11/12/13 shows.
     */
    static Lab realFleet(String suffix, int hosts) {
        return new Lab(instance(suffix), List.of("up", "--real", "--hosts", Integer.toString(hosts)));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Result result = run(upArgs, 300);
        if (result.code() != 0) {
            down();
            String why = "the lab did not start (lab.sh up exited " + result.code() + "): " + result.err();
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why + " — lab tests need root and network namespaces");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        down();
    }

    /** {@code lab.sh reboot HOST}: systemd shuts the host down, it boots again; back once its sshd answers. */
    void reboot(String host) {
        Result result = run(List.of("reboot", host), 180);
        if (result.code() != 0) {
            fail("lab.sh reboot " + host + " exited " + result.code() + ": " + result.err());
        }
    }

    Path inventory() {
        return REPO.resolve("lab/run").resolve(name).resolve("inventory.yml");
    }

    Path knownHosts() {
        return REPO.resolve("lab/run").resolve(name).resolve("known_hosts");
    }

    /** Runs a command inside a lab host (no SSH), returns its stdout; fails the test on a non-zero exit. */
    String exec(String host, String shellCommand) {
        Result result = run(List.of("exec", host, "sh", "-c", shellCommand), 60);
        if (result.code() != 0) {
            fail("in " + host + ": `" + shellCommand + "` exited " + result.code() + ": " + result.err());
        }
        return result.out();
    }

    /** What a rollback must restore byte for byte: files, firewall, whether named runs, pgbouncer's resolver. */
    String snapshot(String host) {
        return exec(host, "for f in /etc/resolv.conf /etc/bind/named.conf.options /etc/bind/named.conf; do echo \"== $f\"; "
                + "cat $f; done; echo '== nft'; nft list ruleset; echo '== iptables'; iptables-save | grep -v '^#'; "
                + "echo '== named'; pidof named >/dev/null && echo running || echo stopped");
    }

    private void down() {
        run(List.of("down"), 120);
    }

    record Result(int code, String out, String err) {
    }

    /** Copies a file of this machine into a lab host (no SSH), mode 0755 under a directory it makes. */
    void push(String host, Path file, String destination) {
        Result result = run(List.of("exec", host, "sh", "-c", "mkdir -p \"${1%/*}\" && cat > \"$1\" && chmod 755 \"$1\"", "push",
                destination), 60, file);
        if (result.code() != 0) {
            fail("cannot copy " + file + " to " + host + ":" + destination + ": " + result.err());
        }
    }

    Result run(List<String> args, int timeoutSeconds) {
        return run(args, timeoutSeconds, null);
    }

    private Result run(List<String> args, int timeoutSeconds, Path input) {
        List<String> command = new ArrayList<>(List.of("bash", LAB_SH.toString()));
        command.addAll(args);
        try {
            Path out = Files.createTempFile("lab-out", ".txt");
            Path err = Files.createTempFile("lab-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (input != null) {
                builder.redirectInput(input.toFile());
            }
            builder.environment().put("CUTOVER_LAB", name);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", "timed out after " + timeoutSeconds + " s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }
}
