package io.cutover.cli;

import io.cutover.journal.JournalEvent;
import io.cutover.journal.Events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.engine.Event;
import io.cutover.journal.HostStatus;
import io.cutover.journal.Journal;
import io.cutover.journal.RunDirectory;
import io.cutover.ssh.SshServerExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine output contract of docs/output.md, on real output: what the commands that need no
 * host print validates against docs/schema/ (the lab IT does the ones that need hosts), one
 * -o/--output on every verb, and no event type without a schema.
 */
class OutputContractTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final String PLAYBOOK = REPO.resolve("playbooks/local-caching-bind.yml").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SshServerExtension server = new SshServerExtension();

    @TempDir
    Path dir;

    private String fleet() throws IOException {
        return Files.writeString(dir.resolve("inventory.ini"), """
                [app]
                app1 ansible_port=2222
                app2 ansible_port=2222

                [app:vars]
                cutover_alt_forwarders=["192.0.2.153"]
                """).toString();
    }

    @Test
    void offlinePlanIsAVersionedDocumentValidAgainstItsSchema() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), PLAYBOOK, "-o", "json");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode plan = OutputSchemas.assertDocument("plan", cli.out());
        assertThat(plan.path("format_version").asInt()).isEqualTo(1);
        assertThat(plan.path("hosts")).hasSize(2);
        assertThat(plan.path("hosts").get(0).path("guard").path("deadline_ms").asLong()).isPositive();
    }

    @Test
    void theOldFormatOptionStillPrintsTheSameJsonAndSaysWhatToWriteInstead() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), PLAYBOOK, "--format", "json");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        OutputSchemas.assertDocument("plan", cli.out());
        assertThat(cli.err()).contains("--format is deprecated", "-o json");
        assertThat(Cli.run("plan", "--help").out()).doesNotContain("--format").contains("-o, --output=FORMAT");
    }

    @Test
    void everyVerbThatPrintsTakesDashOAndNoHelpExampleStillSaysFormat() {
        for (String verb : List.of("inventory", "plan", "apply", "check", "resume", "rollback", "status", "facts")) {
            String help = Cli.run(verb, "--help").out();
            assertThat(help).as(verb).contains("-o, --output=FORMAT").doesNotContain("--format");
        }
    }

    @Test
    void inventoryJsonKeepsAnsiblesExactShapeWithNoEnvelope() throws IOException {
        Cli list = Cli.run("inventory", "-i", fleet(), "--list", "-o", "json");

        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode inventory = OutputSchemas.parse(list.out());
        OutputSchemas.assertValid("inventory-list.schema.json", inventory);
        assertThat(inventory.has("format_version")).as("ansible-inventory has no format_version").isFalse();
        assertThat(inventory.path("app").path("hosts").toString()).isEqualTo("[\"app1\",\"app2\"]");
        assertThat(Cli.run("inventory", "-i", fleet(), "--list", "--format", "json").out()).isEqualTo(list.out());
    }

    @Test
    void optionsThatPrintOnlyTextAreRefusedUnderJsonRatherThanPrintedAsText() throws IOException {
        Cli cli = Cli.run("inventory", "-i", fleet(), "--graph", "-o", "json");

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).contains("--graph", "no JSON form", "--list -o json");
        Cli hosts = Cli.run("plan", "--offline", "-i", fleet(), PLAYBOOK, "--list-hosts", "-o", "json");
        assertThat(hosts.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(hosts.out()).isEmpty();
        assertThat(hosts.err()).contains("--list-hosts", "no JSON form", ".batches");
    }

    @Test
    void statusOfARealJournalIsJsonWithEachHostsProofAndTimes() throws IOException {
        Path runs = dir.resolve("runs");
        String runId = journal(runs);

        Cli cli = Cli.run("status", runId, "--runs-dir", runs.toString(), "--output", "json");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode status = OutputSchemas.assertDocument("status", cli.out());
        assertThat(status.path("run").asText()).isEqualTo(runId);
        assertThat(status.path("outcome").asText()).isEqualTo("failed");
        JsonNode app1 = status.path("hosts").get(0);
        assertThat(app1.path("status").asText()).isEqualTo("changed");
        assertThat(app1.path("started_at").asText()).isEqualTo("2026-11-25T18:42:29.000Z");
        assertThat(app1.path("proof").path("capture").path("packets").get(0).path("dst").asText()).isEqualTo("127.0.0.1.53");
        assertThat(status.path("hosts").get(1).path("status").asText()).isEqualTo("rolled_back");
        String viaDashO = Cli.run("status", runId, "--runs-dir", runs.toString(), "-o", "json").out();
        assertThat(withoutTime(viaDashO)).as("-o and --output are one option").isEqualTo(withoutTime(cli.out()));
    }

    @Test
    void statusListAsJsonIsADocumentOfRuns() throws IOException {
        Path runs = dir.resolve("runs");
        String runId = journal(runs);

        Cli cli = Cli.run("status", "--list", "--runs-dir", runs.toString(), "-o", "json");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode list = OutputSchemas.assertDocument("runs", cli.out());
        assertThat(list.path("runs").get(0).path("run").asText()).isEqualTo(runId);
        assertThat(list.path("runs").get(0).path("host_statuses").toString()).isEqualTo("{\"changed\":1,\"rolled_back\":1,\"pending\":1}");
    }

    @Test
    void factsOfARealHelperOnAnSshServerValidate() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/etc"));
        Files.writeString(root.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
        Files.writeString(root.resolve("os-release"), "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Test Linux 12\"\n");
        Files.writeString(dir.resolve("root/.cutover-test-root"), "");
        server.setEnvironment("CUTOVER_ROOT", dir.resolve("root").toString());
        Path inventory = Files.writeString(dir.resolve("hosts.yml"), "all:\n  hosts:\n    web1:\n"
                + "      ansible_host: 127.0.0.1\n      ansible_port: " + server.port() + "\n"
                + "      ansible_user: " + SshServerExtension.USER + "\n"
                + "      ansible_ssh_private_key_file: " + server.clientKey() + "\n"
                + "      cutover_known_hosts: " + server.knownHosts() + "\n"
                + "    unreachable:\n      ansible_host: 127.0.0.1\n      ansible_port: 1\n");

        Cli cli = Cli.run("facts", "-i", inventory.toString(), "-T", "5", "-o", "json");

        JsonNode facts = OutputSchemas.assertDocument("facts", cli.out());
        assertThat(facts.path("hosts").get(0).path("facts").path("resolv_conf").path("nameservers").toString()).contains("192.0.2.53");
        assertThat(facts.path("hosts").get(1).path("error").asText()).isNotEmpty();
        assertThat(cli.exitCode()).isEqualTo(ExitCode.HOSTS_FAILED);
    }

    @Test
    void everyEventTypeOfTheEngineHasADefinitionInTheEventSchema() {
        JsonNode schema = OutputSchemas.raw("events.schema.json");
        List<String> branches = new ArrayList<>();
        schema.path("allOf").forEach(b -> branches.add(b.path("if").path("properties").path("event").path("const").asText()));
        List<String> names = new ArrayList<>();
        schema.path("properties").path("event").path("enum").forEach(n -> names.add(n.asText()));

        for (Class<?> type : Event.class.getPermittedSubclasses()) {
            String name = JsonOutput.eventName(type);
            assertThat(schema.path("$defs").has(name)).as("docs/schema/events.schema.json $defs.%s for %s", name, type).isTrue();
            assertThat(names).as("the `event` enum of docs/schema/events.schema.json").contains(name);
            assertThat(branches).as("an allOf branch of docs/schema/events.schema.json").contains(name);
            List<String> fields = Arrays.stream(type.getRecordComponents()).map(c -> {
                JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
                return renamed != null ? renamed.value() : snake(c.getName()) + (c.getType() == Duration.class ? "_ms" : "");
            }).toList();
            assertThat(schema.path("$defs").path(name).path("required")).as(name)
                    .extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(fields);
        }
    }

    @Test
    void eachEventIsOneLineStampedVersionedSnakeCaseAndHostFinishedCarriesTheProof() throws IOException {
        StringWriter out = new StringWriter();
        JsonEvents sink = new JsonEvents(new PrintWriter(out), Clock.fixed(Instant.parse("2026-11-25T18:42:29.120Z"), ZoneOffset.UTC));
        JsonNode proof = JSON.readTree(PROOF);
        for (Event event : List.of(new Event.RunStarted("r1", 2, List.of(List.of("app1"), List.of("app2")), 10),
                new Event.BatchStarted(1, 2, List.of("app1")), new Event.HostStarted("app1"),
                new Event.StepStarted("app1", 1, 15, "facts"),
                new Event.StepFinished("app1", 1, 15, "facts", false, true, null, Duration.ofMillis(230), false),
                new Event.StepFinished("app1", 2, 15, "bind-install", false, false, "apt-get failed", Duration.ZERO, false),
                new Event.HostFinished("app1", HostStatus.CHANGED, null, 4, 7, Duration.ofMillis(8123), proof),
                new Event.HostFinished("app2", HostStatus.ROLLED_BACK, "bind-check: named did not answer", 0, 0, Duration.ofSeconds(3), null),
                new Event.Aborted("batch 1 failed 100% of its hosts, above max_fail_percentage 0"),
                new Event.RunFinished("r1", "failed", 1))) {
            sink.on(event);
        }

        List<JsonNode> events = OutputSchemas.assertEvents(out.toString());

        assertThat(events).hasSize(10).allSatisfy(e -> assertThat(e.path("time").asText()).isEqualTo("2026-11-25T18:42:29.120Z"));
        assertThat(events.get(0).toString()).startsWith("{\"format_version\":1,\"time\":").contains("\"run_id\":\"r1\"");
        JsonNode finished = events.get(6);
        assertThat(finished.path("took_ms").asLong()).isEqualTo(8123);
        assertThat(finished.path("changed_steps").asInt()).isEqualTo(4);
        assertThat(finished.path("transient_steps").asInt()).isEqualTo(7);
        assertThat(finished.path("status").asText()).isEqualTo("changed");
        assertThat(finished.path("proof")).isEqualTo(proof);
    }

    @Test
    void theSchemasRefuseWhatTheContractRulesOut() throws IOException {
        String line = "{\"format_version\":1,\"time\":\"2026-11-25T18:42:29.120Z\",\"event\":\"host-finished\",\"host\":\"app1\","
                + "\"status\":\"changed\",\"reason\":null,\"changed_steps\":1,\"transient_steps\":7,\"took_ms\":5,\"proof\":null}";
        OutputSchemas.assertValid("events.schema.json", JSON.readTree(line));

        for (String wrong : List.of(line.replace("changed_steps", "changedSteps"), line.replace("took_ms", "took"),
                line.replace(".120Z", ".120+01:00"), line.replace("18:42", "18h42"), line.replace("\"format_version\":1", "\"format_version\":2"),
                line.replace(",\"proof\":null", ""), line.replace("host-finished", "host-done"))) {
            assertThat(OutputSchemas.errors("events.schema.json", JSON.readTree(wrong))).as(wrong).isNotEmpty();
        }
    }

    /** A journal as apply writes it (Journal, the records HostRun appends): app1 changed with proof, app2 rolled back, app3 pending. */
    private static String journal(Path runs) {
        RunDirectory directory = new RunDirectory(runs);
        String runId = "20261125-184229-a276";
        try (Journal journal = Journal.open(directory.create(runId), Clock.fixed(Instant.parse("2026-11-25T18:42:29Z"), ZoneOffset.UTC))) {
            journal.append(Events.runStart(runId, PLAYBOOK, "app1", "app2", "app3"));
            journal.append(new JournalEvent.HostStart("app1"));
            journal.append(new JournalEvent.StepStart("app1", 1, "preflight", "preflight"));
            journal.append(Events.stepDone("app1", 1, false, false));
            journal.append(new JournalEvent.HostEnd("app1", HostStatus.CHANGED, null, 8123L, 11, 0, JSON.readTree(PROOF)));
            journal.append(new JournalEvent.HostStart("app2"));
            journal.append(new JournalEvent.StepStart("app2", 4, "bind-check", "bind-check"));
            journal.append(new JournalEvent.StepFailed("app2", 4, "bind-check", "bind-check: named did not answer"));
            journal.append(new JournalEvent.HostEnd("app2", HostStatus.ROLLED_BACK, null, 3000L, 0, 0, null));
            journal.append(new JournalEvent.RunEnd("failed", 1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return runId;
    }

    private static String withoutTime(String document) {
        return document.replaceFirst("\"generated_at\" : \"[^\"]+\"", "");
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** What HostRun's Proof makes of the helper's answers on a pgbouncer host. */
    private static final String PROOF = """
            {"capture": {"qname": "xaxa-probe.lab.test", "packets": [{"src": "10.77.0.11.41234", "dst": "127.0.0.1.53", "qtype": "A"}],
                         "packets_total": 1, "queries_to_expected": 1, "queries_to_forbidden": 0},
             "refresh": [{"pid": 4242, "method": "gdb-res-init", "gdb_ms": 38, "same_process": true, "alive": true,
                          "sockets_lost": 0, "client_sockets_lost": 0}],
             "files": [{"target": "/etc/resolv.conf", "sha256": "%s", "previous_sha256": "%s"}]}
            """.formatted("a".repeat(64), "b".repeat(64));
}
