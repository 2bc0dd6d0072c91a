package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InventoryCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path inventory(String yaml) throws IOException {
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String FLEET = """
            all:
              vars:
                ansible_user: ops
              children:
                pgbouncer:
                  hosts:
                    pgb[01:03].example.com:
                  vars:
                    ansible_become: yes
                canary:
                  hosts:
                    pgb01.example.com:
                      ansible_host: 192.0.2.11
                      ansible_port: 2222
            """;

    @Test
    void listHostsPrintsOneSelectedHostPerLine() throws IOException {
        Run run = run("inventory", "-i", inventory(FLEET).toString(), "--list-hosts", "pgbouncer:!canary");
        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("pgb02.example.com\npgb03.example.com\n");
    }

    @Test
    void listAsJsonHasAnsibleInventoryShape() throws IOException {
        Run run = run("inventory", "-i", inventory(FLEET).toString(), "--list", "-o", "json");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("{\n    \"_meta\": {\n        \"hostvars\": {\n");
        assertThat(run.out()).contains("\"canary\": {\n        \"hosts\": [\n            \"pgb01.example.com\"\n");
        assertThat(run.out()).contains("\"ansible_port\": 2222");
    }

    @Test
    void defaultListIsATableOfSshTargets() throws IOException {
        Run run = run("inventory", "-i", inventory(FLEET).toString());
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("HOST", "SSH TARGET", "ops@192.0.2.11:2222", "ops@pgb02.example.com:22")
                .contains("3 hosts, 2 groups");
    }

    @Test
    void limitRestrictsTheListing() throws IOException {
        Run run = run("inventory", "-i", inventory(FLEET).toString(), "--limit", "canary", "--list-hosts", "all");
        assertThat(run.out()).isEqualTo("pgb01.example.com\n");
    }

    @Test
    void limitFileHoldsOnePatternPerLine() throws IOException {
        Path limit = dir.resolve("limit.txt");
        Files.writeString(limit, "pgb0*\n!pgb02.example.com\n\n");
        Run run = run("inventory", "-i", inventory(FLEET).toString(), "--limit", "@" + limit, "--list-hosts", "all");
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("pgb01.example.com\npgb03.example.com\n");
    }

    @Test
    void graphDrawsTheGroupTreeLikeAnsible() throws IOException {
        Run run = run("inventory", "-i", inventory(FLEET).toString(), "--graph");
        assertThat(run.out()).isEqualTo("""
                @all:
                  |--@ungrouped:
                  |--@pgbouncer:
                  |  |--pgb01.example.com
                  |  |--pgb02.example.com
                  |  |--pgb03.example.com
                  |--@canary:
                  |  |--pgb01.example.com
                """);
    }

    @Test
    void hostShowsItsSshTargetAndMergedVars() throws IOException {
        Run run = run("inventory", "-i", inventory(FLEET).toString(), "--host", "pgb01.example.com");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("ssh:     ops@192.0.2.11:2222", "groups:  canary, pgbouncer", "  ansible_port: 2222");
        assertThat(run.out()).containsPattern("become +yes, as root +ansible_become \\(.*inventory.yml:\\d+:\\d+\\)");
    }

    @Test
    void aPatternMatchingNothingIsAUsageErrorNamingThePart() throws IOException {
        Run run = run("inventory", "-i", inventory(FLEET).toString(), "--list-hosts", "pgbouncer:&canry");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("`&canry` matches no host or group (did you mean `canary`?)");
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aMisspeltHostsKeyIsRefusedWithFileLineAndFix() throws IOException {
        Path file = inventory("""
                web:
                  host:
                    web1:
                """);
        Run run = run("inventory", "-i", file.toString(), "--list-hosts", "all");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":2:3: group `web` has an unknown key `host` (did you mean `hosts:`?)");
    }

    @Test
    void lenientWarnsAndDoesWhatAnsibleDoes() throws IOException {
        Path file = inventory("""
                web:
                  host:
                    web1:
                  hosts:
                    web2:
                """);
        Run run = run("inventory", "-i", file.toString(), "--lenient", "--list-hosts", "all");
        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("web2\n");
        assertThat(run.err()).contains("warning: group `web` has an unknown key `host`");
    }

    @Test
    void helpShowsExamples() {
        Run run = run("inventory", "--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--list-hosts", "Examples:", "ansible-inventory --list");
    }

    @Test
    void anIniInventoryAndAHostListWorkThroughTheCli() throws IOException {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "[pgbouncer]\npgb[01:02].example.com ansible_port=2222\n[canary]\npgb01.example.com\n");
        Run ini = run("inventory", "-i", hosts.toString(), "--list-hosts", "pgbouncer:!canary");
        assertThat(ini.code()).isZero();
        assertThat(ini.out()).isEqualTo("pgb02.example.com\n");
        Run list = run("inventory", "-i", "a.example.com,b.example.com,", "--list-hosts", "all");
        assertThat(list.out()).isEqualTo("a.example.com\nb.example.com\n");
    }

    @Test
    void aBrokenIniLineIsExitCode2WithFileAndLine() throws IOException {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "[pgbouncer]\npgb01 ansible_host = 10.0.0.1\n");
        Run run = run("inventory", "-i", hosts.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains(hosts + ":2:1: expected `key=value` after the host name");
    }
}
