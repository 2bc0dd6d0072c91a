package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated // a timing: never while the engine tests (which run concurrently) load the machine
class LoadPerformanceTest {

    @TempDir
    Path dir;

    @Test
    void fiveThousandHostsLoadAndSelectInWellUnderASecond() {
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
        new InventoryLoader().load(file); // warm up the JIT and class loading

        long start = System.nanoTime();
        Inventory inventory = new InventoryLoader().load(file);
        var selected = inventory.select("dc*:!canary:!~pgb[0-4]-4..\\.");
        var listing = AnsibleListing.list(inventory);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(inventory.hosts()).hasSize(5000);
        assertThat(selected).hasSize(5000 - 10 - 500); // canary, and pgb0..4-4NN
        assertThat(listing).containsKey("_meta");
        assertThat(millis).as("load + select + list of 5000 hosts, ms").isLessThan(1000);
    }
}
