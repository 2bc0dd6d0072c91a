package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cutover.yaml.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inventory scripts and `-i 'a,b,'` host lists: errors name the script and what it printed. */
class ScriptAndHostListTest {

    @TempDir
    Path dir;

    private Path script(String body) throws IOException {
        Path script = dir.resolve("inventory.sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        script.toFile().setExecutable(true);
        return script;
    }

    private String refusal(Path source, Duration timeout) {
        Throwable thrown = catchThrowable(() -> new InventoryLoader(false, w -> { }, timeout).load(source));
        assertThat(thrown).isInstanceOf(InputException.class);
        return thrown.getMessage();
    }

    @Test
    void aFailingScriptIsNamedWithItsStatusAndStderr() throws IOException {
        Path script = script("echo 'cannot reach the cloud API' >&2\nexit 3\n");
        assertThat(refusal(script, Duration.ofSeconds(10))).isEqualTo(script + ": inventory script `" + script
                + " --list` exited with status 3; it printed on stderr: cannot reach the cloud API; run it by hand to"
                + " see why");
    }

    @Test
    void aScriptThatPrintsNoJsonShowsWhatItPrinted() throws IOException {
        Path script = script("echo 'Traceback: boom'\n");
        assertThat(refusal(script, Duration.ofSeconds(10))).startsWith(script + ": inventory script `" + script
                + " --list` did not print JSON (").endsWith("it printed: Traceback: boom");
    }

    @Test
    void aScriptThatHangsIsStoppedAfterTheTimeout() throws IOException {
        Path script = script("sleep 30\n");
        long start = System.nanoTime();
        assertThat(refusal(script, Duration.ofMillis(500))).contains("did not finish within 0 s and was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void withoutMetaEachHostsVarsComeFromHost() throws IOException {
        Path script = script("if [ \"$1\" = --list ]; then echo '{\"web\": [\"w1\", \"w2\"]}';"
                + " else echo \"{\\\"asked_for\\\": \\\"$2\\\"}\"; fi\n");
        Inventory inventory = new InventoryLoader().load(script);
        assertThat(inventory.hostsIn("web")).containsExactly("w1", "w2");
        assertThat(inventory.hostVars("w2").get("asked_for")).contains("w2");
    }

    @Test
    void aHostCallThatFailsIsRefusedUnlessLenient() throws IOException {
        Path script = script("if [ \"$1\" = --list ]; then echo '{\"web\": [\"w1\"]}'; else echo oops >&2; exit 1; fi\n");
        assertThat(refusal(script, Duration.ofSeconds(10))).contains("--host w1` exited with status 1; it printed on"
                + " stderr: oops (Ansible would ignore the status)");
        List<String> warnings = new ArrayList<>();
        assertThat(new InventoryLoader(true, warnings::add).load(script).hostsIn("web")).containsExactly("w1");
        assertThat(warnings).hasSize(1);
    }

    @Test
    void aScriptThatIsNotExecutableSaysSo() throws IOException {
        Path script = dir.resolve("dyn.py");
        Files.writeString(script, "#!/usr/bin/env python3\nimport json\nprint(json.dumps({}))\n");
        assertThat(refusal(script, Duration.ofSeconds(10))).contains("starts with `#!` but is not executable")
                .contains("chmod +x " + script);
    }

    @Test
    void aHostListIsUngroupedHostsWithPorts() {
        Inventory inventory = new InventoryLoader().load(Path.of("web1, web2:2222,,"));
        assertThat(inventory.hostsIn("ungrouped")).containsExactly("web1", "web2");
        assertThat(inventory.hostVars("web2").get("ansible_port")).contains(2222);
    }

    @Test
    void aHostListDoesNotExpandRanges() {
        assertThat(refusal(Path.of("web[1:3],"), Duration.ofSeconds(1))).contains("a host list does not expand ranges");
    }

    @Test
    void aMissingFileWithoutACommaSaysHowToWriteAHostList() {
        assertThat(refusal(dir.resolve("web1"), Duration.ofSeconds(1))).contains("no such inventory file (a list of"
                + " hosts needs a comma");
    }
}
