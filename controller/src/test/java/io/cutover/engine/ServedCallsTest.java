package io.cutover.engine;

import static io.cutover.engine.EngineHosts.install;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.helper.Helper;
import io.cutover.helper.HelperCall;
import io.cutover.helper.HelperResult;
import io.cutover.ssh.CommandTimeoutException;
import io.cutover.ssh.SshConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The helper's calls go through one {@code serve} per connection (Helper, HelperSession): each is
 * answered as an exec of its own would be, one over its time is killed and the next gets a new
 * serve, and what cannot pass through the serve (a NUL byte on stdin) is an exec of its own.
 */
class ServedCallsTest {

    private static final String RUN = "srv1";

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    private HelperHost host;
    private RunContext run;

    @BeforeEach
    void host() throws IOException {
        host = hosts.web1();
        run = hosts.run(RUN, hosts.playbook("served", install("install", "/etc/cutover-test.conf")));
    }

    @Test
    void everyCallOfAConnectionGoesThroughOneServeAndIsAnsweredAsItsOwnRunWouldBe() {
        try (SshConnection connection = run.connect("web1")) {
            Helper helper = run.helper(connection);
            helper.install();
            byte[] content = "options { };\n\n\tno newline at the end".getBytes(StandardCharsets.UTF_8);
            HelperResult installed = helper.call(new HelperCall("file-install",
                    List.of("--run", RUN, "--target", "/etc/cutover-test.conf"), content, "the file"));
            HelperResult failed = helper.call(HelperCall.of("file-read", List.of("--help")));
            HelperResult state = helper.call(HelperCall.of("state", List.of(RUN)));

            assertThat(installed.ok()).as(installed.describeFailure()).isTrue();
            assertThat(installed.changed()).isTrue();
            assertThat(host.file("/etc/cutover-test.conf")).hasBinaryContent(content);
            // a failed call is answered with its own status, error and stderr; the next one is not touched by it
            assertThat(failed.ok()).isFalse();
            assertThat(failed.exitCode()).isEqualTo(2);
            assertThat(failed.error()).startsWith("usage: path must be a plain path");
            assertThat(failed.stderr()).isEqualTo("cutover-helper: " + failed.subcommand() + ": " + failed.error() + "\n");
            assertThat(state.ok()).isTrue();
            assertThat(state.changed()).isFalse();
            assertThat(state.data().path("records")).hasSize(1);
        }
        List<String> executed = host.server().executed();
        assertThat(executed.stream().filter(c -> c.contains(" serve cutover")).count()).as("one serve for the connection").isEqualTo(1);
        assertThat(executed.stream().filter(c -> c.contains(" file-install ") || c.contains(" file-read ") || c.contains(" state ")))
                .as("the three calls, each once, recorded as the exec lines they stand for").hasSize(3)
                .allMatch(c -> c.startsWith("sh " + hosts.home().path() + " "));
    }

    @Test
    void aCallOverItsTimeIsKilledBeforeItsChangeAndTheNextCallGetsANewServe() throws IOException, InterruptedException {
        // the copy into the target's temporary file takes 3 s: the call times out inside it
        host.fakeTool("cp", "case $2 in */etc/*) sleep 3 ;; esac\nPATH=${PATH#*:} exec cp \"$@\"");
        try (SshConnection connection = run.connect("web1")) {
            Helper helper = run.helper(connection);
            helper.install();

            assertThatThrownBy(() -> helper.call(new HelperCall("file-install",
                    List.of("--run", RUN, "--target", "/etc/cutover-test.conf"), "new\n".getBytes(StandardCharsets.UTF_8), "the file"),
                    Duration.ofSeconds(1)))
                    .isInstanceOf(CommandTimeoutException.class)
                    .hasMessageContaining("file-install --run " + RUN);
            Thread.sleep(4000);
            assertThat(host.file("/etc/cutover-test.conf")).as("the killed call never renamed its copy into place").doesNotExist();

            HelperResult after = helper.call(HelperCall.of("state", List.of(RUN)));
            assertThat(after.ok()).isTrue();
        }
        assertThat(host.server().executed().stream().filter(c -> c.contains(" serve cutover")).count())
                .as("a new serve after the killed one").isEqualTo(2);
    }

    @Test
    void aCallWhoseStdinHoldsANulByteIsAnExecOfItsOwn() {
        byte[] content = "before\0after\n".getBytes(StandardCharsets.UTF_8);
        try (SshConnection connection = run.connect("web1")) {
            Helper helper = run.helper(connection);
            helper.install();
            HelperResult installed = helper.call(new HelperCall("file-install",
                    List.of("--run", RUN, "--target", "/etc/cutover-test.conf"), content, "the file"));
            assertThat(installed.ok()).as(installed.describeFailure()).isTrue();
        }
        assertThat(host.file("/etc/cutover-test.conf")).hasBinaryContent(content);
        assertThat(host.server().executed()).noneMatch(c -> c.contains(" serve cutover"))
                .anyMatch(c -> c.startsWith("sh " + hosts.home().path() + " file-install --run " + RUN));
    }
}
