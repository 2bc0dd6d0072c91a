package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.cli.Colors.When;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the plan is coloured: a terminal, NO_COLOR (no-color.org), TERM=dumb, --color. */
class ColorsTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";

    @TempDir
    Path dir;

    private static Environment environment(boolean terminal, String... variables) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.remove("NO_COLOR");
        vars.remove("TERM");
        for (int i = 0; i < variables.length; i += 2) {
            vars.put(variables[i], variables[i + 1]);
        }
        return new Environment(vars, Path.of(""), Path.of(System.getProperty("user.home")), "tester", terminal);
    }

    @Test
    void autoColoursOnATerminal() {
        assertThat(Colors.decide(When.AUTO, environment(true, "TERM", "xterm-256color")).on()).isTrue();
    }

    @Test
    void autoDoesNotColourIntoAPipeOrFile() {
        assertThat(Colors.decide(When.AUTO, environment(false, "TERM", "xterm")).on()).isFalse();
    }

    @Test
    void anyNonEmptyNoColorTurnsAutoOff() {
        assertThat(Colors.decide(When.AUTO, environment(true, "NO_COLOR", "1")).on()).isFalse();
        assertThat(Colors.decide(When.AUTO, environment(true, "NO_COLOR", "false")).on()).isFalse();
    }

    @Test
    void anEmptyNoColorIsAsIfUnset() {
        assertThat(Colors.decide(When.AUTO, environment(true, "NO_COLOR", "")).on()).isTrue();
    }

    @Test
    void aDumbTerminalGetsNoColour() {
        assertThat(Colors.decide(When.AUTO, environment(true, "TERM", "dumb")).on()).isFalse();
    }

    @Test
    void neverWinsOverATerminal() {
        assertThat(Colors.decide(When.NEVER, environment(true)).on()).isFalse();
    }

    @Test
    void alwaysColoursIntoAPipeEvenWithNoColor() {
        assertThat(Colors.decide(When.ALWAYS, environment(false, "NO_COLOR", "1")).on()).isTrue();
    }

    @Test
    void diffLinesAreRedGreenCyanAndBold() {
        Colors on = Colors.decide(When.ALWAYS, environment(false));

        assertThat(on.diffLine("-\t\t192.0.2.53;")).isEqualTo(RED + "-\t\t192.0.2.53;\u001b[0m");
        assertThat(on.diffLine("+\t\t192.0.2.153;")).isEqualTo(GREEN + "+\t\t192.0.2.153;\u001b[0m");
        assertThat(on.diffLine("@@ -11,8 +11,7 @@")).startsWith("\u001b[36m@@");
        assertThat(on.diffLine("--- a/etc/resolv.conf")).startsWith("\u001b[1m---");
        assertThat(on.diffLine(" \tforward only;")).isEqualTo(" \tforward only;");
        assertThat(Colors.NONE.diffLine("-x")).isEqualTo("-x");
    }

    private String inventory() throws IOException {
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, "all:\n  vars:\n    cutover_alt_forwarders: [192.0.2.153]\n  hosts:\n    app1:\n");
        return file.toString();
    }

    @Test
    void thePlanOnATerminalHasColouredDiffsAndWithNoColorNone() throws IOException {
        String[] plan = {"plan", "--offline", "-i", inventory(), REPO.resolve("playbooks/local-caching-bind.yml").toString()};

        Cli terminal = Cli.run(environment(true, "TERM", "xterm"), plan);
        Cli noColor = Cli.run(environment(true, "TERM", "xterm", "NO_COLOR", "1"), plan);

        assertThat(terminal.out()).contains(GREEN + "+\t\t192.0.2.153;", RED + "-\t\t192.0.2.153;", "\u001b[1mhost app1");
        assertThat(noColor.out()).doesNotContain("\u001b[").contains("  │         +\t\t192.0.2.153;");
        assertThat(terminal.out().replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(noColor.out());
    }

    @Test
    void colorNeverAndAlwaysOnTheCommandLine() throws IOException {
        String inventory = inventory();
        String playbook = REPO.resolve("playbooks/local-caching-bind.yml").toString();

        assertThat(Cli.run(environment(true), "plan", "--offline", "--color=never", "-i", inventory, playbook).out()).doesNotContain("\u001b[");
        assertThat(Cli.run(environment(false), "plan", "--offline", "--color=always", "-i", inventory, playbook).out()).contains(GREEN);
    }
}
