package io.cutover.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecedenceTest {

    @TempDir
    Path dir;

    private InventoryTestSupport files() {
        return new InventoryTestSupport(dir);
    }

    @Test
    void childGroupBeatsParentAndHostBeatsEveryGroup() {
        Inventory inventory = files().load("""
                all:
                  vars: {v: all, w: all}
                  children:
                    parent:
                      vars: {v: parent}
                      children:
                        child:
                          vars: {v: child}
                          hosts:
                            h1: {w: host}
                """);
        assertThat(inventory.vars("h1")).containsEntry("v", "child").containsEntry("w", "host");
    }

    @Test
    void siblingGroupsMergeInNameOrderSoTheLastNameWins() {
        Inventory inventory = files().load("""
                zeta: {hosts: {h: }, vars: {v: zeta}}
                alpha: {hosts: {h: }, vars: {v: alpha}}
                """);
        assertThat(inventory.vars("h")).containsEntry("v", "zeta");
    }

    @Test
    void groupPriorityReordersGroupsOfOneDepthOnly() {
        Inventory inventory = files().load("""
                zeta: {hosts: {h: }, vars: {v: zeta}}
                alpha: {hosts: {h: }, vars: {v: alpha, ansible_group_priority: 2}}
                deep_parent:
                  children:
                    deep: {hosts: {h: }, vars: {w: deep}}
                top: {hosts: {h: }, vars: {w: top, ansible_group_priority: 99}}
                """);
        assertThat(inventory.vars("h")).containsEntry("v", "alpha").containsEntry("w", "deep")
                .doesNotContainKey("ansible_group_priority");
    }

    @Test
    void groupVarsFilesBeatInlineGroupVarsAndHostVarsFilesBeatInlineHostVars() {
        InventoryTestSupport support = files();
        support.write("group_vars/all.yml", "v: file_all\n");
        support.write("group_vars/web/01.yml", "w: file_web_1\n");
        support.write("group_vars/web/02", "w: file_web_2\n");
        support.write("group_vars/web.yml", "shadowed: true\n");
        support.write("host_vars/h1.yaml", "x: file_host\n");
        Inventory inventory = support.load("""
                web:
                  vars: {v: inline_web, w: inline_web}
                  hosts:
                    h1: {x: inline_host}
                """);
        assertThat(inventory.vars("h1")).containsEntry("v", "file_all").containsEntry("w", "file_web_2")
                .containsEntry("x", "file_host").doesNotContainKey("shadowed");
        assertThat(inventory.hostVars("h1").origin("x").orElseThrow().file().toString()).endsWith("h1.yaml");
    }

    @Test
    void laterInventoryFileOverridesEarlierOne() {
        InventoryTestSupport support = files();
        Path one = support.write("one.yml", "all: {vars: {v: one}, hosts: {h: }}\n");
        Path two = support.write("two.yml", "all: {vars: {v: two}, hosts: {h2: }}\n");
        Inventory inventory = new InventoryLoader().load(one, two);
        assertThat(inventory.vars("h")).containsEntry("v", "two");
        assertThat(inventory.select("all")).containsExactly("h", "h2");
    }

    @Test
    void portInHostKeySetsAnsiblePortUnlessVarsOverrideIt() {
        Inventory inventory = files().load("""
                all:
                  hosts:
                    "a:2201":
                    "b:2202": {ansible_port: 22}
                """);
        assertThat(inventory.vars("a")).containsEntry("ansible_port", 2201);
        assertThat(inventory.vars("b")).containsEntry("ansible_port", 22);
    }

    @Test
    void hashesAreReplacedNotMerged() {
        Inventory inventory = files().load("""
                all:
                  vars: {opts: {a: 1, b: 2}}
                  hosts:
                    h: {opts: {c: 3}}
                """);
        assertThat(inventory.vars("h").get("opts")).isEqualTo(java.util.Map.of("c", 3));
    }
}
