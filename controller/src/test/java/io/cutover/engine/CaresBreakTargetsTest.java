package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.plan.HelperFacts;
import io.cutover.plan.HostPlan;
import io.cutover.plan.LiveFacts;
import io.cutover.plan.Planner;
import io.cutover.plan.Preflight;
import io.cutover.playbook.Playbook;
import io.cutover.playbook.PlaybookLoader;
import io.cutover.render.Renderer;
import io.cutover.yaml.VarValues;
import io.cutover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A C daemon on c-ares in a layout cutover does not know (lab/services/cares-app.sh, pid 792 on the
 * lab's app1, as the helper's facts reported it: gdb-cares-break): auto picks the breakpoint finder
 * only where the refresh step names the daemon's URL that makes it resolve, and passes it on.
 */
class CaresBreakTargetsTest {

    private static final String URL = "http://127.0.0.1:8085/resolve?name={name}";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labFacts() throws Exception {
        return new ObjectMapper().readValue(CaresBreakTargetsTest.class.getResourceAsStream("/facts/lab-app1-cares-app.json"), Map.class);
    }

    private static HostPlan plan(Path dir, String findUrl) throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("p.yml"), "name: p\nsteps:\n  - action: refresh\n    args:\n      processes: [/run/cares-app.pid]\n"
                + "      unproved: [/run/cares-app.pid]\n" + (findUrl == null ? "" : "      find_url: '" + findUrl + "'\n"));
        Playbook playbook = new PlaybookLoader(new YamlLoader()).load(dir.resolve("p.yml"));
        return new Planner(playbook, new Renderer(playbook.templateDir()), VarValues.of(Map.of()))
                .plan("app1", VarValues.of(Map.of()), LiveFacts.of(labFacts(), Map.of()), "r1");
    }

    @Test
    void theRefreshGetsTheFindUrlAndPreflightAcceptsIt(@TempDir Path dir) throws Exception {
        HostPlan plan = plan(dir, URL);

        assertThat(plan.steps().get(0).calls().stream().map(c -> c.shown().display()).toList())
                .containsExactly("cutover-helper refresh --run r1 --step refresh 792 gdb-cares-break --find-url '" + URL + "'");
        assertThat(Preflight.problems(plan, HelperFacts.of(labFacts()))).isEmpty();
    }

    @Test
    void withoutAFindUrlTheHostIsRefusedSayingWhatToAdd(@TempDir Path dir) throws Exception {
        List<String> problems = Preflight.problems(plan(dir, null), HelperFacts.of(labFacts()));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("refresh cares-app pid 792 (/run/cares-app.pid): c-ares 1.18.1 in cares-app")
                .contains("→ gdb-cares-break (").contains("refused: its c-ares channel is found only by a breakpoint")
                .contains("names no find_url");
    }

    @Test
    void aFindUrlWithoutTheNamePlaceholderIsRefused(@TempDir Path dir) throws Exception {
        assertThat(Preflight.problems(plan(dir, "http://127.0.0.1:8085/resolve"), HelperFacts.of(labFacts())))
                .containsExactly("refresh /run/cares-app.pid: find_url http://127.0.0.1:8085/resolve is not an http:// or https:// URL "
                        + "with {name} where the name goes");
    }
}
