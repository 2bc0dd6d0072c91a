package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet-sized inventory through the whole load path; its speed is measured outside unit tests (a timing assertion fails on a loaded machine, not on a slow loader). */
class LargeInventoryTest {

    @TempDir
    Path dir;

    @Test
    void fiveThousandHostsLoadSelectAndListAsAnsibleWould() {
        StringBuilder yaml = new StringBuilder("all:\n  vars: {ansible_user: ops}\n  children:\n");
        for (int dc = 0; dc < 10; dc++) {
            yaml.append("    dc").append(dc).append(":\n      vars: {dc: ").append(dc).append("}\n      hosts:\n");
            for (int h = 0; h < 500; h++) {
                yaml.append("        pgb").append(dc).append('-').append(h).append(".example.com: {ansible_host: 10.")
                        .append(dc).append('.').append(h / 250).append('.').append(h % 250 + 1).append("}\n");
            }
        }
        yaml.append("    canary:\n      hosts:\n        pgb[0:9]-0.example.com:\n");
        Path file = new InventoryTestSupport(dir).write("big.yml", yaml.toString());
        Inventory inventory = new InventoryLoader().load(file);
        var selected = inventory.select("dc*:!canary:!~pgb[0-4]-4..\\.");
        var listing = AnsibleListing.list(inventory);

        assertThat(inventory.hosts()).hasSize(5000);
        assertThat(selected).hasSize(5000 - 10 - 500); // canary, and pgb0..4-4NN
        @SuppressWarnings("unchecked")
        var hostvars = (Map<String, Map<String, Object>>) ((Map<String, Object>) listing.get("_meta")).get("hostvars");
        assertThat(hostvars).hasSize(5000);
        assertThat(hostvars.get("pgb3-7.example.com")).containsEntry("dc", 3).containsEntry("ansible_host", "10.3.0.8");
    }
}
