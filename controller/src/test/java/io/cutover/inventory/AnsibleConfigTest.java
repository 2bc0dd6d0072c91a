package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.yaml.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsibleConfigTest {

    @TempDir
    Path dir;

    private Path cwd() throws IOException {
        Path cwd = Files.createDirectories(dir.resolve("project"));
        Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxr-xr-x"));
        return cwd;
    }

    private Path home() throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    private AnsibleConfig load(Map<String, String> env) throws IOException {
        return AnsibleConfig.load(env, cwd(), home(), w -> { });
    }

    @Test
    void theWorkingDirectorysAnsibleCfgWinsOverTheHomeOne() throws IOException {
        Files.writeString(cwd().resolve("ansible.cfg"), "[defaults]\nremote_user = local\n");
        Files.writeString(home().resolve(".ansible.cfg"), "[defaults]\nremote_user = home\nforks = 3\n");

        AnsibleConfig config = load(Map.of());

        assertThat(config.file()).contains(cwd().resolve("ansible.cfg"));
        assertThat(config.remoteUser().orElseThrow().value()).isEqualTo("local");
        assertThat(config.forks()).as("only the first file found is read, as in Ansible").isEmpty();
    }

    @Test
    void ansibleConfigNamingADirectoryReadsItsAnsibleCfg() throws IOException {
        Path other = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(other.resolve("ansible.cfg"), "[defaults]\nremote_user = env\n");
        Files.writeString(cwd().resolve("ansible.cfg"), "[defaults]\nremote_user = local\n");

        assertThat(load(Map.of("ANSIBLE_CONFIG", other.toString())).remoteUser().orElseThrow().value()).isEqualTo("env");
    }

    @Test
    void theHomeFileIsReadWhenTheWorkingDirectoryHasNone() throws IOException {
        Files.writeString(home().resolve(".ansible.cfg"), "[defaults]\nremote_user = home\n");

        assertThat(load(Map.of()).remoteUser().orElseThrow().origin())
                .isEqualTo(home().resolve(".ansible.cfg") + ":2 [defaults] remote_user");
    }

    @Test
    void aWorldWritableWorkingDirectorysAnsibleCfgIsIgnoredWithAWarning() throws IOException {
        Path cwd = cwd();
        Files.writeString(cwd.resolve("ansible.cfg"), "[defaults]\nremote_user = planted\n");
        Files.setPosixFilePermissions(cwd, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> warnings = new ArrayList<>();

        AnsibleConfig config = AnsibleConfig.load(Map.of(), cwd, home(), warnings::add);

        assertThat(config.remoteUser()).isEmpty();
        assertThat(warnings).singleElement().asString().contains("world-writable", "ANSIBLE_CONFIG=");
    }

    @Test
    void anEnvironmentVariableWinsOverTheFile() throws IOException {
        Files.writeString(cwd().resolve("ansible.cfg"), "[defaults]\nremote_user = file\ntimeout = 5\n");

        AnsibleConfig config = load(Map.of("ANSIBLE_REMOTE_USER", "env", "ANSIBLE_SSH_TIMEOUT", "9"));

        assertThat(config.remoteUser().orElseThrow()).isEqualTo(new AnsibleConfig.Sourced<>("env",
                "environment variable ANSIBLE_REMOTE_USER"));
        assertThat(config.timeout().orElseThrow().value()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void relativePathsAreRelativeToTheFileAndInTheEnvironmentToTheWorkingDirectory() throws IOException {
        Path other = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(other.resolve("ansible.cfg"), "[defaults]\ninventory = hosts, ../inv\nprivate_key_file = ~/k\n");

        AnsibleConfig fromFile = load(Map.of("ANSIBLE_CONFIG", other.resolve("ansible.cfg").toString()));
        AnsibleConfig fromEnv = load(Map.of("ANSIBLE_INVENTORY", "a,b", "ANSIBLE_PRIVATE_KEY_FILE", "keys/id"));

        assertThat(fromFile.inventory().orElseThrow().value()).containsExactly(other.resolve("hosts"), dir.resolve("inv"));
        assertThat(fromFile.privateKeyFile().orElseThrow().value()).isEqualTo(home().resolve("k"));
        assertThat(fromEnv.inventory().orElseThrow().value()).containsExactly(cwd().resolve("a"), cwd().resolve("b"));
        assertThat(fromEnv.privateKeyFile().orElseThrow().value()).isEqualTo(cwd().resolve("keys/id"));
    }

    @Test
    void aBadValueNamesTheFileTheLineAndTheKey() throws IOException {
        Files.writeString(cwd().resolve("ansible.cfg"), "[defaults]\nremote_user = ops\nforks = many\n");

        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(InputException.class)
                .hasMessage(cwd().resolve("ansible.cfg") + ":3: [defaults] forks: `many` is not a whole number");
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> load(Map.of("ANSIBLE_HOST_KEY_CHECKING", "maybe")))
                .hasMessage("environment variable ANSIBLE_HOST_KEY_CHECKING: `maybe` is not a boolean (Ansible would"
                        + " take it for False); write True or False");
    }

    @Test
    void aBecomeMethodOtherThanSudoIsRefused() throws IOException {
        Files.writeString(cwd().resolve("ansible.cfg"), "[privilege_escalation]\nbecome_method = su\n");

        assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("ansible.cfg:2: [privilege_escalation]"
                + " become_method: `su` is not supported");
    }

    @Test
    void noFileAndNoVariableSetsNothing() throws IOException {
        AnsibleConfig config = load(Map.of());

        assertThat(config.file()).isEmpty();
        assertThat(ConnectionDefaults.of(config)).isEqualTo(ConnectionDefaults.NONE);
    }

    @Test
    void anEmptyUserOrArgsSetNothingAsInAnsibleWhichTestsThemForTruth() throws IOException {
        Files.writeString(cwd().resolve("ansible.cfg"), "[defaults]\nremote_user =\n[ssh_connection]\nssh_args =\n");

        AnsibleConfig config = load(Map.of());

        assertThat(config.remoteUser().orElseThrow().value()).isEmpty();
        assertThat(ConnectionDefaults.of(config)).isEqualTo(ConnectionDefaults.NONE);
    }
}
