package io.cutover.engine;

import static io.cutover.engine.EngineHosts.install;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One controller per host: a lock left by a dead controller of the same run is taken over and
 * the takeover journaled; a live controller's lock, or a dead one of another run, refuses the host
 * and leaves it untouched.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has hosts of its own (EngineHosts)
class HostLockTest {

    private static final String RUN = "lock1";

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    private HelperHost host;
    private Path playbook;

    @BeforeEach
    void host() throws IOException {
        host = hosts.web1();
        Files.writeString(host.file("/etc/cutover-test.conf"), "before\n");
        playbook = hosts.playbook("one-file",
                install("install", "/etc/cutover-test.conf"));
    }

    @Test
    void aLockLeftByADeadControllerOfThisRunIsTakenOverAndJournaled() throws IOException {
        host.lockedBy("ctl=elsewhere pid=4242 run=" + RUN, true);

        HostOutcome outcome = hosts.apply(hosts.run(RUN, playbook));

        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.CHANGED);
        assertThat(host.file("/etc/cutover-test.conf")).hasContent("after");
        assertThat(hosts.events(JournalEvent.LockTakenOver.class)).singleElement().satisfies(r -> {
            assertThat(r.previous().path("owner").asText()).isEqualTo("ctl=elsewhere pid=4242 run=" + RUN);
            assertThat(r.previous().path("stale_reason").asText()).contains("SSH session").contains("is gone");
        });
        assertThat(host.state.resolve("lock")).as("released at the host's end").doesNotExist();
    }

    @Test
    void aLiveControllersLockRefusesTheHostAndStays() throws IOException {
        host.lockedBy("ctl=elsewhere pid=4242 run=other", false);

        HostOutcome outcome = hosts.apply(hosts.run(RUN, playbook));

        assertThat(outcome.status()).isEqualTo(HostStatus.REFUSED);
        assertThat(outcome.reason()).startsWith("locked by another controller: ").contains("ctl=elsewhere pid=4242 run=other");
        assertThat(host.file("/etc/cutover-test.conf")).as("nothing done").hasContent("before");
        assertThat(hosts.events(JournalEvent.LockTakenOver.class)).isEmpty();
        assertThat(host.state.resolve("lock/owner")).content().contains("owner=ctl=elsewhere pid=4242 run=other");
    }

    @Test
    void aDeadControllersLockOfAnotherRunIsLeftForAHuman() throws IOException {
        host.lockedBy("ctl=elsewhere pid=4242 run=other", true);

        HostOutcome outcome = hosts.apply(hosts.run(RUN, playbook));

        assertThat(outcome.status()).isEqualTo(HostStatus.REFUSED);
        assertThat(outcome.reason()).startsWith("locked by another controller: ").contains("\"stale\":true");
        assertThat(host.file("/etc/cutover-test.conf")).hasContent("before");
        assertThat(hosts.events(JournalEvent.LockTakenOver.class)).isEmpty();
    }
}
