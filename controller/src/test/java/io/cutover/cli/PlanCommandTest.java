package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final String PLAYBOOK = REPO.resolve("playbooks/local-caching-bind.yml").toString();

    @TempDir
    Path dir;

    private String inventory(String text) throws IOException {
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, text);
        return file.toString();
    }

    private String fleet() throws IOException {
        return inventory("""
                all:
                  vars:
                    cutover_alt_forwarders: [192.0.2.153]
                  children:
                    app:
                      hosts:
                        app[1:4]:
                """);
    }

    @Test
    void offlinePlanShowsEveryHostInBatchesAndEndsWithASummary() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(0);
        assertThat(cli.out()).contains("Batch 1 of 3 (1 host): app1", "Batch 2 of 3 (1 host): app2", "Batch 3 of 3 (2 hosts): app3, app4",
                "host app4", "guarded block `safe-cutover`", "+\t\t192.0.2.153;");
        assertThat(cli.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("Plan: 4 hosts in 3 batches, 64 steps: 20 changing, 28 transient (the proof block), 16 read-only; "
                        + "8 files to change. Nothing has been changed.");
    }

    @Test
    void limitSelectsHostsWithAnsiblePatterns() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), "--limit", "app:!app[0:1]", PLAYBOOK);

        assertThat(cli.out()).contains("host app3", "host app4").doesNotContain("host app1", "host app2");
    }

    @Test
    void jsonPlanCarriesStepsFilesAndTheGuard() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), "--limit", "app1", "-o", "json", PLAYBOOK);

        JsonNode plan = new ObjectMapper().readTree(cli.out());
        JsonNode host = plan.get("hosts").get(0);
        assertThat(host.get("guard").get("armed_before_step").asInt()).isEqualTo(8);
        assertThat(host.get("guard").get("deadline_ms").asLong()).isEqualTo(60_000);
        assertThat(host.get("steps").get(10).get("args").get("addresses").asText()).isEqualTo("<facts.upstreams>");
        assertThat(host.get("steps").get(5).get("files").get(0).get("content").asText()).contains("nameserver 127.0.0.1");
        assertThat(plan.get("summary").get("steps").asInt()).isEqualTo(16);
    }

    @Test
    void aMissingRequiredVarIsOneLineExitCodeTwoAndNoStackTrace() throws IOException {
        String inventory = inventory("all:\n  hosts:\n    app1:\n");
        Cli cli = Cli.run("plan", "--offline", "-i", inventory, PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err().strip()).startsWith("cutover: error: ").contains("host app1 has no value for this required var")
                .doesNotContain("\tat ", "Exception");
        assertThat(cli.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void aHostileExtraVarIsRefusedBeforeAnythingRuns() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), "-e", "cutover_alt_forwarders=$(touch /tmp/pwned)", PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("-e cutover_alt_forwarders: `$(touch /tmp/pwned)` is not an IP address");
    }

    @Test
    void aMissingPlaybookFileIsNamed() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), dir.resolve("nope.yml").toString());

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("nope.yml: no such file");
    }

    @Test
    void onlinePlanNamesAnUnreachableHostAndExitsOne() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String inventory = inventory("""
                all:
                  vars:
                    cutover_alt_forwarders: [192.0.2.153]
                    cutover_known_hosts: %s
                  hosts:
                    app1: {ansible_host: 127.0.0.1, ansible_port: %d}
                """.formatted(dir.resolve("known_hosts"), closedPort));
        Cli cli = Cli.run("plan", "-i", inventory, PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).contains("host app1", "! cannot plan: app1:");
    }

    @Test
    void helpExplainsTheCommandWithExamples() {
        Cli cli = Cli.run("plan", "--help");

        assertThat(cli.exitCode()).isEqualTo(0);
        assertThat(cli.out()).contains("Changes nothing", "--offline", "--limit", "Examples:");
    }
}
