package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.ssh.SshHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

    @TempDir
    Path dir;

    private Inventory load(String yaml) {
        return new InventoryTestSupport(dir).load(yaml);
    }

    @Test
    void unsetValuesStayUnsetSoTheSshLayerCanTakeThemFromSshConfig() {
        ConnectionSettings ssh = load("all: {hosts: {web1.example.com: }}").connection("web1.example.com");
        assertThat(ssh).usingRecursiveComparison().ignoringFields("origins").isEqualTo(new ConnectionSettings(
                "web1.example.com", "web1.example.com", null, null, null, false, "root", null, null, null, null, null));
        assertThat(ssh.sshHost()).isEqualTo(SshHost.named("web1.example.com"));
    }

    @Test
    void sshPrefixedNamesWinOverShortNamesAsInAnsible() {
        ConnectionSettings ssh = load("""
                all:
                  hosts:
                    h:
                      ansible_host: 192.0.2.1
                      ansible_ssh_host: 192.0.2.2
                      ansible_port: "2222"
                      ansible_user: a
                      ansible_ssh_user: b
                      ansible_ssh_private_key_file: /keys/id
                      ansible_become: "yes"
                      ansible_become_user: postgres
                      ansible_become_pass: pw
                      ansible_ssh_common_args: -o ProxyJump=bastion
                      ansible_ssh_extra_args: -i /keys/extra
                      ansible_timeout: 7
                      cutover_known_hosts: /etc/cutover/known_hosts
                """).connection("h");
        assertThat(ssh).usingRecursiveComparison().ignoringFields("origins").isEqualTo(new ConnectionSettings("h",
                "192.0.2.2", 2222, "b", Path.of("/keys/id"), true,
                "postgres", "pw", "-o ProxyJump=bastion", "-i /keys/extra", Duration.ofSeconds(7),
                Path.of("/etc/cutover/known_hosts")));
        assertThat(ssh.toString()).doesNotContain("pw,").contains("becomePassword=***");
    }

    @Test
    void theSshLayerGetsTheResolvedValuesAndTheVariablesTheyCameFrom() {
        ConnectionSettings ssh = load("""
                all:
                  vars:
                    ansible_ssh_user: deploy
                    ansible_become: yes
                  hosts:
                    web1:
                      ansible_host: "{{ inventory_hostname }}.example.com"
                      ansible_ssh_port: 2222
                      ansible_ssh_common_args: -o ProxyJump=bastion
                """).connection("web1");

        assertThat(ssh.sshHost()).isEqualTo(new SshHost("web1", "web1.example.com", 2222, "deploy", null, null,
                List.of(new SshHost.Args("ansible_ssh_common_args", "-o ProxyJump=bastion")), null,
                new SshHost.Privilege("root", null)));
    }

    @Test
    void badConnectionValuesNameTheVariable() {
        assertThatThrownBy(() -> load("all: {hosts: {h: {ansible_port: ssh}}}").connection("h"))
                .hasMessageEndingWith("ansible_port: host `h`: `ssh` is not a port number (1-65535)");
        assertThatThrownBy(() -> load("all: {hosts: {h: {ansible_user: [a]}}}").connection("h"))
                .hasMessageEndingWith("ansible_user: host `h`: expected text, found a list");
        assertThatThrownBy(() -> load("all: {hosts: {h: {ansible_timeout: soon}}}").connection("h"))
                .hasMessageEndingWith("ansible_timeout: host `h`: `soon` is not a timeout (a whole number of seconds, at least 1)");
        assertThatThrownBy(() -> load("all: {hosts: {h: {ansible_become: true, ansible_become_method: su}}}")
                .connection("h")).hasMessageEndingWith("ansible_become_method: host `h`: `su` is not supported (only sudo)");
    }

    @Test
    void simpleVarReferencesAreResolved() {
        ConnectionSettings ssh = load("""
                all:
                  vars:
                    domain: internal.example.com
                  hosts:
                    pgb1:
                      ansible_host: "{{ inventory_hostname }}.{{domain}}"
                """).connection("pgb1");
        assertThat(ssh.address()).isEqualTo("pgb1.internal.example.com");
    }

    @Test
    void realJinjaIsRefusedWhenConnectingButDoesNotStopLoading() {
        Inventory inventory = load("all: {hosts: {h: {ansible_host: \"{{ lookup('env', 'X') }}\"}}}");
        assertThatThrownBy(() -> inventory.connection("h"))
                .hasMessageContaining("ansible_host: host `h`: `{{ lookup('env', 'X') }}` is a Jinja expression");
    }

    @Test
    void ipv6AddressesAreAccepted() {
        assertThat(load("all: {hosts: {h: {ansible_host: '2001:db8::10'}}}").connection("h").address())
                .isEqualTo("2001:db8::10");
    }

    @Test
    void anInventoryNameThatIsNoHostnameNeedsAnsibleHost() {
        Inventory inventory = load("all: {hosts: {café: }}");
        assertThatThrownBy(() -> inventory.connection("café"))
                .hasMessageContaining("its inventory name is its SSH address (it has no ansible_host)")
                .hasMessageContaining("non-ASCII");
    }

    @Test
    void becomeMustBeABoolean() {
        assertThatThrownBy(() -> load("all: {hosts: {h: {ansible_become: sometimes}}}"))
                .hasMessageEndingWith("ansible_become: host `h`: `sometimes` is not a boolean; use true or false");
    }
}
