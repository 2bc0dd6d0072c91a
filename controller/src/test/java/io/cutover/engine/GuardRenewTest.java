package io.cutover.engine;

import static io.cutover.engine.EngineHosts.guarded;
import static io.cutover.engine.EngineHosts.install;
import static io.cutover.engine.EngineHosts.lookup;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.HostStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A slow but live controller is not reverted under itself: a block whose steps together outlast
 * the guard's window, each step well inside it, runs to the end because the controller moves the
 * deadline on once a quarter of the window has gone (at 200 hosts with forks 200, blocks of 47 s
 * ran into the 60 s guard). What a dead controller leaves is the fault suite's to prove.
 *
 * <p>Time is the test's own: one clock (milliseconds in a file) that the host's {@code date} reads
 * (a fake one: the helper's guard, its deadlines and renewals all take "now" from it) and the
 * controller's guard renewals read too, and that only the slow steps move on. So the block lasts
 * 4.5 s on both sides whatever the machine's load; real time (a step, an SSH round trip, the guard
 * process polling once a second) moves nothing the guard decides by. That the guard process fires
 * at the deadline a renewal moved, not the first one, is guard.bats' to prove; here, that the
 * controller renews when it should and the host's deadline moves past the block's end.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class GuardRenewTest {

    private static final String RUN = "renew1";
    /** Where the test's clock starts: a whole second, a day behind the machine's (no deadline can be the machine's). */
    private static final long START_S = System.currentTimeMillis() / 1000 - 86_400;

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    @TempDir
    Path dir;

    private HelperHost host;
    private Path clock;

    @BeforeEach
    void host() throws IOException {
        host = hosts.web1();
        clock = Files.writeString(dir.resolve("clock-ms"), START_S * 1000 + "\n");
        host.fakeTool("date", "ms=$(cat '" + clock + "')\n"
                + "case $* in\n"
                + "  +%s) echo $((ms / 1000)) ;;\n"
                + "  +%s%N) echo \"${ms}000000\" ;;\n"
                + "  *) PATH=${PATH#*:} exec date \"$@\" ;;\n"
                + "esac");
    }

    /** The test's clock now, in nanoseconds: what the controller times the guard's window by. */
    private long nanos() {
        try {
            return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(Files.readString(clock).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 4 s guard around three lookups of 1.5 s each on the test's clock (a fake getent moves it on): 4.5 s in all, after the install. */
    private Path slowBlock() throws IOException {
        host.fakeTool("getent", "ms=$(cat '" + clock + "')\n"
                + "echo $((ms + 1500)) >'" + clock + ".tmp' && mv '" + clock + ".tmp' '" + clock + "'\n"
                + "exit 2");
        Files.writeString(host.root.resolve("etc/cutover-test.conf"), "before\n");
        return hosts.playbook("slow",
                guarded("4s",
                        install("install", "/etc/cutover-test.conf"),
                        lookup("slow-lookup-1", "probe1.invalid", "10s"),
                        lookup("slow-lookup-2", "probe2.invalid", "10s"),
                        lookup("slow-lookup-3", "probe3.invalid", "10s")));
    }

    @Test
    void aBlockLongerThanItsGuardWhoseStepsKeepComingIsRenewedNotReverted() throws IOException {
        HostOutcome outcome = hosts.apply(hosts.run(RUN, slowBlock(), this::nanos));

        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.OK);
        assertThat(Files.exists(host.runDir(RUN).resolve("guard.fired"))).as("the guard never fired").isFalse();
        assertThat(host.root.resolve("etc/cutover-test.conf")).hasContent("after");
        assertThat(nanos() - TimeUnit.SECONDS.toNanos(START_S)).as("the block outlasted the guard's 4 s window")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(4500));
        // armed at 0 (deadline 4 s); due a quarter window (1 s) on: before lookup 2 (at 1.5 s) and lookup 3 (at 3 s)
        assertThat(host.server().executed().stream().filter(c -> c.contains(" guard-renew --run " + RUN)).count())
                .as("the controller renewed the guard before each step once a quarter of its window had gone").isEqualTo(2);
        String[] guard = Files.readString(host.runDir(RUN).resolve("guard")).trim().split(" ");
        assertThat(Long.parseLong(guard[2]) - START_S).as("the host's deadline, moved on by each renewal (guard file: " + String.join(" ", guard) + ")")
                .isEqualTo(3 + 4);
    }
}
