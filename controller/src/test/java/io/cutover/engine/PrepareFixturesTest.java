package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.helper.HelperHome;
import io.cutover.helper.HelperScript;
import io.cutover.inventory.InventoryLoader;
import io.cutover.plan.CurrentFile;
import io.cutover.plan.FileChange;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedCall;
import io.cutover.plan.PlannedStep;
import io.cutover.plan.Planner;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planner tests as data: each folder under {@code src/test/resources/prepare} is one host captured
 * from the lab ({@code lab/prepare-fixture.sh}) — {@code facts.json} (the helper's report),
 * {@code vars.json} (its inventory vars), {@code files/} (today's content of the files the playbook
 * installs), {@code case.json} (host and playbook) — and {@code expected.txt}: the exact helper
 * calls and file diffs {@link Prepare} makes of it, the path apply prepares a host by. After a
 * change that means to alter them, {@code CUTOVER_UPDATE_FIXTURES=1 mvn -q -B -ntp -f pom.xml test
 * -Dtest=PrepareFixturesTest} rewrites every expected.txt, and the diff is the review.
 */
class PrepareFixturesTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final Path CASES = REPO.resolve("controller/src/test/resources/prepare");
    private static final boolean UPDATE = "1".equals(System.getenv("CUTOVER_UPDATE_FIXTURES"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> eachCaseIsPreparedAsItsExpectedCallsAndDiffs() throws IOException {
        List<Path> cases;
        try (Stream<Path> folders = Files.list(CASES)) {
            cases = folders.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).as("fixture folders in " + CASES).isNotEmpty();
        return cases.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            String actual = prepared(folder);
            Path expected = folder.resolve("expected.txt");
            if (UPDATE) {
                Files.writeString(expected, actual);
            }
            assertThat(expected).as("expected.txt (CUTOVER_UPDATE_FIXTURES=1 writes it)").exists();
            assertThat(actual).isEqualTo(Files.readString(expected));
        }));
    }

    /** The case's host prepared from its captured facts, vars and files, as text. */
    private String prepared(Path folder) throws IOException {
        Map<?, ?> kase = JSON.readValue(folder.resolve("case.json").toFile(), Map.class);
        String host = String.valueOf(kase.get("host"));
        Path playbookFile = REPO.resolve(String.valueOf(kase.get("playbook")));
        var playbook = new PlaybookLoader(new YamlLoader()).load(playbookFile);
        Planner planner = new Planner(playbook, new Renderer(playbook.templateDir()), VarValues.NONE);
        RunContext run = new RunContext("r1", planner, new InventoryLoader().load(List.of(inventory(folder, host))), null, null,
                HelperScript.bundled(), HelperHome.DEFAULT, Duration.ofSeconds(30), false, Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> report = JSON.readValue(folder.resolve("facts.json").toFile(), LinkedHashMap.class);
        Prepare prepare = new Prepare(run);
        HostPlan plan = prepare.plan(host, new Prepare.Facts(report, files(folder, Prepare.paths(prepare.offline(host))), null));
        return text(folder.getFileName().toString(), kase.get("playbook"), plan);
    }

    /** A one-host inventory with the case's vars (each value written as JSON, which YAML reads as flow). */
    private Path inventory(Path folder, String host) throws IOException {
        Map<?, ?> vars = JSON.readValue(folder.resolve("vars.json").toFile(), LinkedHashMap.class);
        StringBuilder yaml = new StringBuilder("all:\n  hosts:\n    " + host + ":\n");
        for (Map.Entry<?, ?> var : vars.entrySet()) {
            yaml.append("      ").append(var.getKey()).append(": ").append(JSON.writeValueAsString(var.getValue())).append('\n');
        }
        return Files.writeString(dir.resolve("inventory.yml"), yaml);
    }

    /** Today's content of each path, from files/ (a path not there: the host has no such file). */
    private static Map<String, CurrentFile> files(Path folder, List<String> paths) {
        Map<String, CurrentFile> files = new LinkedHashMap<>();
        for (String path : paths) {
            Path file = folder.resolve("files" + path);
            try {
                files.put(path, Files.exists(file) ? CurrentFile.of(Files.readString(file)) : CurrentFile.ABSENT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** The plan as a reviewer reads it: warnings, then per step its helper calls and its file diffs. */
    static String text(String name, Object playbook, HostPlan plan) {
        StringBuilder out = new StringBuilder("# " + name + ": " + playbook + " on facts.json, vars.json and files/, run r1\n");
        plan.warnings().forEach(w -> out.append("! ").append(w).append('\n'));
        if (!plan.beforeGuard().isEmpty()) {
            out.append("\nbefore the guard is armed:\n");
            plan.beforeGuard().forEach(c -> out.append("  $ ").append(c.shown().display()).append('\n'));
        }
        for (PlannedStep step : plan.steps()) {
            out.append('\n').append(step.number()).append(". ").append(step.name()).append(" (").append(step.action().key())
                    .append(step.inBlock() ? ", in block " + step.block() : "").append(")\n");
            for (PlannedCall call : step.calls()) {
                out.append("  $ ").append(call.shown().display()).append('\n');
            }
            for (FileChange file : step.files()) {
                out.append(file.changes() ? file.diff().indent(2) : "  " + file.path() + ": unchanged\n");
            }
        }
        return out.toString();
    }
}
