package io.cutover.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.yaml.InputException;
import io.cutover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {

    @TempDir
    Path dir;

    private final PlaybookLoader loader = new PlaybookLoader(new YamlLoader());

    private Path playbook(String text) throws IOException {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/x.ftl"), "x\n");
        Path file = dir.resolve("p.yml");
        Files.writeString(file, text);
        return file;
    }

    private static final String VARS = """
            name: p
            vars:
              servers: {type: ip-list, default: [10.0.0.1]}
            """;

    @Test
    void shippedPlaybooksLoadAndKeepTheSixStepBlockGuarded() {
        Path repo = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
        Playbook full = loader.load(repo.resolve("playbooks/local-caching-bind.yml"));
        Playbook safe = loader.load(repo.resolve("playbooks/safe-cutover.yml"));

        Block block = (Block) full.steps().get(full.steps().size() - 1);
        assertThat(block.deadline().millis()).isEqualTo(60_000);
        assertThat(block.steps()).extracting(s -> s.action().key()).containsExactly("file-install", "bind-reload",
                "capture-start", "fw-ban", "trigger", "capture-verify", "fw-unban", "file-install", "bind-reload");
        assertThat(full.rollout().serial()).extracting(Object::toString).containsExactly("1", "10%", "100%");
        assertThat(safe.actionSteps()).hasSize(10);
    }

    @Test
    void unknownStepKeyIsRefusedWithPositionAndSuggestion() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - name: a
                    action: bind-check
                    arg: {}
                """);
        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(InputException.class)
                .hasMessage(file + ":7:5: step: unknown key `arg` (did you mean `args`?); allowed here: action, args, loop, name");
    }

    private static final String LOOP_VARS = VARS + """
              probes: {type: mapping-list, default: [{}]}
              port: {type: port, default: 6432}
            """;

    @Test
    void aLoopsStepsAreKeptInOrderEachMarkedWithTheLoopAndItsVar() throws IOException {
        Playbook playbook = loader.load(playbook(LOOP_VARS + """
                steps:
                  - name: b
                    block:
                      - action: capture-start
                      - loop: "${probes}"
                        steps:
                          - {name: t, action: trigger, args: {port: "${port}"}}
                          - {name: v, action: capture-verify}
                      - {name: t2, action: trigger, loop: "${probes}"}
                """));

        java.util.List<ActionStep> steps = ((Block) playbook.steps().get(0)).steps();
        assertThat(steps).extracting(ActionStep::name).containsExactly("capture-start", "t", "v", "t2");
        assertThat(steps.get(0).loop()).isNull();
        assertThat(steps.get(1).loop()).isSameAs(steps.get(2).loop()).isNotSameAs(steps.get(3).loop());
        assertThat(steps.get(1).loop().var()).isEqualTo("probes");
    }

    @Test
    void aLoopOverAnythingButADeclaredMappingListIsRefusedNamingTheVarsThatAre() throws IOException {
        String steps = """
                steps:
                  - loop: "LOOP"
                    steps: [{action: bind-check}]
                """;
        for (String[] loop : new String[][] {
                {"${prbes}", ":7:11: loop: must be \"${VAR}\", VAR a var the playbook declares with type mapping-list (each entry "
                        + "sets arguments of the loop's steps); no var `prbes` (did you mean `probes`?); declared: probes"},
                {"${port}", ":7:11: loop: must be \"${VAR}\", VAR a var the playbook declares with type mapping-list (each entry "
                        + "sets arguments of the loop's steps); `port` is a port; declared: probes"},
                {"${probes}x", ":7:11: loop: must be \"${VAR}\""}}) {
            Path file = playbook(LOOP_VARS + steps.replace("LOOP", loop[0]));
            assertThatThrownBy(() -> loader.load(file)).as(loop[0]).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(file + loop[1]);
        }
    }

    @Test
    void loopsCannotNestNorHoldABlockNorBeEmpty() throws IOException {
        Path nested = playbook(LOOP_VARS + """
                steps:
                  - loop: "${probes}"
                    steps:
                      - {loop: "${probes}", steps: [{action: bind-check}]}
                """);
        assertThatThrownBy(() -> loader.load(nested)).hasMessage(nested + ":9:9: loop: a loop's steps are actions: loops cannot be "
                + "nested, and a loop goes inside a block, not around one");
        Path empty = playbook(LOOP_VARS + """
                steps:
                  - {loop: "${probes}", steps: []}
                """);
        assertThatThrownBy(() -> loader.load(empty)).hasMessage(empty + ":7:32: loop.steps: an empty loop; it needs at least one step");
        Path unknown = playbook(LOOP_VARS + """
                steps:
                  - {loop: "${probes}", step: []}
                """);
        assertThatThrownBy(() -> loader.load(unknown)).hasMessageContaining("unknown key `step`");
        Path changing = playbook(LOOP_VARS + """
                steps:
                  - {loop: "${probes}", steps: [{action: fw-unban}]}
                """);
        assertThatThrownBy(() -> loader.load(changing)).hasMessage(changing + ":7:33: action: `fw-unban` changes the host; a loop "
                + "holds read-only steps (preflight, bind-check, trigger, capture-verify): a step that changes the host records "
                + "its undo there under a name of its own");
    }

    @Test
    void aLiteralTriggerBreaksTheSameRuleAsASubstitutedOneAtLoadTime() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: trigger
                    args: {via: reload}
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessage(file + ":5:5: trigger pidfile: trigger via reload needs `pidfile`: "
                + "the nginx or HAProxy master to reload (e.g. /run/nginx.pid)");
    }

    @Test
    void unknownActionSuggestsTheClosestOne() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: fw-bann
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessageStartingWith(file + ":5:13: action: unknown action `fw-bann` (did you mean `fw-ban`?)");
    }

    @Test
    void anHttpTriggerWithoutAUrlNamingTheNameIsRefusedAtLoadTime() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: trigger
                    args: {via: http, url: "http://127.0.0.1:8082/resolve"}
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessageStartingWith(file + ":6:28: trigger url: trigger via http needs `url`, with {name}");
    }

    @Test
    void anAddressThatIsNotOneIsRefusedAtLoadTime() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: fw-ban
                    args: {addresses: [10.0.0.1, 10.0.0.300]}
                """);
        assertThatThrownBy(() -> loader.load(file))
                .hasMessage(file + ":6:23: fw-ban addresses: `10.0.0.300` is not an IP address (expected: list of IP addresses)");
    }

    @Test
    void aProcessNameWithShellMetacharactersIsRefused() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: refresh
                    args: {processes: ["pgbouncer; touch /tmp/pwned"]}
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining("refresh processes: `pgbouncer; touch /tmp/pwned` is not a process name");
    }

    @Test
    void aMissingRequiredArgumentIsNamed() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: file-install
                    args: {template: x.ftl}
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining(":5:5: file-install: missing required argument `path` (absolute path)");
    }

    @Test
    void aTemplateThatDoesNotExistIsRefused() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: file-install
                    args: {path: /etc/x, template: missing.ftl}
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining("template: no template `missing.ftl` in");
    }

    @Test
    void aTemplateValueMayOnlyUseDeclaredVars() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - action: fw-ban
                    args: {addresses: "${server}"}
                """);
        assertThatThrownBy(() -> loader.load(file))
                .hasMessageContaining("addresses: uses `server`, which the playbook's vars do not declare (did you mean `servers`?)");
    }

    @Test
    void aVarWithoutDefaultMustBeMarkedRequired() throws IOException {
        Path file = playbook("""
                name: p
                vars:
                  servers: {type: ip-list}
                steps:
                  - action: bind-check
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessage(file + ":3:12: vars.servers: needs a `default` or `required: true`");
    }

    @Test
    void stepNamesMustBeUnique() throws IOException {
        Path file = playbook(VARS + """
                steps:
                  - {name: check, action: bind-check}
                  - {name: check, action: bind-reload}
                """);
        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining("two steps are named `check`");
    }

    @Test
    void serialAcceptsCountsAndPercentagesAndRejectsNonsense() throws IOException {
        Path ok = playbook(VARS + """
                rollout: {serial: [2, "25%"], forks: 5, max_fail_percentage: 20, rollback: block}
                steps:
                  - action: bind-check
                """);
        Rollout rollout = loader.load(ok).rollout();
        assertThat(rollout.serial()).extracting(Object::toString).containsExactly("2", "25%");
        assertThat(rollout.rollbackAll()).isFalse();

        Path bad = playbook(VARS + """
                rollout: {serial: [1, "ten%"]}
                steps:
                  - action: bind-check
                """);
        assertThatThrownBy(() -> loader.load(bad)).hasMessageContaining(":4:23: rollout.serial: `ten%` is not a batch size");
    }

    @Test
    void anEmptyPlaybookSaysWhatItNeeds() throws IOException {
        Path file = playbook("# nothing\n");
        assertThatThrownBy(() -> loader.load(file)).hasMessage(file + ": the playbook is empty; it needs at least `name` and `steps`");
    }
}
