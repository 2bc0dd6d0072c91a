package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.helper.HelperCall;
import io.cutover.journal.HostStatus;
import io.cutover.journal.JournalEvent;
import io.cutover.plan.HostPlan;
import io.cutover.plan.PlannedCall;
import io.cutover.render.Unknown;
import io.cutover.ssh.ShellQuote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan shows what apply runs, by construction: a host is prepared as {@code plan} prepares it
 * (facts over SSH, no run id yet), then applied with the real helper on the in-process server, and
 * every helper call apply sent for the steps is the plan's, in the plan's order — with only what
 * the plan cannot know filled in: the run id, and the name the trigger looked up.
 */
class PlanIsWhatApplySendsTest {

    private static final String RUN = "prep1";
    private static final String PROBE = "cutover-probe-prep1.invalid";

    @RegisterExtension
    final EngineHosts hosts = new EngineHosts();

    @TempDir
    Path dir;

    private HelperHost host;

    @BeforeEach
    void host() throws IOException {
        host = hosts.web1();
        // tcpdump and dig stand-ins that share one packet log: dig's readiness probe and getent's
        // lookup are "captured" as tcpdump prints them, so capture-start and capture-verify run for real.
        Path packets = Files.writeString(dir.resolve("packets.txt"), "");
        host.fakeTool("tcpdump", "echo 'listening on any' >&2\nexec tail -n +1 -f " + packets);
        host.fakeTool("dig", "for a; do name=$a; done\necho \"12:00:00.000000 IP 127.0.0.1.40001 > 127.0.0.1.53: 1+ A? $name. (40)\" >>"
                + packets);
        host.fakeTool("getent", "echo \"12:00:00.000000 IP 127.0.0.1.40002 > 127.0.0.1.53: 2+ A? $2. (40)\" >>" + packets
                + "\nexit 2");
        Files.writeString(host.root.resolve("etc/cutover-test.conf"), "before\n");
    }

    /** A lasting file outside the block; inside it a temporary file, the capture, a getent trigger and the proof. */
    private Path playbook() throws IOException {
        Path templates = Files.createDirectories(dir.resolve("playbook/templates"));
        Files.writeString(templates.resolve("test.conf.ftl"), "after\n");
        Files.writeString(templates.resolve("block.conf.ftl"), "inside the block\n");
        return Files.writeString(dir.resolve("playbook/proof.yml"), """
                name: proof
                vars:
                  probe_name:
                    type: string
                    default: "cutover-probe-${run_id}.invalid"
                rollout:
                  rollback: block
                steps:
                  - name: install
                    action: file-install
                    args:
                      path: /etc/cutover-test.conf
                      template: test.conf.ftl
                  - name: guarded
                    guard:
                      deadline: 30s
                    block:
                      - name: temporary
                        action: file-install
                        args:
                          path: /etc/cutover-block.conf
                          template: block.conf.ftl
                      - name: capture
                        action: capture-start
                      - name: lookup
                        action: trigger
                        args:
                          via: getent
                          name: "${probe_name}"
                          timeout: 5s
                      - name: proof
                        action: capture-verify
                        args:
                          expect: 127.0.0.1
                          forbid: [192.0.2.53]
                """);
    }

    @Test
    void everyHelperCallApplySendsForTheStepsIsTheOneThePlanShows() throws IOException {
        RunContext run = hosts.run(RUN, playbook());
        // what `plan` prints: the host prepared before any run exists, its run id a placeholder
        Prepare.Prepared shown = new Prepare(run, new Unknown("run id")).fleet(List.of("web1"), 1).get(0);
        assertThat(shown.ok()).as(String.valueOf(shown.facts().error()) + shown.planError()).isTrue();
        assertThat(shown.plan().warnings()).isEmpty();

        HostOutcome outcome = hosts.apply(run);
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(HostStatus.CHANGED);

        List<String> planned = shownCalls(shown.plan());
        assertThat(planned).anyMatch(line -> line.startsWith("cutover-helper capture-verify --run " + RUN + " --qname " + PROBE));
        assertThat(sent(subcommands(shown.plan()))).containsExactlyElementsOf(planned);
        assertThat(host.root.resolve("etc/cutover-test.conf")).hasContent("after");
        assertThat(host.server().executed()).as("plan's and apply's facts, each with the files' content in the same call")
                .filteredOn(c -> c.contains(" facts ")).hasSize(2)
                .allSatisfy(c -> assertThat(c).contains("--file /etc/cutover-test.conf", "--file /etc/cutover-block.conf"));
        assertThat(host.server().executed()).noneMatch(c -> c.contains("file-read"));
        assertThat(hosts.events(JournalEvent.Facts.class)).singleElement()
                .satisfies(f -> assertThat(f.facts().has("files")).as("a file's content never goes into the journal").isFalse());
    }

    /**
     * The plan's calls as `plan` prints them (PlanText and PlanJson both print {@code shown()}), each
     * placeholder it shows read as the run's value: the run id, and the name the trigger looked up.
     */
    private static List<String> shownCalls(HostPlan plan) {
        List<String> lines = new ArrayList<>();
        List<PlannedCall> calls = new ArrayList<>(plan.beforeGuard());
        plan.steps().forEach(step -> calls.addAll(step.calls()));
        for (PlannedCall call : calls) {
            HelperCall shown = call.shown();
            List<String> words = new ArrayList<>(List.of(shown.subcommand()));
            shown.args().forEach(a -> words.add(a.replace("<run id>", RUN).replace(PlannedCall.Slot.QNAME.shown(), PROBE)));
            lines.add("cutover-helper " + ShellQuote.join(words));
        }
        return lines;
    }

    private static Set<String> subcommands(HostPlan plan) {
        return plan.steps().stream().flatMap(s -> s.calls().stream()).map(PlannedCall::subcommand).collect(Collectors.toSet());
    }

    /** The helper calls the server ran for those subcommands, as {@code cutover-helper SUBCOMMAND ARGS}. */
    private List<String> sent(Set<String> subcommands) {
        String helper = hosts.home().path() + " ";
        List<String> calls = new ArrayList<>();
        for (String command : host.server().executed()) {
            int at = command.indexOf(helper);
            if (at < 0) {
                continue;
            }
            String call = command.substring(at + helper.length());
            if (subcommands.contains(call.split(" ", 2)[0])) {
                calls.add("cutover-helper " + call);
            }
        }
        return calls;
    }
}
