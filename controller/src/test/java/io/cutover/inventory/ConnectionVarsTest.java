package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionVarsTest {

    @TempDir
    Path dir;

    @Test
    void theSshLayerSeesResolvedAddressesPortsAndUsersNotAnsibleAliasesOrTemplates() throws IOException {
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, """
                all:
                  vars:
                    ansible_ssh_user: deploy
                    ansible_become: yes
                  hosts:
                    web1:
                      ansible_host: "{{ inventory_hostname }}.example.com"
                      ansible_ssh_port: 2222
                """);
        Inventory inventory = new InventoryLoader().load(List.of(file));

        Map<String, Object> vars = inventory.connectionVars("web1");

        assertThat(vars).containsEntry("ansible_host", "web1.example.com").containsEntry("ansible_port", 2222)
                .containsEntry("ansible_user", "deploy").containsEntry("ansible_become", true)
                .doesNotContainKeys("ansible_ssh_user", "ansible_ssh_port");
    }
}
