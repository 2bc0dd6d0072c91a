package io.cutover.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken inventories, playbooks and vars files (the corpus in src/test/resources/bad-input/, plus
 * huge, binary and deeply nested files made here), and hostile -e values: each is refused with exit
 * 2, one error line naming the file, no stack trace, and no connection to any host.
 */
class BadInputTest {

    private static final Path CORPUS = Path.of("src/test/resources/bad-input").toAbsolutePath();

    @TempDir
    static Path dir;

    private static Fixture fixture;
    private static int tried;

    @BeforeAll
    static void setUp() {
        fixture = new Fixture(dir);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        Fixture.count("bad-input corpus, generated and hostile -e", tried);
        System.out.println("bad input: " + tried + " cases refused, 0 connections");
    }

    @Test
    void theValidSetupDoesReachTheListenerSoARefusalMeansSomething() {
        int before = fixture.connections();
        Fixture.Run run = fixture.apply("-i", fixture.inventory.toString(), fixture.playbook.toString(), "-e",
                "@" + fixture.vars, "--limit", "app1");
        assertThat(run.code()).as(run.out() + run.err()).isNotEqualTo(2);
        assertThat(fixture.connections()).isGreaterThan(before);
        Fixture.assertNoStackTrace(run, "valid setup");
    }

    private static List<Path> corpus(String kind) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(kind))) {
            return files.sorted().toList();
        }
    }

    /** `# expect: TEXT` lines at the top of a corpus file: what its error must say. */
    private static List<String> expectations(Path file) throws IOException {
        List<String> expected = new ArrayList<>();
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList()) {
            if (!line.startsWith("# expect: ")) {
                break;
            }
            expected.add(line.substring("# expect: ".length()));
        }
        return expected;
    }

    private static final List<String> failures = new ArrayList<>();

    /**
     * Refused as the contract says, with the file and the line it is wrong at ({@code name.yml:LINE}).
     * Failures are collected so one run shows every input that is not refused properly.
     */
    private static void refused(Fixture.Run run, Path file, int before) throws IOException {
        try {
            String error = fixture.assertRefused(run, null, before, file.toString());
            // an empty file has no line to point at
            String line = error.endsWith("is empty") || error.contains(" is empty;") ? "" : ":[0-9]+";
            assertThat(error).as("%s: the error names the file and line", file)
                    .containsPattern(java.util.regex.Pattern.quote(file.getFileName().toString()) + line);
            for (String expected : expectations(file)) {
                assertThat(error).as(file.toString()).contains(expected);
            }
            tried++;
        } catch (AssertionError e) {
            failures.add(e.getMessage());
        }
    }

    @AfterEach
    void everyInputWasRefused() {
        List<String> seen = List.copyOf(failures);
        failures.clear();
        assertThat(seen).as("inputs not refused as they must be").isEmpty();
    }

    @Test
    void everyBrokenInventoryIsRefusedBeforeAnyConnection() throws IOException {
        for (Path file : corpus("inventory")) {
            int before = fixture.connections();
            refused(fixture.apply("-i", fixture.baseVars.toString(), "-i", file.toString(), fixture.playbook.toString()), file, before);
        }
    }

    @Test
    void everyBrokenPlaybookIsRefusedBeforeAnyConnection() throws IOException {
        for (Path file : corpus("playbook")) {
            Path copy = Files.copy(file, fixture.playbook.resolveSibling(file.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            int before = fixture.connections();
            refused(fixture.apply("-i", fixture.inventory.toString(), copy.toString()), copy, before);
        }
    }

    @Test
    void everyBrokenVarsFileIsRefusedBeforeAnyConnection() throws IOException {
        for (Path file : corpus("vars")) {
            int before = fixture.connections();
            refused(fixture.apply("-i", fixture.inventory.toString(), fixture.playbook.toString(), "-e", "@" + file), file, before);
        }
    }

    @Test
    void hugeBinaryAndDeeplyNestedFilesAreRefused() throws IOException {
        Random random = new Random(9);
        byte[] junk = new byte[64 * 1024];
        random.nextBytes(junk);
        List<Path> files = new ArrayList<>();
        files.add(Files.write(dir.resolve("binary-junk.yml"), junk));
        files.add(Files.write(dir.resolve("nul-bytes.yml"), "all:\n  hosts:\n    app\0one:\n".getBytes(StandardCharsets.UTF_8)));
        files.add(Files.write(dir.resolve("bad-utf8.yml"), new byte[] {'a', 'l', 'l', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'}));
        files.add(Files.writeString(dir.resolve("deep-flow.yml"), "all: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n"));
        StringBuilder deepBlock = new StringBuilder("all:\n");
        for (int i = 1; i < 3000; i++) {
            deepBlock.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        files.add(Files.writeString(dir.resolve("deep-block.yml"), deepBlock));
        StringBuilder huge = new StringBuilder("all:\n  vars:\n");
        for (int i = 0; huge.length() < 4 * 1024 * 1024; i++) {
            huge.append("    v").append(i).append(": ").append("x".repeat(200)).append('\n');
        }
        huge.append("  hosts: [oops]\n");
        files.add(Files.writeString(dir.resolve("huge.yml"), huge));
        files.add(Files.writeString(dir.resolve("long-line.yml"), "all:\n  hosts:\n    " + "a".repeat(1_000_000) + ":\n"));
        StringBuilder manyHosts = new StringBuilder("all:\n  hosts:\n");
        for (int i = 0; i < 50_000; i++) {
            manyHosts.append("    h").append(i).append(":\n");
        }
        manyHosts.append("    h7:\n");
        files.add(Files.writeString(dir.resolve("many-hosts-one-duplicate.yml"), manyHosts));
        for (Path file : files) {
            int before = fixture.connections();
            refused(fixture.apply("-i", fixture.baseVars.toString(), "-i", file.toString(), fixture.playbook.toString()), file, before);
            int beforePb = fixture.connections();
            Path asPlaybook = Files.copy(file, fixture.playbook.resolveSibling(file.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            refused(fixture.apply("-i", fixture.inventory.toString(), asPlaybook.toString()), asPlaybook, beforePb);
            int beforeVars = fixture.connections();
            refused(fixture.apply("-i", fixture.inventory.toString(), fixture.playbook.toString(), "-e", "@" + file), file, beforeVars);
        }
    }

    /** Hostile -e values for every var that reaches a host: refused at load time, naming the var. */
    @Test
    void hostileExtraVarsAreRefusedAtLoadTime() {
        List<String> hostile = List.of("$(touch /tmp/cutover-canary)", "`touch /tmp/cutover-canary`", "x; touch /tmp/cutover-canary",
                "x\ntouch /tmp/cutover-canary", "x' ; touch /tmp/cutover-canary; '", "x\" ; touch /tmp/cutover-canary; \"",
                "--help", "-oProxyCommand=touch", "pgbóuncer", "x|id", "x&&id", "../../etc/passwd", "x\0y", "");
        List<String> vars = List.of("upstream_forwarders", "cutover_old_nameservers", "cutover_alt_forwarders",
                "bind_dnssec_validation", "bind_dnssec_validate_except", "refresh_processes", "refresh_method", "trigger_via", "triggers",
                "pgbouncer_port", "pgbouncer_probe_db", "pgbouncer_probe_user");
        int accepted = 0;
        List<String> passedThrough = new ArrayList<>();
        for (String var : vars) {
            for (String value : hostile) {
                if (value.isEmpty() && (var.endsWith("_except"))) {
                    continue;   // an empty list of zones is valid
                }
                for (String form : List.of(var + "=" + value, "{\"" + var + "\": [" + json(value) + "]}")) {
                    int before = fixture.connections();
                    Fixture.Run run = fixture.apply("-i", fixture.inventory.toString(), fixture.playbook.toString(), "-e", form);
                    if (run.code() != 2) {
                        passedThrough.add(form);
                        accepted++;
                        continue;
                    }
                    String error = fixture.assertRefused(run, null, before, form);
                    assertThat(error).as(form).contains(var);
                    tried++;
                }
            }
        }
        assertThat(passedThrough).as("hostile -e values that got past load time (each would reach a host)").isEmpty();
        assertThat(accepted).isZero();
    }

    private static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
