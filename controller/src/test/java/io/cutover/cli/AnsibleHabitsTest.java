package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an ansible-playbook user types without thinking, on cutover's real command line. */
class AnsibleHabitsTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("CUTOVER_REPO", "..")).toAbsolutePath().normalize();
    private static final String PLAYBOOK = REPO.resolve("playbooks/local-caching-bind.yml").toString();

    @TempDir
    Path dir;

    private String inventory(String yaml) throws IOException {
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, yaml);
        return file.toString();
    }

    private String fleet() throws IOException {
        return inventory("""
                all:
                  vars:
                    cutover_alt_forwarders: [192.0.2.153]
                  hosts:
                    app1:
                    app2:
                """);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "apply, --check, `cutover plan` is the dry run",
        "plan, --diff, `cutover plan` shows the unified diff",
        "apply, --ask-vault-pass, cutover does not decrypt Ansible Vault",
        "apply, --tags=bind, a cutover playbook always runs all its steps",
        "apply, -k, cutover logs in with keys only",
        "plan, --syntax-check, `cutover plan --offline` checks",
    })
    void anAnsibleFlagCutoverDoesNotTakeGetsOneLineSayingWhatToUseInstead(String verb, String flag, String hint)
            throws IOException {
        Cli cli = Cli.run(verb, "-i", fleet(), PLAYBOOK, flag);

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err().lines().filter(l -> l.startsWith("cutover: hint: "))).singleElement().asString()
                .contains(flag.replaceAll("=.*", "") + " is an ansible-playbook flag cutover does not take: " + hint);
    }

    @Test
    void anExtraVarGivenAsKeyEqualsValueIsTypedAsTheVarDeclaresIt() throws IOException {
        Cli cli = Cli.run("plan", "--offline", "-i", fleet(), PLAYBOOK, "-e", "pgbouncer_port=6432", "-o", "json");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("6432");
    }

    @Test
    void listHostsListsTheHostsAndBatchesAndConnectsToNothing() throws IOException {
        // no --offline: a connection to app1/app2 (unresolvable names) would fail; --list-hosts makes none
        Cli cli = Cli.run("apply", "-i", fleet(), PLAYBOOK, "--list-hosts", "--limit", "app2");

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("playbook: " + PLAYBOOK + "\n\n  hosts (1):\n    app2\n  batches (1):\n    1: app2\n");
    }

    @Test
    void anUnquotedNoWhereTextIsExpectedGetsTheHintToQuoteIt() throws IOException {
        String inventory = inventory("""
                all:
                  vars:
                    cutover_alt_forwarders: [192.0.2.153]
                    pgbouncer_probe_user: no
                  hosts:
                    app1:
                """);

        Cli cli = Cli.run("plan", "--offline", "-i", inventory, PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("inventory.yml:4:5: pgbouncer_probe_user:", "YAML reads an unquoted yes/no/on/off",
                "quote it if you meant the word, e.g. \"no\"");
    }

    @Test
    void aVaultValueIsRefusedWithWhatToUseInstead() throws IOException {
        String inventory = inventory("""
                all:
                  vars:
                    pgbouncer_probe_password: !vault |
                      $ANSIBLE_VAULT;1.1;AES256
                      6231336539
                  hosts:
                    app1:
                """);

        Cli cli = Cli.run("plan", "--offline", "-i", inventory, PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err().strip()).startsWith("cutover: error: " + inventory + ":3:31: an Ansible Vault value (`!vault`)"
                + " is not supported here").contains("-e @secrets.yml").doesNotContain("constructor");
    }

    @Test
    void aJinjaExpressionIsRefusedAsNotSupportedRatherThanAsABadValue() throws IOException {
        String inventory = inventory("""
                all:
                  vars:
                    cutover_alt_forwarders: "{{ groups['dns'] | map('extract', hostvars, 'ansible_host') | list }}"
                  hosts:
                    app1:
                """);

        Cli cli = Cli.run("plan", "--offline", "-i", inventory, PLAYBOOK);

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("is a Jinja expression, which is not supported here", "${other_var}")
                .doesNotContain("is not an IP address");
    }

    @Test
    void connectionFlagsAreTakenByEveryVerbThatConnects() throws IOException {
        for (String verb : new String[] {"plan", "apply", "check"}) {
            Cli cli = Cli.run(verb, "-i", fleet(), PLAYBOOK, "--list-hosts", "-u", "ops", "--private-key", "/k",
                    "-b", "--become-user", "postgres", "-f", "5", "-T", "3", "-vv");
            assertThat(cli.exitCode()).as(verb + ": " + cli.err()).isZero();
        }
        Cli inventory = Cli.run("inventory", "-i", fleet(), "--host", "app1", "-u", "ops", "-b", "--become-user", "postgres");
        assertThat(inventory.out()).containsPattern("user +ops +-u/--user")
                .containsPattern("become +yes, as postgres +-b/--become; user: --become-user");
    }
}
